/**
 * The agent app telling the truth after a reload and a network drop (issue 17): the assignee menu
 * from the synced document, the inbox row's name and customer words, and the status line.
 */
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import type { Browser } from 'playwright-core'
import { api, startTestServer, waitFor, type TestServer } from '../server/test-kit.ts'
import { buildBrowserParts, launchBrowser } from './browser.ts'
import { customerWrites, disableAi, openApp, serverConversation, shot, waitForConnection } from './agent-app-kit.ts'

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

const assigneeLabel = (page: import('playwright-core').Page) => page.$eval('#assign', (el) => { const s = el as HTMLSelectElement; return s.options[s.selectedIndex]?.textContent ?? '' })

test('the assignee menu shows the assignee after a reload, a direct URL and an offline reload', async () => {
  const customer = await customerWrites(t, 'Rita Reload', 'Who has my ticket?')
  const { context, page } = await openApp(browser, t, { token: t.ownerToken })
  try {
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined))
    const url = `${t.url}/inbox/waiting/${customer.conversationId}`
    await page.goto(url)
    await page.click('[data-testid=take]')
    await page.locator('[data-testid=assignee]', { hasText: 'Assigned to You' }).waitFor()
    await waitFor(async () => (await serverConversation(t, customer.conversationId)).meta.assignee, 5000, 'the assignment on the server')
    assert.is(await assigneeLabel(page), 'Owner (you)')

    for (const how of ['reload', 'direct URL', 'offline reload'] as const) {
      if (how === 'reload') await page.reload()
      if (how === 'direct URL') { await page.goto('about:blank'); await page.goto(url) }
      if (how === 'offline reload') {
        await page.waitForFunction(() => navigator.serviceWorker.controller !== null)
        await context.setOffline(true)
        await page.reload()
        await waitForConnection(page, 'offline')
      }
      await page.locator('[data-testid=assignee]', { hasText: 'Assigned to You' }).waitFor()
      await page.waitForFunction(() => { const s = document.querySelector('#assign') as HTMLSelectElement | null; return s?.options[s.selectedIndex]?.textContent === 'Owner (you)' })
      assert.is(await assigneeLabel(page), 'Owner (you)', `after a ${how}`)
    }
    await shot(page, 'assignee-after-offline-reload.png')
    await context.setOffline(false)
  } finally {
    await context.close()
  }
})

