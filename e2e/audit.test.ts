/** The Audit page (issue 14): the event log for owners and admins, filtered from the URL's controls. */
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import type { Browser } from 'playwright-core'
import { updateMeta } from '../protocol/index.ts'
import { api, startTestServer, waitFor, type TestServer } from '../server/test-kit.ts'
import { buildBrowserParts, launchBrowser } from './browser.ts'
import { customerWrites, disableAi, openApp, shot } from './agent-app-kit.ts'

let t: TestServer
let browser: Browser

test.before(async () => {
  buildBrowserParts()
  t = await startTestServer()
  await disableAi(t)
  browser = await launchBrowser()
})

test.after(async () => {
  await browser?.close()
  await t?.close()
})

test('owners see who did what on the Audit page, and a filter narrows it', async () => {
  const first = await customerWrites(t, 'Ada Audit', 'Where is my parcel?')
  await customerWrites(t, 'Ben Audit', 'Please cancel my order')
  await t.server.services.conversations.change(first.conversationId, (doc) => updateMeta(doc, { status: 'resolved', updatedAt: Date.now() }))
  await waitFor(async () => (await api(t.url, 'GET', '/api/audit?kind=resolved', undefined, t.ownerToken)).body.items.length === 1, 15_000, 'the resolve in the event log')
  const { context, page } = await openApp(browser, t, { token: t.ownerToken })
  try {
    await page.goto(`${t.url}/inbox/waiting`)
    await page.click('[data-testid=nav-audit]:visible')
    await page.locator('[data-testid=audit-row][data-kind=created]').first().waitFor()
    assert.ok(await page.locator('[data-testid=audit-row][data-kind=created]').count() >= 2)
    await shot(page, 'audit.png')
    await page.selectOption('[data-testid=audit-kind]', 'resolved')
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid=audit-row]')].every((r) => r.getAttribute('data-kind') === 'resolved'))
    const rows = page.locator('[data-testid=audit-row]')
    assert.is(await rows.count(), 1)
    assert.match(await rows.first().innerText(), first.conversationId)
    assert.match(page.url(), 'kind=resolved')
    // The conversation link opens it.
    await rows.first().locator('a').click()
    await page.locator('[data-testid=message-text]', { hasText: 'Where is my parcel?' }).waitFor()
  } finally {
    await context.close()
  }
})

test.run()
