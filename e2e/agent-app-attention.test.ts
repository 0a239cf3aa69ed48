/**
 * What draws an agent's attention (issue 17): the unread count in the tab title, the optional
 * chime (off until the agent turns it on, then for a new waiting conversation), and URLs in
 * messages as links that open a new tab, in the agent app and the widget, with markup kept as text.
 */
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import type { Browser } from 'playwright-core'
import { startTestServer, type TestServer } from '../server/test-kit.ts'
import { buildBrowserParts, launchBrowser } from './browser.ts'
import { customerWrites, disableAi, openApp, shot } from './agent-app-kit.ts'

let t: TestServer
let browser: Browser
const HOSTILE = '<img src=x onerror=alert(1)>'

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

test('the tab title counts unread conversations; the chime stays silent until turned on, then sounds for a new waiting conversation', async () => {
  const { context, page } = await openApp(browser, t, { token: t.ownerToken })
  // Count the chime's notes: every one is an oscillator started (Web Audio, no file).
  await page.evaluate(() => {
    const w = window as unknown as { chimes: number }
    w.chimes = 0
    const start = OscillatorNode.prototype.start
    OscillatorNode.prototype.start = function (...args: Parameters<typeof start>) { w.chimes++; return start.apply(this, args) }
  })
  const chimes = () => page.evaluate(() => (window as unknown as { chimes: number }).chimes)
  await page.waitForFunction(() => document.title === 'Parley')

  const first = await customerWrites(t, 'Mara Quiet', 'Is anyone there?')
  await page.waitForFunction(() => document.title === '(1) Parley', undefined, { timeout: 30_000 })
  assert.is(await chimes(), 0, 'no sound by default')

  // Turning it on plays it once as a preview (and is the click browsers want before sound).
  await page.check('[data-testid=sound]')
  // The chime's code loads on first use (import()): wait for its two notes rather than read them at once.
  await page.waitForFunction(() => (window as unknown as { chimes: number }).chimes === 2, undefined, { timeout: 10_000 })
  assert.is(await chimes(), 2)
  await customerWrites(t, 'Nils Loud', 'Hello, my order?')
  await page.waitForFunction(() => document.title === '(2) Parley', undefined, { timeout: 30_000 })
  await page.waitForFunction(() => (window as unknown as { chimes: number }).chimes === 4, undefined, { timeout: 30_000 })

  // Reading a conversation takes it off the count.
  await page.goto(`${t.url}/inbox/waiting/${first.conversationId}`)
  await page.locator('[data-testid=message-text]', { hasText: 'Is anyone there?' }).waitFor()
  await page.waitForFunction(() => document.title === '(1) Parley', undefined, { timeout: 30_000 })
  await page.uncheck('[data-testid=sound]')
  await context.close()
})

test('URLs are links (new tab, rel=noopener) in the app and the widget; an <img onerror> stays text on both sides', async () => {
  const visitor = await browser.newContext()
  const widget = await visitor.newPage()
  let dialogs = 0
  widget.on('dialog', (d) => { dialogs++; void d.dismiss() })
  await widget.goto(`${t.url}/demo`)
  await widget.locator('parley-widget .launcher').click()
  const input = widget.locator('parley-widget textarea')
  await input.fill(`My shop is www.example.org/shop, see ${HOSTILE}`)
  await input.press('Enter')

  const { context, page } = await openApp(browser, t, { token: t.ownerToken })
  page.on('dialog', (d) => { dialogs++; void d.dismiss() })
  await page.goto(`${t.url}/inbox/waiting`)
  await page.locator('[data-testid=inbox-row]', { hasText: 'www.example.org' }).click()
  const customerText = page.locator('[data-testid=message][data-role=customer] [data-testid=message-text]', { hasText: 'www.example.org' })
  await customerText.waitFor({ timeout: 30_000 })
  const link = customerText.locator('a')
  assert.is(await link.getAttribute('href'), 'https://www.example.org/shop')
  assert.is(await link.getAttribute('target'), '_blank')
  assert.match((await link.getAttribute('rel')) ?? '', 'noopener')
  assert.match((await customerText.textContent()) ?? '', HOSTILE)
  assert.is(await customerText.locator('img').count(), 0)

  await page.fill('[data-testid=reply-box]', `Our docs: https://example.com/docs?a=1. And ${HOSTILE}`)
  await page.click('[data-testid=send]')
  const reply = page.locator('[data-testid=message][data-role=agent] [data-testid=message-text]', { hasText: 'Our docs' })
  await reply.locator('a[href="https://example.com/docs?a=1"][target=_blank]').waitFor({ timeout: 30_000 })
  assert.match((await reply.textContent()) ?? '', HOSTILE)
  assert.is(await reply.locator('img').count(), 0)
  await shot(page, 'links-app.png')

  // The widget: the agent's link, and the visitor's own.
  const agentBubble = widget.locator('parley-widget .msg.role-agent .bubble', { hasText: 'Our docs' })
  const agentLink = agentBubble.locator('a[href="https://example.com/docs?a=1"]')
  await agentLink.waitFor({ timeout: 30_000 })
  assert.is(await agentLink.getAttribute('target'), '_blank')
  assert.match((await agentLink.getAttribute('rel')) ?? '', 'noopener')
  assert.match((await agentBubble.textContent()) ?? '', HOSTILE)
  assert.is(await agentBubble.locator('img').count(), 0)
  const ownBubble = widget.locator('parley-widget .msg.mine .bubble', { hasText: 'www.example.org' })
  assert.is(await ownBubble.locator('a').getAttribute('href'), 'https://www.example.org/shop')
  assert.is(await ownBubble.locator('img').count(), 0)
  await widget.screenshot({ path: 'e2e/artifacts/links-widget.png' })
  assert.is(dialogs, 0, 'no script ran')
  await context.close()
  await visitor.close()
})

test.run()
