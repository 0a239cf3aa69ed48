/**
 * What agents expect in the conversation (issue 17): the customer's "seen" and CSAT, a "Suggest
 * reply" button that asks the bot, and a transcript download.
 */
import fs from 'node:fs'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import type { Browser } from 'playwright-core'
import * as Y from 'yjs'
import { AI_DRAFT_KEY, PRESENCE_FIELD, formatInternalName, getInternalDrafts, updateMeta } from '../protocol/index.ts'
import { api, connectPeer, startTestServer, waitFor, type TestServer } from '../server/test-kit.ts'
import { buildBrowserParts, launchBrowser } from './browser.ts'
import { conversationDoc, customerWrites, disableAi, openApp, shot } from './agent-app-kit.ts'

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

test('the customer\'s "seen" and rating show in the conversation; "Suggest reply" asks the bot; the transcript downloads', async () => {
  const customer = await customerWrites(t, 'Sia Seen', 'Is the blue one in stock?')
  const { context, page } = await openApp(browser, t, { token: t.ownerToken })
  const visitor = connectPeer(t.wsUrl, conversationDoc(customer.conversationId), customer.visitorToken)
  const bot = connectPeer(t.wsUrl, formatInternalName(customer.conversationId), t.server.serviceToken)
  try {
    await Promise.all([visitor.ready, bot.ready])
    await page.goto(`${t.url}/inbox/waiting/${customer.conversationId}`)
    await page.locator('#reply-box:not([readonly])').waitFor()
    await page.fill('#reply-box', 'Yes, three left')
    await page.keyboard.press('Enter')
    await page.locator('[data-testid=delivery]', { hasText: 'Sent' }).waitFor()
    // The widget says how many messages the customer has seen: both, so our reply is "Seen".
    visitor.provider.sendStateless(JSON.stringify({ type: 'seen', count: 2 }))
    await page.locator('[data-testid=message][data-role=agent] [data-testid=delivery]', { hasText: 'Seen' }).waitFor()

    // "Suggest reply" asks the bot (202 from the API); the bot's suggestion then shows.
    const asked = page.waitForResponse((r) => r.url().endsWith(`/api/conversations/${customer.conversationId}/suggest`) && r.request().method() === 'POST')
    await page.click('[data-testid=suggest]')
    assert.is((await asked).status(), 202)
    await page.locator('[data-testid=suggest]', { hasText: 'Asking the assistant…' }).waitFor()
    const suggestion = new Y.Text()
    getInternalDrafts(bot.doc).set(AI_DRAFT_KEY, suggestion)
    suggestion.insert(0, 'We can hold one for you until Friday.')
    await page.locator('[data-testid=ai-draft]', { hasText: 'We can hold one for you until Friday.' }).waitFor()
    await page.locator('[data-testid=suggest]', { hasText: 'Suggest reply' }).waitFor()

    // Resolved and rated by the customer: the rating and comment show to the agent.
    await page.click('[data-testid=resolve]')
    await waitFor(async () => (await api(t.url, 'GET', `/api/conversations/${customer.conversationId}`, undefined, t.ownerToken)).body.status === 'resolved', 5000, 'resolved')
    const rated = await api(t.url, 'POST', `/api/widget/conversations/${customer.conversationId}/csat`, { rating: 4, comment: 'Quick, thanks' }, customer.visitorToken)
    assert.ok(rated.status < 300, JSON.stringify(rated.body))
    await page.locator('[data-testid=csat]', { hasText: 'Customer rating: 4/5' }).waitFor()
    assert.match(await page.locator('[data-testid=csat]').innerText(), 'Quick, thanks')
    await shot(page, 'conversation-seen-csat.png')

    const download = page.waitForEvent('download')
    await page.click('[data-testid=transcript]')
    const file = await (await download).path()
    const text = fs.readFileSync(file, 'utf8')
    assert.match(text, 'Conversation with Sia Seen')
    assert.match(text, /\] Sia Seen \(customer\): Is the blue one in stock\?/)
    assert.match(text, /\] Owner \(agent\): Yes, three left/)
  } finally {
    visitor.destroy()
    bot.destroy()
    await context.close()
  }
})

test('dark mode follows the system, and the sidebar switch overrides it on this device', async () => {
  const customer = await customerWrites(t, 'Dora Dark', 'Do you ship to Norway?')
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: 'dark' })
  const page = await context.newPage()
  try {
    await page.goto(t.url + '/')
    const me = await api(t.url, 'GET', '/api/auth/me', undefined, t.ownerToken)
    await page.evaluate((session) => localStorage.setItem('parley:session', JSON.stringify(session)), { token: t.ownerToken, agent: me.body.agent, workspace: me.body.workspace })
    await page.goto(`${t.url}/inbox/waiting/${customer.conversationId}`)
    await page.locator('[data-testid=message-text]', { hasText: 'Do you ship to Norway?' }).waitFor()
    // Lightness of the page background and of the text (0 black … 1 white), as the browser paints them.
    // (A string, not a function: tsx would wrap a named inner function in a helper the page lacks.)
    const lightness = () => page.evaluate<{ background: number; text: number }>(`(() => {
      const probe = (color) => { const c = document.createElement('canvas').getContext('2d'); c.fillStyle = color; c.fillRect(0, 0, 1, 1); const [r, g, b] = c.getImageData(0, 0, 1, 1).data; return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255 }
      return { background: probe(getComputedStyle(document.body).backgroundColor), text: probe(getComputedStyle(document.body).color) }
    })()`)
    let seen = await lightness()
    assert.ok(seen.background < 0.2 && seen.text > 0.8, `dark from the system: ${JSON.stringify(seen)}`)
    await shot(page, 'dark-mode-conversation.png')

    await page.selectOption('[data-testid=theme]', 'light')
    seen = await lightness()
    assert.ok(seen.background > 0.9 && seen.text < 0.2, `light when chosen: ${JSON.stringify(seen)}`)
    await page.reload()
    await page.locator('[data-testid=message-text]', { hasText: 'Do you ship to Norway?' }).waitFor()
    assert.ok((await lightness()).background > 0.9, 'the choice is kept on this device')
    await page.selectOption('[data-testid=theme]', 'system')
    assert.ok((await lightness()).background < 0.2, 'back to the system\'s dark')
  } finally {
    await context.close()
  }
})

test('"Assistant is viewing" goes when a human takes the conversation over', async () => {
  const customer = await customerWrites(t, 'Bea Botless', 'Can a person help?')
  // The conversation is the bot's (as with AI on), and the bot has it open.
  await t.server.services.conversations.change(customer.conversationId, (doc: Y.Doc) => updateMeta(doc, { status: 'bot' }))
  const bot = connectPeer(t.wsUrl, conversationDoc(customer.conversationId), t.server.serviceToken)
  const { context, page } = await openApp(browser, t, { token: t.ownerToken })
  try {
    await bot.ready
    bot.provider.setAwarenessField(PRESENCE_FIELD, { role: 'bot', id: 'bot', name: 'Assistant', typing: false })
    await page.goto(`${t.url}/inbox/open/${customer.conversationId}`)
    await page.locator('[data-testid=presence]', { hasText: 'Assistant is viewing' }).waitFor()
    await page.click('[data-testid=take]')
    await page.locator('[data-testid=assignee]', { hasText: 'Assigned to You' }).waitFor()
    await page.locator('[data-testid=presence]', { hasText: 'Assistant' }).waitFor({ state: 'detached' })
  } finally {
    bot.destroy()
    await context.close()
  }
})

test.run()
