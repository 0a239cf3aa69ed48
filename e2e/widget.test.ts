/**
 * The customer widget in a real browser (Debian's Chromium), embedded in the /demo page as a
 * real site embeds it, talking to a real server; agents and the bot are real Node peers.
 */
import { createHmac } from 'node:crypto'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import * as Y from 'yjs'
import {
  appendMessage, createId, formatConversationName, formatInboxName, getStreams, queuePosition, readInbox, readMessages, readMeta, updateMeta, type Message,
} from '../protocol/index.ts'
import { api, connectPeer, startTestServer, waitFor, type Peer, type TestServer } from '../server/test-kit.ts'
import { artifact, buildBrowserParts, launchBrowser } from './browser.ts'

let t: TestServer
let browser: Browser
let agentId: string
let widgetSecret: string
const peers: Peer[] = []

const agentSays = (text: string): Message => ({ id: createId('m'), author: { role: 'agent', id: agentId, name: 'Sam' }, kind: 'message', text, attachments: [], createdAt: Date.now() })
const peer = (name: string, token: string) => { const p = connectPeer(t.wsUrl, name, token); peers.push(p); return p }
const texts = (p: Peer, text: string) => readMessages(p.doc).filter((m) => m.text === text).length

async function openDemo(context: BrowserContext): Promise<Page> {
  const page = await context.newPage()
  page.on('pageerror', (error) => console.error('page error:', error.message))
  await page.goto(`${t.url}/demo`)
  await page.locator('parley-widget .launcher').click()
  await page.locator('parley-widget .panel').waitFor()
  return page
}

async function conversationOf(contactName: string): Promise<string> {
  return waitFor(async () => {
    const list = await api(t.url, 'GET', '/api/conversations', undefined, t.ownerToken)
    const contacts = await api(t.url, 'GET', '/api/contacts', undefined, t.ownerToken)
    const contact = contacts.body.items.find((c: { name: string }) => c.name === contactName)
    return list.body.items.find((c: { contactId: string }) => c.contactId === contact?.id)?.id as string | undefined
  }, 10_000, `a conversation of ${contactName}`)
}

const bubble = (page: Page, text: string) => page.locator('parley-widget .bubble', { hasText: text })

test.before(async () => {
  buildBrowserParts()
  t = await startTestServer()
  // The bot is built elsewhere; with it off, what the visitor sees comes from agents and the test.
  await api(t.url, 'PUT', '/api/settings/ai', { enabled: false, persona: 'p', greeting: '', confidenceThreshold: 0.5, businessHours: null }, t.ownerToken)
  const widgets = await api(t.url, 'GET', '/api/widgets', undefined, t.ownerToken)
  widgetSecret = widgets.body.items[0].secret
  await api(t.url, 'PATCH', `/api/widgets/${widgets.body.items[0].id}`, {
    title: 'Northwind help', businessName: 'Northwind Outdoor', primaryColor: '#2d6a4f',
    prechat: { enabled: true, fields: [{ name: 'name', label: 'Name', type: 'text', required: true }, { name: 'email', label: 'Email', type: 'email', required: true }] },
  }, t.ownerToken)
  agentId = (await api(t.url, 'GET', '/api/auth/me', undefined, t.ownerToken)).body.agent.id
  browser = await launchBrowser()
})

test.after(async () => {
  for (const p of peers) p.destroy()
  await browser?.close()
  await t?.close()
})

