/**
 * The inbox document holds the working set only (issue 19): a conversation resolved longer ago
 * than INBOX_RESOLVED_DAYS leaves it, and the Resolved view still finds it, paged from the server;
 * when the server rotates the inbox to a fresh generation, the open app follows it by itself.
 */
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import type { Browser } from 'playwright-core'
import { readMessages, updateMeta } from '../protocol/index.ts'
import { runHousekeeping } from '../server/housekeeping/housekeeping.ts'
import { startTestServer, waitFor, type TestServer } from '../server/test-kit.ts'
import { buildBrowserParts, launchBrowser } from './browser.ts'
import { customerWrites, disableAi, openApp, shot } from './agent-app-kit.ts'

let t: TestServer
let browser: Browser

test.before(async () => {
  buildBrowserParts()
  t = await startTestServer({ env: { INBOX_RESOLVED_DAYS: '1' } })
  await disableAi(t)
  browser = await launchBrowser()
})

test.after(async () => {
  await browser?.close()
  await t?.close()
})

test('the Resolved view shows recent resolved conversations from the inbox and older ones from the server', async () => {
  const old = await customerWrites(t, 'Olivia Old', 'My parcel never arrived in May')
  const { services } = t.server
  await services.conversations.change(old.conversationId, (doc) => updateMeta(doc, { status: 'resolved', updatedAt: Date.now() }))
  await waitFor(async () => (await services.db.kysely.selectFrom('conversations').select('status').where('id', '=', old.conversationId).executeTakeFirst())?.status === 'resolved', 10_000, 'the resolved row')
  // The customer's "resolved" notice follows the resolve (routing writes it): settled before the clock moves.
  await waitFor(async () => (await services.conversations.change(old.conversationId, (doc) => readMessages(doc))).some((m) => m.kind === 'event' && /resolved/.test(m.text)), 15_000, 'the resolved notice')
  await t.server.projection.flush()
  // Two days on, it has left the working set.
  assert.is((await runHousekeeping(services, Date.now() + 2 * 24 * 3600_000)).inboxEntriesRemoved, 1)
  const recent = await customerWrites(t, 'Rita Recent', 'Thanks for the refund')
  await services.conversations.change(recent.conversationId, (doc) => updateMeta(doc, { status: 'resolved', updatedAt: Date.now() }))

  const { context, page } = await openApp(browser, t, { token: t.ownerToken })
  try {
    await page.goto(`${t.url}/inbox/resolved`)
    await page.locator(`[data-testid=inbox-list] [data-testid=inbox-row][data-id="${recent.conversationId}"]`).waitFor()
    const older = page.locator(`[data-testid=older-resolved] [data-testid=inbox-row][data-id="${old.conversationId}"]`)
    await older.waitFor()
    assert.match(await older.innerText(), 'Olivia Old')
    assert.is(await page.locator(`[data-testid=older-resolved] [data-testid=inbox-row][data-id="${recent.conversationId}"]`).count(), 0, 'a row the inbox shows is not listed twice')
    await shot(page, 'resolved-older.png')
    await older.click()
    await page.locator('[data-testid=message-text]', { hasText: 'My parcel never arrived in May' }).waitFor()
  } finally {
    await context.close()
  }
})

test('the open app follows a rotation of the inbox: new conversations keep arriving, the old copy is dropped', async () => {
  const { context, page } = await openApp(browser, t, { token: t.ownerToken })
  try {
    const first = await customerWrites(t, 'Gil Generation', 'Where is my order?')
    await page.goto(`${t.url}/inbox/waiting`)
    await page.locator(`[data-testid=inbox-row][data-id="${first.conversationId}"]`).waitFor()
    const from = await t.server.services.inbox.documentName(t.workspaceId)
    assert.ok(await t.server.services.inbox.rotate(t.workspaceId))
    const to = await t.server.services.inbox.documentName(t.workspaceId)
    assert.is.not(to, from)
    const second = await customerWrites(t, 'Noa Next', 'Can I change my address?')
    await page.locator(`[data-testid=inbox-row][data-id="${second.conversationId}"]`).waitFor({ timeout: 20_000 })
    await page.locator(`[data-testid=inbox-row][data-id="${first.conversationId}"]`).waitFor()
    await page.waitForFunction((name) => Object.keys(localStorage).some((k) => k.includes('inbox-document:') && localStorage.getItem(k) === name), to)
    await page.waitForFunction(async (name) => !(await indexedDB.databases()).some((d) => d.name?.endsWith(name)), from)
    // A reload opens the new generation directly.
    await page.reload()
    await page.locator(`[data-testid=inbox-row][data-id="${second.conversationId}"]`).waitFor()
  } finally {
    await context.close()
  }
})

test.run()
