/**
 * Issue 11's greeting fixes in a real browser: the widget's own welcome text gives way to the
 * bot's greeting (never two greetings), which comes before the visitor's question and in their
 * language.
 */
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import type { Browser } from 'playwright-core'
import { api } from '../server/test-kit.ts'
import { loadArticles, readSupportKb, startBotServer, type BotTestServer } from '../ai-worker/test-kit.ts'
import { artifact, buildBrowserParts, launchBrowser } from './browser.ts'

let t: BotTestServer
let browser: Browser

test.before(async () => {
  buildBrowserParts()
  t = await startBotServer({ llm: null })
  await loadArticles(t, readSupportKb())
  browser = await launchBrowser()
})

test.after(async () => {
  await browser?.close()
  await t?.close()
})

test('one greeting: the widget\'s welcome before the conversation, then the bot\'s, in German, above the question', async () => {
  const widget = (await api(t.url, 'GET', '/api/widgets', undefined, t.ownerToken)).body.items[0]
  const patched = await api(t.url, 'PATCH', `/api/widgets/${widget.id}`, { welcomeMessage: 'Welcome to Northwind! How can we help?' }, t.ownerToken)
  assert.is(patched.status, 200, JSON.stringify(patched.body))
  const context = await browser.newContext({ locale: 'de-DE' })
  try {
    const page = await context.newPage()
    await page.goto(`${t.url}/demo`)
    await page.locator('parley-widget .launcher').click()
    await page.locator('parley-widget .bubble', { hasText: 'Welcome to Northwind' }).waitFor()
    const box = page.locator('parley-widget textarea[aria-label="Nachricht"]')
    // Every frame until the answer is final: what the visitor sees of the reply as it streams in.
    // (A string, not a function: the test runner's transform would add helpers the page lacks.)
    const watching = page.evaluate(`new Promise((resolve) => {
      const seen = new Set()
      const started = Date.now()
      const look = () => {
        const root = document.querySelector('parley-widget')?.shadowRoot
        const texts = [...(root?.querySelectorAll('.bubble') ?? [])].map((b) => b.innerText)
        for (const text of texts) if (/Hilfe-Center/.test(text)) seen.add(text)
        if (texts.some((text) => /Beantwortet das Ihre Frage\\?/.test(text)) || Date.now() - started > 30000) resolve([...seen])
        else requestAnimationFrame(look)
      }
      look()
    })`) as Promise<string[]>
    await box.fill('Wo finde ich meine Rechnungen?')
    await box.press('Enter')
    // The finished answer (while it streams, the bubble holds its first words only).
    await page.locator('parley-widget .bubble', { hasText: 'Beantwortet das Ihre Frage?' }).waitFor({ timeout: 30_000 })
    const states = await watching
    assert.ok(states.length > 1, `the reply was seen streaming in (${states.length} states)`)
    assert.not.ok(states.some((text) => text.includes('**')), 'no raw Markdown while it streams: ' + states.find((text) => text.includes('**')))
    const texts = await page.locator('parley-widget .bubble').allInnerTexts()
    const greetings = texts.filter((text) => /Welcome to Northwind|Hallo! Ich bin der Support-Assistent/.test(text))
    assert.is(greetings.length, 1, `one greeting in ${JSON.stringify(texts)}`)
    assert.match(greetings[0]!, /^Hallo! Ich bin der Support-Assistent/, 'the bot\'s, in the visitor\'s language')
    const greetingAt = texts.findIndex((text) => /Hallo! Ich bin/.test(text))
    const questionAt = texts.findIndex((text) => /Wo finde ich meine Rechnungen/.test(text))
    assert.ok(greetingAt >= 0 && greetingAt < questionAt, 'the greeting is above the question')
    await page.screenshot({ path: artifact('bot-greeting-once.png') })
  } finally { await context.close() }
})

test.run()