test('pre-chat, a live agent reply, typing, HTML shown as text, history after reload, and an offline outbox delivered exactly once', async () => {
  const context = await browser.newContext()
  const page = await openDemo(context)
  // Pre-chat: checked in the browser before anything is sent.
  await page.locator('parley-widget button', { hasText: 'Start chat' }).click()
  await page.locator('parley-widget .error', { hasText: 'Name is required' }).waitFor()
  await page.locator('parley-widget #prechat-name').fill('Vera Visitor')
  await page.locator('parley-widget #prechat-email').fill('not-an-email')
  await page.locator('parley-widget button', { hasText: 'Start chat' }).click()
  await page.locator('parley-widget .error', { hasText: 'Email must be an email address' }).waitFor()
  await page.locator('parley-widget #prechat-email').fill('vera@example.com')
  await page.locator('parley-widget button', { hasText: 'Start chat' }).click()

  const input = page.locator('parley-widget textarea[aria-label="Message"]')
  await input.fill('Hello, my tent pole snapped')
  await input.press('Enter')
  await page.locator('parley-widget .msg.mine[data-state="sent"]').waitFor()
  const conversationId = await conversationOf('Vera Visitor')
  const contact = (await api(t.url, 'GET', '/api/contacts', undefined, t.ownerToken)).body.items.find((c: { name: string }) => c.name === 'Vera Visitor')
  assert.is(contact.email, 'vera@example.com', 'the pre-chat email is on the contact')

  const agent = peer(formatConversationName(conversationId), t.ownerToken)
  await agent.ready
  const typingSeen: any[] = []
  agent.provider.on('stateless', ({ payload }: { payload: string }) => { const m = JSON.parse(payload); if (m.type === 'typing' || m.type === 'seen') typingSeen.push(m) })
  // Typing, both ways.
  await input.pressSequentially('one more', { delay: 10 })
  await waitFor(() => typingSeen.some((m) => m.role === 'customer' && m.typing), 5000, 'the agent sees the customer typing')
  await input.fill('')
  agent.provider.sendStateless(JSON.stringify({ type: 'typing', typing: true }))
  await page.locator('parley-widget .typing', { hasText: 'Owner is typing' }).waitFor()

  // Nobody has it yet: the visitor is told their place in the queue (an agent is connected).
  await page.locator('parley-widget .notice', { hasText: 'You are number 1 in the queue' }).waitFor()

  // Handed to the bot: its reply streams in, token by token, as the bot writes it (service principal).
  updateMeta(agent.doc, { status: 'bot', waitingSince: null })
  const bot = peer(formatConversationName(conversationId), t.server.serviceToken)
  await bot.ready
  await waitFor(() => readMeta(bot.doc).status === 'bot', 5000, 'the bot has the conversation')
  await page.locator('parley-widget .notice').and(page.locator('[hidden]')).waitFor({ state: 'attached' })
  const stream = new Y.Text()
  getStreams(bot.doc).set('reply-1', stream)
  stream.insert(0, 'Checking the warranty')
  await page.locator('parley-widget .msg.role-bot .bubble', { hasText: 'Checking the warranty' }).waitFor()
  stream.insert(stream.length, ' for the Trail Tent 2P')
  await page.locator('parley-widget .msg.role-bot .bubble', { hasText: 'Checking the warranty for the Trail Tent 2P' }).waitFor()
  bot.doc.transact(() => {
    getStreams(bot.doc).delete('reply-1')
    appendMessage(bot.doc, { id: createId('m'), author: { role: 'bot', id: 'bot', name: 'Assistant' }, kind: 'message', text: 'Checking the warranty for the Trail Tent 2P: covered.', attachments: [], createdAt: Date.now() })
  })
  await bubble(page, 'covered.').waitFor()
  // The bot escalates: the visitor sees it, live, with their place in the queue.
  updateMeta(bot.doc, { status: 'waiting', waitingSince: Date.now(), escalationReason: 'warranty claim' })
  await page.locator('parley-widget .notice', { hasText: 'You are number 1 in the queue' }).waitFor()
  await page.screenshot({ path: artifact('widget-queue.png') })

  assert.is((await api(t.url, 'POST', `/api/conversations/${conversationId}/take`, {}, t.ownerToken)).body.taken, true) // the assignee is the server's (routing, issue 12)
  await waitFor(() => readMeta(agent.doc).assignee === agentId, 5000, 'the take in the document')
  appendMessage(agent.doc, agentSays('Sorry to hear that! Which tent is it?'))
  await page.locator('parley-widget .notice').and(page.locator('[hidden]')).waitFor({ state: 'attached' })
  await bubble(page, 'Sorry to hear that! Which tent is it?').waitFor()
  const count = readMessages(agent.doc).length
  await waitFor(() => typingSeen.some((m) => m.type === 'seen' && m.role === 'customer' && m.count === count), 5000, 'the agent learns the visitor has seen the reply')
  await page.locator('parley-widget .msg.mine[data-state="seen"]').waitFor()

  // Markup in a message is text, never markup: from the agent and from the visitor.
  const hostile = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script><b>bold?</b>'
  appendMessage(agent.doc, agentSays(hostile))
  await input.fill('<script>window.__pwned=3</script>')
  await input.press('Enter')
  await waitFor(() => texts(agent, '<script>window.__pwned=3</script>') === 1, 5000, 'the visitor\'s markup reaches the server as text')
  await bubble(page, '<script>window.__pwned=3</script>').waitFor()
  assert.is(await bubble(page, 'bold?').textContent(), hostile)
  assert.is(await page.locator('parley-widget .bubble img, parley-widget .bubble script, parley-widget .bubble b').count(), 0)
  assert.is(await page.evaluate(() => (window as { __pwned?: number }).__pwned), undefined)

  // History survives a reload: same visitor, same conversation.
  await page.reload()
  await page.locator('parley-widget .launcher').click()
  await bubble(page, 'Hello, my tent pole snapped').waitFor()
  await bubble(page, 'Sorry to hear that! Which tent is it?').waitFor()
  assert.is(await page.locator('parley-widget #prechat-name').count(), 0, 'the pre-chat form is not asked twice')

  // Offline: two messages wait in the outbox, then go exactly once each.
  await context.setOffline(true)
  await input.fill('Offline message one')
  await input.press('Enter')
  await input.fill('Offline message two')
  await input.press('Enter')
  await page.locator('parley-widget .msg.mine[data-state="offline"]', { hasText: 'Offline message two' }).waitFor()
  await page.locator('parley-widget .notice', { hasText: 'You are offline' }).waitFor()
  await page.screenshot({ path: artifact('widget-offline.png') })
  const queued = await page.evaluate(() => Object.entries(localStorage).filter(([k]) => k.endsWith(':outbox')).map(([, v]) => JSON.parse(v).length))
  assert.equal(queued, [2], 'both messages are kept in localStorage while offline')
  assert.is(texts(agent, 'Offline message one'), 0)
  await context.setOffline(false)
  await waitFor(() => texts(agent, 'Offline message one') === 1 && texts(agent, 'Offline message two') === 1, 20_000, 'both offline messages on the server')
  await page.locator('parley-widget .msg.mine', { hasText: 'Offline message two' }).and(page.locator('[data-state="sent"], [data-state="seen"]')).waitFor()
  await waitFor(() => page.evaluate(() => Object.keys(localStorage).every((k) => !k.endsWith(':outbox'))), 5000, 'the outbox is empty')
  const all = readMessages(agent.doc).map((m) => m.text)
  assert.is(all.filter((x) => x === 'Offline message one').length, 1)
  assert.is(all.filter((x) => x === 'Offline message two').length, 1)
  const order = all.filter((x) => x.startsWith('Offline'))
  assert.equal(order, ['Offline message one', 'Offline message two'], 'in the order they were typed')
  await context.close()
})

