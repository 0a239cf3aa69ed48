/**
 * A file the visitor attaches while offline (issue 17): it waits in the widget's outbox with its
 * message, survives a reload, and is uploaded and sent exactly once when the connection returns;
 * the agent gets it as an attachment. The browser is Debian's Chromium; the server is real.
 */
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import type { Browser } from 'playwright-core'
import { api, startTestServer, waitFor, type TestServer } from '../server/test-kit.ts'
import { buildBrowserParts, launchBrowser } from './browser.ts'
import { disableAi } from './agent-app-kit.ts'

let t: TestServer
let browser: Browser

// A 2×2 red PNG.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGP8z8DAwMDAxMDAwMDAAAANHQEDasKb6QAAAABJRU5ErkJggg==', 'base64')

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

test('a photo attached offline waits with its message, survives a reload, and is sent once when back online', async () => {
  const context = await browser.newContext()
  const page = await context.newPage()
  page.on('pageerror', (error) => console.error('page error:', error.message))
  await page.goto(`${t.url}/demo`)
  await page.locator('parley-widget .launcher').click()
  const input = page.locator('parley-widget textarea')
  await input.fill('My tent arrived torn, photo below')
  await input.press('Enter')
  await page.locator('parley-widget .msg.mine[data-state=sent], parley-widget .msg.mine[data-state=seen]').first().waitFor({ timeout: 20_000 })
  const conversationId = await waitFor(async () => (await api(t.url, 'GET', '/api/conversations', undefined, t.ownerToken)).body.items[0]?.id as string | undefined, 10_000, 'the conversation')

  await context.setOffline(true)
  await page.locator('parley-widget input[type=file]').setInputFiles({ name: 'torn-tent.png', mimeType: 'image/png', buffer: PNG })
  const waiting = page.locator('parley-widget .msg.mine', { hasText: 'torn-tent.png waits to be sent' })
  await waiting.waitFor()
  assert.is(await waiting.getAttribute('data-state'), 'offline')
  await page.locator('parley-widget .notice', { hasText: 'You are offline' }).waitFor()
  await page.screenshot({ path: 'e2e/artifacts/widget-offline-file.png' })

  // A reload while it waits (the page itself needs the network: back online for the reload,
  // the server refused meanwhile so the outbox cannot deliver yet).
  await context.route('**/api/widget/conversations/*/attachments*', (route) => route.abort('internetdisconnected'))
  await context.setOffline(false)
  await page.reload()
  await page.locator('parley-widget .launcher').click()
  await page.locator('parley-widget .msg.mine', { hasText: 'torn-tent.png waits to be sent' }).waitFor({ timeout: 20_000 })
  const before = await api(t.url, 'GET', `/api/conversations/${conversationId}/transcript`, undefined, t.ownerToken)
  assert.is(before.body.messages.filter((m: { attachments: unknown[] }) => m.attachments.length > 0).length, 0, 'nothing sent yet')

  // The connection returns: uploaded, then sent with its message, once.
  await context.unroute('**/api/widget/conversations/*/attachments*')
  await page.evaluate(() => window.dispatchEvent(new Event('online')))
  await page.locator('parley-widget .msg.mine .files img[alt="torn-tent.png"]').waitFor({ timeout: 30_000 })
  await page.waitForFunction(() => {
    const img = document.querySelector('parley-widget')?.shadowRoot?.querySelector('.msg.mine .files img') as HTMLImageElement | null
    return Boolean(img?.complete && img.naturalWidth === 2)
  }, undefined, { timeout: 30_000 })
  const after = await waitFor(async () => {
    const r = await api(t.url, 'GET', `/api/conversations/${conversationId}/transcript`, undefined, t.ownerToken)
    const withFiles = r.body.messages.filter((m: { attachments: unknown[] }) => m.attachments.length > 0)
    return withFiles.length > 0 ? withFiles : null
  }, 20_000, 'the photo in the transcript')
  assert.is(after.length, 1, 'sent exactly once')
  assert.is(after[0].attachments[0].name, 'torn-tent.png')
  assert.is(after[0].attachments[0].contentType, 'image/png')
  assert.is(after[0].attachments[0].size, PNG.length)
  // The bytes the agent downloads are the visitor's.
  const download = await fetch(`${t.url}/api/widget/conversations/${conversationId}/attachments/${encodeURIComponent(after[0].attachments[0].id)}`, { headers: { authorization: `Bearer ${t.ownerToken}` } })
  assert.is(download.status, 200)
  assert.ok(Buffer.from(await download.arrayBuffer()).equals(PNG))
  await page.screenshot({ path: 'e2e/artifacts/widget-offline-file-sent.png' })
  // Nothing left waiting on the device.
  assert.is(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.endsWith(':outbox')).length), 0)
  await context.close()
})

test.run()