test('inbox rows: an anonymous visitor has a stable readable name, and the row shows the customer\'s last words', async () => {
  const session = await api(t.url, 'POST', '/api/widget/session', { siteKey: t.siteKey })
  const created = await api(t.url, 'POST', '/api/widget/conversations', { siteKey: t.siteKey, message: { id: 'anon-first-1', text: 'My parcel never arrived' } }, session.body.token)
  assert.is(created.status, 201, JSON.stringify(created.body))
  const id = created.body.id as string
  const { context, page } = await openApp(browser, t, { token: t.ownerToken })
  try {
    await page.click('[data-testid=view-waiting]')
    const row = page.locator(`[data-testid=inbox-row][data-id="${id}"]`)
    await row.waitFor()
    const name = (await row.locator('span.truncate').first().innerText()).trim()
    assert.match(name, /^Visitor #\d{4}$/)
    await row.click()
    await page.locator('#conversation-title', { hasText: name }).waitFor()
    await page.locator('#reply-box:not([readonly])').waitFor()
    await page.fill('#reply-box', 'Sorry to hear that, checking now')
    await page.keyboard.press('Enter')
    await page.click('[data-testid=view-open]')
    const openRow = page.locator(`[data-testid=inbox-row][data-id="${id}"]`)
    await openRow.waitFor()
    await waitFor(async () => (await openRow.locator('[data-testid=inbox-preview]').innerText()) === 'My parcel never arrived', 5000, 'the customer\'s words in the row, not our reply')
    assert.is((await openRow.locator('span.truncate').first().innerText()).trim(), name, 'the same name everywhere')
    await shot(page, 'inbox-visitor-name.png')
  } finally {
    await context.close()
  }
})

test('the status line: offline within 2 s of the network dropping, and 3 waiting changes count as 3', async () => {
  const customer = await customerWrites(t, 'Stan Status', 'Is anyone there?')
  const { context, page } = await openApp(browser, t, { token: t.ownerToken })
  try {
    await page.goto(`${t.url}/inbox/waiting/${customer.conversationId}`)
    await page.locator('#reply-box:not([readonly])').waitFor()
    await waitForConnection(page, 'online')
    // Every label the status line shows from here on, as the agent would have read it.
    await page.evaluate(() => {
      const seen: string[] = []
      ;(window as unknown as { statusLabels: string[] }).statusLabels = seen
      const el = document.querySelector('[data-testid=connection]')!
      new MutationObserver(() => seen.push((el.textContent ?? '').trim())).observe(el, { subtree: true, childList: true, characterData: true, attributes: true })
    })

    const dropped = Date.now()
    await context.setOffline(true)
    await waitForConnection(page, 'offline', 2000)
    const took = Date.now() - dropped
    assert.ok(took <= 2000, `offline shown after ${took} ms`)

    await page.fill('#reply-box', 'Yes, here')
    await page.keyboard.press('Enter')
    await page.selectOption('#priority', 'high')
    await page.fill('#new-label', 'vip')
    await page.press('#new-label', 'Enter')
    await page.locator('[data-testid=connection]:visible', { hasText: '3 changes saved on this device' }).waitFor()
    await shot(page, 'status-offline-3-waiting.png')

    await context.setOffline(false)
    await waitForConnection(page, 'online', 20000)
    const labels = await page.evaluate(() => (window as unknown as { statusLabels: string[] }).statusLabels)
    const syncing = labels.filter((l) => l.startsWith('Syncing'))
    for (const label of syncing) assert.is(label, 'Syncing 3 changes', `the status line said "${label}" while 3 changes waited (all: ${JSON.stringify(labels)})`)
    assert.match(labels[0] ?? '', /^Offline since/, `the first thing said after the drop (all: ${JSON.stringify(labels)})`)
    const server = await serverConversation(t, customer.conversationId)
    assert.is(server.messages.filter((m) => m.text === 'Yes, here').length, 1)
    assert.is(server.meta.priority, 'high')
    assert.equal(server.meta.labels, ['vip'])
  } finally {
    await context.close()
  }
})

test('the status line says when the server cannot reach the other instances, and stops saying it when it can', async () => {
  const { context, page } = await openApp(browser, t, { token: t.ownerToken })
  try {
    await page.goto(`${t.url}/inbox/waiting`)
    await waitForConnection(page, 'online')
    const inboxName = await t.server.services.inbox.documentName(t.workspaceId)
    const tell = (state: 'ok' | 'degraded') => t.server.services.hocuspocus.documents.get(inboxName)!.broadcastStateless(JSON.stringify({ type: 'server-link', state }))
    await waitFor(() => (t.server.services.hocuspocus.documents.get(inboxName)?.getConnectionsCount() ?? 0) > 1, 10_000, 'the app on the inbox')
    // What the scale-out link notice sends when Redis goes away (server/scale-out/link-notice.ts).
    tell('degraded')
    await page.locator('[data-testid=server-link]:visible').waitFor()
    assert.match(await page.locator('[data-testid=server-link]:visible').innerText(), 'other servers')
    assert.is(await page.getAttribute('[data-testid=connection]', 'data-state'), 'online', 'still online: changes are stored and acknowledged')
    await shot(page, 'status-server-link.png')
    tell('ok')
    await page.locator('[data-testid=server-link]:visible').waitFor({ state: 'detached' })
  } finally {
    await context.close()
  }
})

test.run()