const HOSTILE_CSS = `
  * { all: unset !important; }
  div { display: none !important; }
  button, textarea, input { background: red !important; color: lime !important; font-size: 40px !important; }
  body * { transform: rotate(3deg) !important; }
  [class] { visibility: hidden !important; }
`

for (const screen of [{ name: 'phone', width: 360, height: 740 }, { name: 'desktop', width: 1280, height: 800 }]) {
  test(`${screen.name} (${screen.width}px): the host page's aggressive CSS does not break the widget`, async () => {
    const context = await browser.newContext({ viewport: { width: screen.width, height: screen.height } })
    const page = await context.newPage()
    await page.goto(`${t.url}/demo`)
    await page.addStyleTag({ content: HOSTILE_CSS })
    const launcher = page.locator('parley-widget .launcher')
    await launcher.waitFor()
    const button = (await launcher.boundingBox())!
    assert.ok(button.width >= 56 && button.height >= 56, `launcher is its own size (${button.width}×${button.height})`)
    assert.ok(button.x + button.width <= screen.width && button.y + button.height <= screen.height, 'launcher on screen')
    await page.screenshot({ path: artifact(`widget-hostile-${screen.name}-closed.png`) })
    await launcher.click()
    await page.locator('parley-widget .panel').evaluate((el) => Promise.all(el.getAnimations().map((a) => a.finished)))
    const panel = (await page.locator('parley-widget .panel').boundingBox())!
    if (screen.width <= 480) assert.equal([panel.x, panel.y, panel.width, panel.height].map(Math.round), [0, 0, screen.width, screen.height], 'full screen on a phone')
    else assert.ok(panel.width >= 360 && panel.height >= 400 && panel.x + panel.width <= screen.width, `panel laid out (${JSON.stringify(panel)})`)
    // The form is usable: the pre-chat form, then a message.
    await page.locator('parley-widget #prechat-name').fill(`Hostile ${screen.name}`)
    await page.locator('parley-widget #prechat-email').fill(`${screen.name}@example.com`)
    await page.locator('parley-widget button', { hasText: 'Start chat' }).click()
    const input = page.locator('parley-widget textarea[aria-label="Message"]')
    // The composer shows once the conversation exists (a request to the server): wait for it, as a person would.
    await input.waitFor({ state: 'visible' })
    const box = (await input.boundingBox())!
    assert.ok(box.height < 80 && box.width > 150, `composer keeps its own font and size (${JSON.stringify(box)})`)
    await input.fill('Does this page still work?')
    await input.press('Enter')
    await page.locator('parley-widget .msg.mine[data-state="sent"]').waitFor()
    await page.locator('parley-widget .notice', { hasText: /You are number \d+ in the queue/ }).waitFor()
    const colour = await page.locator('parley-widget .launcher').evaluate((el) => getComputedStyle(el).backgroundColor)
    assert.is(colour, 'rgb(45, 106, 79)', 'the widget keeps its configured colour')
    await page.screenshot({ path: artifact(`widget-hostile-${screen.name}-open.png`) })
    await context.close()
  })
}

