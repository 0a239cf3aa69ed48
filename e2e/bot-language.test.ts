/**
 * The built-in bot in a real browser: a German visitor gets the answer and the handover in
 * German; a reply carrying Markdown renders as a list and a link that opens in a new tab, in
 * the widget and in the agent app; raw HTML in a message shows as text.
 */
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import type { Browser, Page } from 'playwright-core'
import { appendMessage, createId, formatConversationName, readMeta, type Message } from '../protocol/index.ts'
import { api, connectPeer, waitFor, type Peer } from '../server/test-kit.ts'
import { loadArticles, readSupportKb, startBotServer, type BotTestServer } from '../ai-worker/test-kit.ts'
import { buildBrowserParts, launchBrowser } from './browser.ts'
import { openApp } from './agent-app-kit.ts'

let t: BotTestServer
let browser: Browser
const peers: Peer[] = []
const MARKDOWN = 'Two steps:\n\n- open **Settings**\n- select *Billing*\n\nSee [the guide](https://example.com/guide). <img src=x onerror=alert(1)>'

test.before(async () => {
  buildBrowserParts()
  t = await startBotServer({ llm: null })
  await loadArticles(t, readSupportKb())
  browser = await launchBrowser()
})

test.after(async () => {
  for (const p of peers) p.destroy()
  await browser?.close()
  await t?.close()
})

async function send(page: Page, text: string) {
  // The visitor's browser is German, so is the widget (issue 17).
  const input = page.locator('parley-widget textarea[aria-label="Nachricht"]')
  await input.waitFor()
  await input.fill(text)
  await input.press('Enter')
}

test('a German visitor: answer and handover in German; Markdown renders as a list and a link, HTML stays text, in the widget and the agent app', async () => {
  const context = await browser.newContext({ locale: 'de-DE' })
  const page = await context.newPage()
  const alerts: string[] = []
  page.on('dialog', (dialog) => { alerts.push(dialog.message()); void dialog.dismiss() })
  await page.goto(`${t.url}/demo`)
  await page.locator('parley-widget .launcher').click()
  await page.locator('parley-widget .panel').waitFor()
  if (await page.locator('parley-widget #prechat-name').count()) {
    await page.locator('parley-widget #prechat-name').fill('Greta')
    if (await page.locator('parley-widget #prechat-email').count()) await page.locator('parley-widget #prechat-email').fill('greta@example.com')
    await page.locator('parley-widget button', { hasText: 'Chat starten' }).click()
  }
  await send(page, 'Wie bekomme ich eine Kopie meiner Rechnung?')
  await page.locator('parley-widget .bubble', { hasText: 'in unserem Hilfe-Center gefunden' }).waitFor({ timeout: 15_000 })
  await page.locator('parley-widget .bubble', { hasText: 'Beantwortet das Ihre Frage?' }).waitFor()

  await send(page, 'Ich möchte bitte mit einem Menschen sprechen')
  await page.locator('parley-widget .bubble', { hasText: 'Ich übergebe dieses Gespräch' }).waitFor({ timeout: 15_000 })

  // An agent's reply with Markdown and raw HTML.
  const list = await api(t.url, 'GET', '/api/conversations', undefined, t.ownerToken)
  const conversationId = list.body.items[0].id as string
  const agentId = (await api(t.url, 'GET', '/api/auth/me', undefined, t.ownerToken)).body.agent.id
  const agent = connectPeer(t.wsUrl, formatConversationName(conversationId), t.ownerToken)
  peers.push(agent)
  await agent.ready
  await waitFor(() => readMeta(agent.doc).status === 'waiting', 5000, 'the handover')
  const reply: Message = { id: createId('m'), author: { role: 'agent', id: agentId, name: 'Sam' }, kind: 'message', text: MARKDOWN, attachments: [], createdAt: Date.now() }
  appendMessage(agent.doc, reply)

  const bubble = page.locator('parley-widget .bubble.markdown', { hasText: 'Two steps' })
  await bubble.waitFor({ timeout: 10_000 })
  assert.is(await bubble.locator('ul > li').count(), 2, 'a list in the widget')
  assert.is(await bubble.locator('strong', { hasText: 'Settings' }).count(), 1)
  const link = bubble.locator('a', { hasText: 'the guide' })
  assert.is(await link.getAttribute('href'), 'https://example.com/guide')
  assert.is(await link.getAttribute('target'), '_blank')
  assert.match((await link.getAttribute('rel')) ?? '', /noopener/)
  assert.is(await bubble.locator('img').count(), 0, 'no image element')
  assert.match(await bubble.innerText(), /<img src=x onerror=alert\(1\)>/, 'the HTML shows as text')

  const app = await openApp(browser, t, { token: t.ownerToken })
  await app.page.goto(`${t.url}/inbox/waiting/${conversationId}`)
  const text = app.page.locator('[data-testid=message-text]', { hasText: 'Two steps' })
  await text.waitFor({ timeout: 15_000 })
  assert.is(await text.locator('ul > li').count(), 2, 'a list in the agent app')
  const appLink = text.locator('a', { hasText: 'the guide' })
  assert.is(await appLink.getAttribute('target'), '_blank')
  assert.match((await appLink.getAttribute('rel')) ?? '', /noopener/)
  assert.is(await text.locator('img').count(), 0)
  assert.match(await text.innerText(), /<img src=x onerror=alert\(1\)>/)
  assert.equal(alerts, [], 'nothing ran')
  await app.context.close()
  await context.close()
})

test.run()