test('keyboard: Escape closes, Tab stays inside the open panel, focus returns to the launcher', async () => {
  const context = await browser.newContext({ reducedMotion: 'reduce' })
  const page = await openDemo(context)
  const inPanel = () => page.evaluate(() => {
    const host = document.querySelector('parley-widget')!
    const active = host.shadowRoot!.activeElement
    return document.activeElement === host && !!active && !!active.closest('.panel')
  })
  assert.ok(await inPanel(), 'focus moves into the panel when it opens')
  // The widget's own rules (`*{margin:0}` and the rest) stay in its shadow root: the page keeps its look.
  assert.not.equal(await page.locator('h1').evaluate((el) => getComputedStyle(el).marginTop), '0px')
  assert.is(await page.locator('h1').evaluate((el) => getComputedStyle(el).fontFamily), 'Georgia, serif')
  for (let i = 0; i < 8; i++) {
    await page.keyboard.press('Tab')
    assert.ok(await inPanel(), `Tab ${i + 1} stays in the panel`)
  }
  for (let i = 0; i < 8; i++) {
    await page.keyboard.press('Shift+Tab')
    assert.ok(await inPanel(), `Shift+Tab ${i + 1} stays in the panel`)
  }
  const animation = await page.locator('parley-widget .panel').evaluate((el) => getComputedStyle(el).animationName)
  assert.is(animation, 'none', 'no animation when the visitor prefers reduced motion')
  await page.keyboard.press('Escape')
  await page.locator('parley-widget .panel').waitFor({ state: 'hidden' })
  assert.is(await page.evaluate(() => document.querySelector('parley-widget')!.shadowRoot!.activeElement?.className), 'launcher')
  assert.is(await page.locator('parley-widget .launcher').getAttribute('aria-expanded'), 'false')
  await context.close()
})

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64')
const sign = (userId: string) => createHmac('sha256', widgetSecret).update(userId).digest('hex')

async function identified(context: BrowserContext, userId: string, userHash: string): Promise<{ page: Page; verified: boolean }> {
  const page = await context.newPage()
  await page.goto(`${t.url}/demo`)
  await page.waitForFunction(() => 'Parley' in window)
  const verified = await page.evaluate(([id, hash]) => window.Parley!.identify({ userId: id!, userHash: hash! }), [userId, userHash])
  await page.evaluate(() => window.Parley!.open())
  await page.locator('parley-widget .panel').waitFor()
  return { page, verified }
}

test('nobody online: leave an email; attachments; a verified user\'s history on another device; a wrong hash refused; CSAT; a new conversation', async () => {
  for (const p of peers.splice(0)) p.destroy()
  const a = await browser.newContext()
  const { page, verified } = await identified(a, 'customer-4711', sign('customer-4711'))
  assert.ok(verified)
  assert.is(await page.locator('parley-widget #prechat-name').count(), 0, 'a verified user skips the pre-chat form')
  const input = page.locator('parley-widget textarea[aria-label="Message"]')
  await input.fill('My order 4711 has not arrived')
  await input.press('Enter')
  await page.locator('parley-widget .msg.mine[data-state="sent"]').waitFor()

  // No agent is connected and the bot is off: the widget says so and takes an email.
  await page.locator('parley-widget .notice', { hasText: 'Nobody from the team is online right now' }).waitFor()
  // This server has no SMTP_URL: no reply by email is promised (issue 15).
  await page.locator('parley-widget .notice', { hasText: 'The reply will appear here in this chat: come back to this page to read it.' }).waitFor()
  assert.not.match(await page.locator('parley-widget .notice').innerText(), /reply (to you )?(there|by email)/)
  await page.locator('parley-widget .notice input[type=email]').fill('ida@example.com')
  await page.locator('parley-widget .notice button', { hasText: 'Save' }).click()
  await page.locator('parley-widget .notice', { hasText: 'Thanks, we have ida@example.com. The reply will appear here in this chat' }).waitFor()
  const conversationId = await waitFor(async () => {
    const contacts = await api(t.url, 'GET', '/api/contacts', undefined, t.ownerToken)
    const contact = contacts.body.items.find((c: { externalId: string }) => c.externalId === 'customer-4711')
    return contact?.email === 'ida@example.com' ? (await api(t.url, 'GET', `/api/contacts/${contact.id}`, undefined, t.ownerToken)).body.conversations[0]?.id as string : null
  }, 5000, 'the email on the contact')

  // An agent comes online: the notice turns into the visitor's place in the queue, live.
  const inbox = peer(formatInboxName(t.workspaceId), t.ownerToken)
  await inbox.ready
  const place = await waitFor(() => queuePosition(readInbox(inbox.doc), conversationId), 5000, 'a place in the queue')
  await page.locator('parley-widget .notice', { hasText: `You are number ${place} in the queue` }).waitFor()

  // An image attachment, uploaded, sent and shown (fetched with the visitor's token).
  await page.locator('parley-widget input[type=file]').setInputFiles({ name: 'receipt.png', mimeType: 'image/png', buffer: PNG })
  const image = page.locator('parley-widget .files img[alt="receipt.png"]')
  await image.waitFor()
  await waitFor(() => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth === 1), 5000, 'the image loaded')
  const agent = peer(formatConversationName(conversationId), t.ownerToken)
  await agent.ready
  await waitFor(() => readMessages(agent.doc).some((m) => m.attachments[0]?.name === 'receipt.png'), 5000, 'the attachment on the server')

  // window.Parley.on('message') hears live messages.
  await page.evaluate(() => { (window as any).__heard = []; window.Parley!.on('message', (m: any) => (window as any).__heard.push(m.text)) })
  assert.is((await api(t.url, 'POST', `/api/conversations/${conversationId}/take`, {}, t.ownerToken)).body.taken, true) // the assignee is the server's (routing, issue 12)
  await waitFor(() => readMeta(agent.doc).assignee === agentId, 5000, 'the take in the document')
  appendMessage(agent.doc, agentSays('Found it: it ships today.'))
  await waitFor(() => page.evaluate(() => (window as any).__heard.includes('Found it: it ships today.')), 5000, 'the message event')

  // The same verified user on another device finds the history. This time the widget is embedded by
  // another site (another origin, as customers' sites are), which signs the user in the tag.
  const site = http.createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
    res.end(`<!doctype html><title>Account</title><h1>Your orders</h1><script src="${t.url}/widget.js" data-site-key="${t.siteKey}" data-user-id="customer-4711" data-user-hash="${sign('customer-4711')}" async></script>`)
  })
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve))
  const b = await browser.newContext()
  const other = await b.newPage()
  await other.goto(`http://127.0.0.1:${(site.address() as AddressInfo).port}/account`)
  await other.locator('parley-widget .launcher').click()
  await bubble(other, 'My order 4711 has not arrived').waitFor()
  await bubble(other, 'Found it: it ships today.').waitFor()
  await b.close()
  await new Promise<void>((resolve) => site.close(() => resolve()))

  // A wrong hash is refused: no history, and the widget says the chat is anonymous.
  const c = await browser.newContext()
  const forged = await identified(c, 'customer-4711', sign('someone-else'))
  assert.is(forged.verified, false)
  await forged.page.locator('parley-widget .notice', { hasText: 'could not verify your account' }).waitFor()
  assert.is(await bubble(forged.page, 'My order 4711').count(), 0)
  await c.close()

  // Resolved: a one-click rating, stored on the conversation; then a new conversation.
  updateMeta(agent.doc, { status: 'resolved' })
  await page.locator('parley-widget button[aria-label="Rate 5 out of 5"]').click()
  await page.locator('parley-widget .end', { hasText: 'Thanks for your rating!' }).waitFor()
  await waitFor(async () => (await api(t.url, 'GET', `/api/conversations/${conversationId}`, undefined, t.ownerToken)).body.csat?.rating === 5, 5000, 'csat stored')
  await page.locator('parley-widget .end textarea').fill('Fast and friendly')
  await page.locator('parley-widget .end button', { hasText: 'Send comment' }).click()
  await waitFor(async () => (await api(t.url, 'GET', `/api/conversations/${conversationId}`, undefined, t.ownerToken)).body.csat?.comment === 'Fast and friendly', 5000, 'comment stored')
  await page.screenshot({ path: artifact('widget-csat.png') })
  await page.locator('parley-widget button', { hasText: 'Start a new conversation' }).click()
  await bubble(page, 'My order 4711').waitFor({ state: 'detached' })
  await input.fill('A new question about tents')
  await input.press('Enter')
  await page.locator('parley-widget .msg.mine[data-state="sent"]').waitFor()
  // The list is the SQL projection, written a moment after the message is acknowledged.
  await waitFor(async () => (await api(t.url, 'GET', `/api/conversations?status=waiting`, undefined, t.ownerToken)).body.items
    .some((x: { id: string; preview: string }) => x.id !== conversationId && x.preview === 'A new question about tents'), 5000, 'a second conversation')
  await a.close()
})

test('outside business hours: "We\'re back <day> 9:00", no queue promise even with an agent online, and the newest message stays in view as the notice changes', async () => {
  for (const p of peers.splice(0)) p.destroy()
  // Open only tomorrow (UTC), 09:00–17:00: closed now, whatever the time of day.
  const now = new Date()
  const tomorrow = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'][(now.getUTCDay() + 1) % 7]!
  const setHours = async (businessHours: unknown) => {
    const saved = await api(t.url, 'PUT', '/api/settings/ai', { enabled: false, persona: 'p', greeting: '', confidenceThreshold: 0.5, businessHours }, t.ownerToken)
    assert.is(saved.status, 200, JSON.stringify(saved.body))
  }
  const opensAt = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1, 9, 0)
  const back = `We're back ${new Intl.DateTimeFormat('en-US', { weekday: 'long', hour: 'numeric', minute: '2-digit', timeZone: 'UTC' }).format(opensAt)}.`
  // An agent is connected: still, nobody works the queue outside hours.
  const inbox = peer(formatInboxName(t.workspaceId), t.ownerToken)
  await inbox.ready
  const context = await browser.newContext({ locale: 'en-US', timezoneId: 'UTC', viewport: { width: 420, height: 560 } })
  try {
    // Within hours first: the visitor writes enough that the log scrolls, and is told their place.
    const { page } = await identified(context, 'customer-late', sign('customer-late'))
    const notice = page.locator('parley-widget .notice')
    const input = page.locator('parley-widget textarea[aria-label="Message"]')
    for (const text of ['Hello, anyone there?', 'My tent arrived without poles.', 'It is the 3-person dome.', 'Bought it last week.', 'The box was sealed.', 'Order number is 8812.']) {
      await input.fill(text)
      await input.press('Enter')
    }
    await page.locator('parley-widget .msg.mine[data-state="sent"]', { hasText: 'Order number is 8812.' }).waitFor()
    await notice.filter({ hasText: /You are number \d+ in the queue/ }).waitFor()
    assert.ok(await page.evaluate(() => { const log = document.querySelector('parley-widget')!.shadowRoot!.querySelector('.log')!; return log.scrollHeight > log.clientHeight }), 'the log scrolls (else there is nothing to keep in view)')

    // Closing time; the widget learns it when its connection comes back.
    await setHours({ timezone: 'UTC', days: { [tomorrow]: { open: '09:00', close: '17:00' } } })
    await context.setOffline(true)
    await notice.filter({ hasText: 'You are offline' }).waitFor()
    await context.setOffline(false)
    await notice.filter({ hasText: `${back} The reply will appear here in this chat` }).waitFor()
    await page.locator('parley-widget .notice input[type=email]').waitFor()
    assert.not.match(await notice.innerText(), /queue|being connected/)
    // The notice grew above the log: the newest message is still wholly in view.
    const inView = () => page.evaluate(() => {
      const root = document.querySelector('parley-widget')!.shadowRoot!
      const log = root.querySelector('.log')!.getBoundingClientRect()
      const bubbles = root.querySelectorAll('.log .bubble')
      const last = bubbles[bubbles.length - 1]!.getBoundingClientRect()
      return last.top >= log.top - 1 && last.bottom <= log.bottom + 1 && last.height > 0
    })
    await waitFor(inView, 5000, 'the newest message in view after the notice changed')
    await page.screenshot({ path: artifact('widget-closed-hours.png') })
    await page.locator('parley-widget .notice input[type=email]').fill('late@example.com')
    await page.locator('parley-widget .notice button', { hasText: 'Save' }).click()
    await notice.filter({ hasText: `${back} Thanks, we have late@example.com.` }).waitFor()
    await waitFor(inView, 5000, 'the newest message in view after the notice changed again')

    // A new visitor outside hours is told before writing: no queue, and (no SMTP here) no email promised.
    const fresh = await browser.newContext({ locale: 'en-US', timezoneId: 'UTC', viewport: { width: 420, height: 560 } })
    try {
      const other = await identified(fresh, 'customer-later', sign('customer-later'))
      await other.page.locator('parley-widget .notice', { hasText: `${back} Write your message: the reply will appear here in this chat.` }).waitFor()
      await other.page.locator('parley-widget .panel').evaluate((el) => Promise.all(el.getAnimations({ subtree: true }).map((a) => a.finished)))
      await other.page.screenshot({ path: artifact('widget-closed-hours-before.png') })
    } finally { await fresh.close() }
  } finally {
    await context.close()
    await setHours(null)
  }
})

test.run()
