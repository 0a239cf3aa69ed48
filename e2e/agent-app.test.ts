import { test } from 'uvu'
import * as assert from 'uvu/assert'
import type { Browser } from 'playwright-core'
import * as Y from 'yjs'
import { AI_DRAFT_KEY } from '../protocol/presence.ts'
import { formatInternalName, getStreams, readMessages, writeClassification } from '../protocol/index.ts'
import { getInternalDrafts } from '../protocol/reply-draft.ts'
import { api, connectPeer, startTestServer, waitFor, type TestServer } from '../server/test-kit.ts'
import { buildBrowserParts, launchBrowser } from './browser.ts'
import { DESKTOP, PHONE, customerWrites, disableAi, openApp, serverConversation, shot, conversationDoc, waitForConnection } from './agent-app-kit.ts'

let t: TestServer
let browser: Browser
/** The owner's session from startTestServer: most tests open the app with it (sign-ins are rate-limited). */
let owner: { token: string }

test.before(async () => {
  buildBrowserParts()
  t = await startTestServer()
  await disableAi(t)
  owner = { token: t.ownerToken }
  browser = await launchBrowser()
})

test.after(async () => {
  await browser?.close()
  await t?.close()
})

test('sign in; a customer message appears live in the inbox and the conversation; the reply reaches the customer', async () => {
  const { context, page } = await openApp(browser, t)
  await page.click('[data-testid=view-waiting]')
  const customer = await customerWrites(t, 'Vera Visitor', 'Hello, my export is stuck')
  const row = page.locator(`[data-testid=inbox-row][data-id="${customer.conversationId}"]`)
  await row.waitFor()
  assert.match(await row.innerText(), 'Hello, my export is stuck')
  await row.click()
  await page.locator('[data-testid=message-text]', { hasText: 'Hello, my export is stuck' }).waitFor()

  await customer.send('It says 0% since this morning')
  await page.locator('[data-testid=message-text]', { hasText: 'It says 0% since this morning' }).waitFor()
  await shot(page, 'conversation-desktop.png')

  const peer = connectPeer(t.wsUrl, conversationDoc(customer.conversationId), customer.visitorToken)
  try {
    await peer.ready
    await page.fill('#reply-box', 'Looking into it right now')
    await page.keyboard.press('Enter')
    await waitFor(() => readMessages(peer.doc).find((m) => m.text === 'Looking into it right now'), 5000, 'the customer to receive the reply')
    const reply = readMessages(peer.doc).find((m) => m.text === 'Looking into it right now')!
    assert.is(reply.author.role, 'agent')
    assert.is(reply.author.name, 'Owner')
    await page.locator('[data-testid=delivery]', { hasText: 'Sent' }).waitFor()
    const server = await serverConversation(t, customer.conversationId)
    assert.is(server.meta.status, 'open', 'replying to a waiting conversation takes it')
    assert.ok(server.meta.assignee)
  } finally {
    peer.destroy()
    await context.close()
  }
})

test('offline: the app opens from the service worker, the agent replies, notes and resolves; back online it all merges once', async () => {
  const customer = await customerWrites(t, 'Otto Offline', 'Is my order on its way?')
  const { context, page } = await openApp(browser, t, owner)
  try {
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined))
    await page.click('[data-testid=view-waiting]')
    await page.locator(`[data-testid=inbox-row][data-id="${customer.conversationId}"]`).click()
    await page.locator('[data-testid=message-text]', { hasText: 'Is my order on its way?' }).waitFor()
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null)

    await context.setOffline(true)
    await page.reload()
    await waitForConnection(page, 'offline')
    await page.locator(`[data-testid=inbox-row][data-id="${customer.conversationId}"]`).waitFor()
    await page.locator('[data-testid=message-text]', { hasText: 'Is my order on its way?' }).waitFor()

    await page.fill('#reply-box', 'Yes, it ships today')
    await page.keyboard.press('Enter')
    await page.click('[role=tab] >> text=Private note')
    await page.fill('#note-box', 'Checked the warehouse: parcel 42')
    await page.keyboard.press('Enter')
    await page.click('[data-testid=resolve]')
    // The reply and the note wait for the same connection, and say so alike.
    await page.locator('[data-testid=delivery]', { hasText: 'Saved on this device' }).nth(1).waitFor()
    assert.is(await page.locator('[data-testid=delivery]', { hasText: 'Sending…' }).count(), 0)
    await page.locator('[data-testid=connection]', { hasText: '3 changes saved on this device' }).first().waitFor()
    await shot(page, 'offline-desktop.png')

    await customer.send('Also, can I change the address?')
    await context.setOffline(false)
    await waitForConnection(page, 'online', 20000)
    await page.locator('[data-testid=message-text]', { hasText: 'Also, can I change the address?' }).waitFor()
    await page.locator('[data-testid=delivery]', { hasText: 'Sent' }).waitFor()

    const server = await serverConversation(t, customer.conversationId)
    assert.is(server.messages.filter((m) => m.text === 'Yes, it ships today').length, 1, 'the reply is stored exactly once')
    assert.is(server.notes.filter((m) => m.text === 'Checked the warehouse: parcel 42').length, 1, 'the note is stored, in the internal document')
    assert.not.ok(server.messages.some((m) => m.text.includes('parcel 42')), 'the note is not in the document the customer reads')
    assert.is(server.messages.filter((m) => m.text === 'Also, can I change the address?').length, 1)
    assert.is(server.meta.status, 'resolved')
    const peer = connectPeer(t.wsUrl, conversationDoc(customer.conversationId), customer.visitorToken)
    try {
      await peer.ready
      assert.is(readMessages(peer.doc).filter((m) => m.text === 'Yes, it ships today').length, 1, 'the customer has the reply exactly once')
      assert.not.ok(Buffer.from(Y.encodeStateAsUpdate(peer.doc)).toString('latin1').includes('parcel 42'), 'the customer never receives the note')
    } finally { peer.destroy() }
    assert.is(await page.locator('[data-testid=message-text]', { hasText: 'Yes, it ships today' }).count(), 1)
  } finally {
    await context.close()
  }
})

test('two agents take the same waiting conversation at the same moment: exactly one assignee, both see it', async () => {
  const second = await api(t.url, 'POST', '/api/agents', { email: 'bea@example.com', name: 'Bea Agent', role: 'agent', password: 'another good password' }, t.ownerToken)
  assert.is(second.status, 201)
  const customer = await customerWrites(t, 'Tess Twice', 'Anyone there?')
  const a = await openApp(browser, t, owner)
  const b = await openApp(browser, t, { email: 'bea@example.com', password: 'another good password' })
  try {
    for (const { page } of [a, b]) {
      await page.goto(`${t.url}/inbox/waiting/${customer.conversationId}`)
      await page.locator('[data-testid=take]').waitFor()
      await waitForConnection(page, 'online')
    }
    // Both clicks in the same moment (the second page's button may already be turning into "Taken by").
    const buttons = await Promise.all([a.page.$('[data-testid=take]'), b.page.$('[data-testid=take]')])
    await Promise.all(buttons.map((button) => button!.evaluate((el) => (el as HTMLButtonElement).click())))
    const assignee = await waitFor(async () => {
      const server = await serverConversation(t, customer.conversationId)
      const [ta, tb] = await Promise.all([a.page.innerText('[data-testid=assignee]'), b.page.innerText('[data-testid=assignee]')])
      // Converged: each page names the same agent as the server (itself as "You", the other by name).
      const winner = server.meta.assignee === second.body.id ? 'b' : 'a'
      const ok = winner === 'a' ? ta === 'Assigned to You' && tb === 'Assigned to Owner' : ta === 'Assigned to Bea Agent' && tb === 'Assigned to You'
      return ok ? { winner, server } : null
    }, 10000, 'both pages to show the one assignee the server has')
    assert.is(assignee.server.meta.status, 'open')
    // The loser's button turned into who has it, with no error (issue 12).
    const loser = assignee.winner === 'a' ? b.page : a.page
    await loser.locator('[data-testid=taken-by]', { hasText: `Taken by ${assignee.winner === 'a' ? 'Owner' : 'Bea Agent'}` }).waitFor()
    assert.is(await loser.locator('[data-testid=take]').count(), 0)
    assert.is(await loser.locator('[role=alert]').count(), 0)
  } finally {
    await a.context.close()
    await b.context.close()
  }
})

test('a message containing HTML and script renders as text and runs nothing', async () => {
  const payload = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script><b>bold?</b>'
  const customer = await customerWrites(t, '<i>Mallory</i>', payload)
  const { context, page } = await openApp(browser, t, owner)
  try {
    await page.goto(`${t.url}/inbox/waiting/${customer.conversationId}`)
    const text = page.locator('[data-testid=message-text]').first()
    await text.waitFor()
    assert.is(await text.innerText(), payload)
    assert.is(await page.locator('#conversation-title').innerText(), '<i>Mallory</i>')
    assert.is(await page.locator('[data-testid=transcript] img, [data-testid=transcript] script, [data-testid=transcript] b').count(), 0)
    assert.is(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), undefined)
  } finally {
    await context.close()
  }
})

test('two agents typing at the same time each write and send only their own reply; co-editing is an "edit together" the author opens', async () => {
  const customer = await customerWrites(t, 'Cora Coedit', 'Can you both look at this?')
  const a = await openApp(browser, t, owner)
  const b = await openApp(browser, t, { email: 'bea@example.com', password: 'another good password' })
  const value = (page: typeof a.page) => page.inputValue('#reply-box')
  try {
    for (const { page } of [a, b]) {
      await page.goto(`${t.url}/inbox/waiting/${customer.conversationId}`)
      await page.locator('#reply-box:not([readonly])').waitFor()
    }
    await a.page.locator('[data-testid=presence]', { hasText: 'Bea Agent is viewing' }).waitFor()
    const ownerText = 'The owner answers about the invoice'
    const beaText = 'Bea writes about the shipping date'
    await Promise.all([a.page.locator('#reply-box').pressSequentially(ownerText), b.page.locator('#reply-box').pressSequentially(beaText)])
    // Each sees the other writing, never the other's keystrokes in their own box.
    await b.page.locator('[data-testid=team-draft]', { hasText: 'Owner is writing a reply…' }).waitFor()
    await a.page.locator('[data-testid=team-draft]', { hasText: 'Bea Agent is writing a reply…' }).waitFor()
    assert.is(await value(a.page), ownerText)
    assert.is(await value(b.page), beaText)
    // Bea opens the owner's draft read-only: the text, live, and no way to type into it.
    await b.page.locator('[data-testid=team-draft] button', { hasText: 'View' }).click()
    await b.page.locator('[data-testid=team-draft-text]', { hasText: ownerText }).waitFor()
    assert.is(await b.page.locator('[data-testid=join-draft]').count(), 0, 'no edit together before the author opens it')
    await shot(b.page, 'drafts-per-agent.png')

    await Promise.all([a.page.locator('#reply-box').press('Enter'), b.page.locator('#reply-box').press('Enter')])
    for (const { page } of [a, b]) {
      await page.locator('[data-testid=message-text]', { hasText: ownerText }).waitFor()
      await page.locator('[data-testid=message-text]', { hasText: beaText }).waitFor()
      await page.locator('[data-testid=team-draft]').waitFor({ state: 'detached' })
    }
    let server = await serverConversation(t, customer.conversationId)
    const agentReplies = server.messages.filter((m) => m.author.role === 'agent').map((m) => `${m.author.name}: ${m.text}`).sort()
    assert.equal(agentReplies, [`Bea Agent: ${beaText}`, `Owner: ${ownerText}`])

    // Edit together: the owner opens the draft, Bea joins and types into it, the owner sends it.
    await a.page.locator('#reply-box').pressSequentially('Dear Cora,')
    await a.page.click('[data-testid=share-draft]')
    await b.page.locator('[data-testid=join-draft]').click()
    await b.page.locator('[data-testid=draft-owner]', { hasText: "Editing Owner's reply together" }).waitFor()
    await b.page.waitForFunction(() => (document.querySelector('#reply-box') as HTMLTextAreaElement).value === 'Dear Cora,')
    await b.page.locator('#reply-box').press('End')
    await b.page.locator('#reply-box').pressSequentially(' we both checked it.')
    assert.ok(await b.page.locator('[data-testid=send]').isDisabled(), 'the author sends a co-edited reply')
    await a.page.waitForFunction(() => (document.querySelector('#reply-box') as HTMLTextAreaElement).value === 'Dear Cora, we both checked it.')
    await shot(b.page, 'drafts-edit-together.png')
    await a.page.locator('#reply-box').press('Enter')
    await b.page.locator('[data-testid=message-text]', { hasText: 'Dear Cora, we both checked it.' }).waitFor()
    // Sending closes co-editing: Bea is back in her own (empty) draft.
    await b.page.locator('[data-testid=leave-draft]').waitFor({ state: 'detached' })
    assert.is(await value(b.page), '')
    server = await serverConversation(t, customer.conversationId)
    assert.is(server.messages.filter((m) => m.text === 'Dear Cora, we both checked it.').length, 1)
    assert.is(server.messages.filter((m) => m.author.role === 'agent').length, 3)
  } finally {
    await a.context.close()
    await b.context.close()
  }
})

test('keyboard: ? lists the shortcuts, j opens the next conversation, a assigns it to me, e resolves it', async () => {
  const customer = await customerWrites(t, 'Kim Keys', 'Keyboard person here')
  const { context, page } = await openApp(browser, t, owner)
  try {
    await page.goto(`${t.url}/inbox/waiting`)
    await page.locator('[data-testid=inbox-row]').first().waitFor()
    await page.keyboard.press('?')
    await page.locator('[role=dialog]', { hasText: 'Keyboard shortcuts' }).waitFor()
    assert.match(await page.locator('[role=dialog]').innerText(), 'Assign to me')
    await page.keyboard.press('Escape')
    await page.locator('[role=dialog]').waitFor({ state: 'detached' })
    const ids = await page.locator('[data-testid=inbox-row]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-id')))
    const index = ids.indexOf(customer.conversationId)
    assert.ok(index >= 0)
    for (let i = 0; i <= index; i++) await page.keyboard.press('j')
    await page.locator(`[data-testid=conversation][data-id="${customer.conversationId}"]`).waitFor()
    await page.keyboard.press('a')
    await page.locator('[data-testid=assignee]', { hasText: 'Assigned to You' }).waitFor()
    await page.keyboard.press('e')
    await page.locator('[data-testid=reopen]').waitFor()
    await waitFor(async () => (await serverConversation(t, customer.conversationId)).meta.status === 'resolved', 5000, 'the server to have it resolved')
    await page.keyboard.press('r')
    assert.is(await page.evaluate(() => document.activeElement?.id), 'reply-box')
  } finally {
    await context.close()
  }
})

test('canned responses: added in settings, inserted with / in the reply box', async () => {
  const customer = await customerWrites(t, 'Carl Canned', 'What are your hours?')
  const { context, page } = await openApp(browser, t, owner)
  try {
    await page.goto(`${t.url}/settings/canned`)
    await page.fill('input[name=shortcut]', 'hours')
    await page.fill('input[name=title]', 'Opening hours')
    await page.fill('textarea[name=body]', 'We are here 9:00–17:00, Monday to Friday.')
    await page.click('text=Add canned response')
    await page.locator('text=/hours').waitFor()
    await page.goto(`${t.url}/inbox/waiting/${customer.conversationId}`)
    await page.locator('#reply-box:not([readonly])').click()
    await page.keyboard.type('Hi! /hou')
    await page.locator('[data-testid=canned-picker]', { hasText: 'Opening hours' }).waitFor()
    await page.keyboard.press('Enter')
    assert.is(await page.inputValue('#reply-box'), 'Hi! We are here 9:00–17:00, Monday to Friday.')
  } finally {
    await context.close()
  }
})

test('search: the server when online, the conversations on this device when offline', async () => {
  const customer = await customerWrites(t, 'Sid Search', 'My flux capacitor is broken')
  const { context, page } = await openApp(browser, t, owner)
  try {
    // As the other offline tests do: let the service worker finish installing before navigating
    // away (a navigation during its install could leave no controller; CI timed out here once).
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined))
    await page.goto(`${t.url}/inbox/waiting/${customer.conversationId}`)
    await page.locator('[data-testid=message-text]', { hasText: 'flux capacitor' }).waitFor()
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null)
    await page.goto(`${t.url}/search?q=capacitor`)
    await page.locator('[data-testid=search-hit]', { hasText: 'My flux capacitor is broken' }).waitFor()
    assert.not.match(await page.innerText('[data-testid=search-source]'), 'offline')
    await context.setOffline(true)
    await page.reload()
    await page.locator('[data-testid=search-hit]', { hasText: 'My flux capacitor is broken' }).waitFor()
    assert.match(await page.innerText('[data-testid=search-source]'), 'on this device')
    await context.setOffline(false)
  } finally {
    await context.close()
  }
})

test('the session survives a reload; signing out wipes this account\'s data from the device', async () => {
  const { context, page } = await openApp(browser, t)
  try {
    await page.goto(`${t.url}/inbox/open`)
    await page.locator('[data-testid=inbox-row]').first().waitFor()
    await page.reload()
    await waitForConnection(page, 'online')
    const { agentId, token } = await page.evaluate(() => {
      const session = JSON.parse(localStorage.getItem('parley:session') ?? '{}') as { token: string; agent: { id: string } }
      return { agentId: session.agent.id, token: session.token }
    })
    assert.is((await api(t.url, 'GET', '/api/auth/me', undefined, token)).status, 200)
    const before = await page.evaluate(async (id) => (await indexedDB.databases()).filter((d) => d.name?.startsWith(`parley:${id}:`)).length, agentId)
    assert.ok(before >= 2, 'the inbox and agent documents are kept on the device')
    assert.ok(await page.evaluate((id) => caches.has(`parley-api:${id}`), agentId))
    await page.click('text=Sign out')
    await page.locator('#email').waitFor()
    await waitFor(() => page.evaluate(async (id) => (await indexedDB.databases()).every((d) => !d.name?.startsWith(`parley:${id}:`)), agentId), 5000, 'the account\'s databases to be deleted')
    assert.is(await page.evaluate((id) => caches.has(`parley-api:${id}`), agentId), false)
    assert.is(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('parley:')).length), 0)
    assert.is((await api(t.url, 'GET', '/api/auth/me', undefined, token)).status, 401, 'the token is revoked')
  } finally {
    await context.close()
  }
})

test('settings: add an agent, edit a widget with a live preview and its snippet, add an article', async () => {
  const { context, page } = await openApp(browser, t, owner)
  try {
    await page.goto(`${t.url}/settings/agents`)
    await page.fill('input[name=name]', 'Cleo Colleague')
    await page.fill('input[name=email]', 'cleo@example.com')
    await page.fill('input[name=password]', 'a long enough password')
    await page.click('text=Add agent')
    await page.locator('td', { hasText: 'cleo@example.com' }).waitFor()

    await page.goto(`${t.url}/settings/widgets`)
    await page.locator('[data-testid=snippet]', { hasText: t.siteKey }).waitFor()
    assert.match(await page.innerText('[data-testid=snippet]'), `${t.url}/widget.js`)
    await page.getByLabel('Title').fill('Ask Northwind')
    await page.locator('[data-testid=widget-preview]', { hasText: 'Ask Northwind' }).waitFor()
    await page.click('text=Save widget')
    await page.locator('[role=status]', { hasText: 'Saved' }).waitFor()
    const widgets = await api(t.url, 'GET', '/api/widgets', undefined, t.ownerToken)
    assert.is(widgets.body.items[0].title, 'Ask Northwind')

    await page.goto(`${t.url}/settings/articles`)
    await page.fill('input[name=title]', 'Shipping times')
    await page.fill('textarea[name=body]', 'Orders ship within two working days.')
    await page.click('text=Add article')
    await page.locator('li', { hasText: 'Shipping times' }).waitFor()
    const articles = await api(t.url, 'GET', '/api/articles', undefined, t.ownerToken)
    assert.ok(articles.body.items.some((a: { title: string }) => a.title === 'Shipping times'))
  } finally {
    await context.close()
  }
})

test('browser notifications (with permission) for a new waiting conversation and a message in my own conversation', async () => {
  const mine = await customerWrites(t, 'Nora Notify', 'First message')
  const { context, page } = await openApp(browser, t, owner)
  try {
    await context.grantPermissions(['notifications'], { origin: t.url })
    await page.goto(`${t.url}/inbox/mine`)
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined))
    // Take Nora's conversation, then leave it, so a message in it is one for "my conversation".
    await page.goto(`${t.url}/inbox/waiting/${mine.conversationId}`)
    await page.click('[data-testid=take]')
    await page.goto(`${t.url}/inbox/mine`)
    await page.locator(`[data-testid=inbox-row][data-id="${mine.conversationId}"]`).waitFor()
    const titles = () => page.evaluate(async () => (await (await navigator.serviceWorker.ready).getNotifications()).map((n) => `${n.title}: ${n.body}`))
    const fresh = await customerWrites(t, 'Walt Waiting', 'Is anyone around?')
    await waitFor(async () => (await titles()).includes('Waiting: Walt Waiting: Is anyone around?'), 30_000, 'a notification for the new waiting conversation')
    await mine.send('Hello again, any news?')
    await waitFor(async () => (await titles()).includes('Nora Notify: Hello again, any news?'), 30_000, 'a notification for the message in my conversation')
      .catch(async (e: Error) => { throw new Error(`${e.message}; the notifications shown: ${JSON.stringify(await titles())}`) })
    assert.ok(fresh.conversationId)
  } finally {
    await context.close()
  }
})

test('a bot reply streams in live, and the AI\'s suggested draft can be taken into the reply box', async () => {
  const customer = await customerWrites(t, 'Bo Botwatch', 'How do refunds work?')
  const { context, page } = await openApp(browser, t, owner)
  const bot = connectPeer(t.wsUrl, conversationDoc(customer.conversationId), t.server.serviceToken)
  const botInternal = connectPeer(t.wsUrl, formatInternalName(customer.conversationId), t.server.serviceToken)
  try {
    await Promise.all([bot.ready, botInternal.ready])
    await page.goto(`${t.url}/inbox/waiting/${customer.conversationId}`)
    await page.locator('#reply-box:not([readonly])').waitFor()
    const stream = new Y.Text()
    getStreams(bot.doc).set('reply-1', stream)
    stream.insert(0, 'Refunds are')
    await page.locator('[data-testid=stream]', { hasText: 'Refunds are' }).waitFor()
    stream.insert(stream.length, ' processed within five days')
    await page.locator('[data-testid=stream]', { hasText: 'Refunds are processed within five days' }).waitFor()
    getStreams(bot.doc).delete('reply-1')
    await page.locator('[data-testid=stream]').waitFor({ state: 'detached' })

    // The bot's classification lives in the internal document and shows in the customer panel.
    writeClassification(botInternal.doc, { category: 'refunds', sentiment: 'neutral', language: 'en', confidence: 0.8, reasoning: 'asks how refunds work' })
    await page.locator('[data-testid=classification]', { hasText: 'asks how refunds work' }).waitFor()

    const suggestion = new Y.Text()
    getInternalDrafts(botInternal.doc).set(AI_DRAFT_KEY, suggestion)
    suggestion.insert(0, 'You can ask for a refund from your order page.')
    await page.locator('[data-testid=ai-draft]', { hasText: 'You can ask for a refund from your order page.' }).waitFor()
    await page.click('text=Use and edit')
    assert.is(await page.inputValue('#reply-box'), 'You can ask for a refund from your order page.')
    await page.locator('#reply-box').press('End')
    await page.locator('#reply-box').pressSequentially(' It takes a minute.')
    await page.locator('#reply-box').press('Enter')
    await waitFor(async () => (await serverConversation(t, customer.conversationId)).messages.some((m) => m.text === 'You can ask for a refund from your order page. It takes a minute.'), 5000, 'the edited suggestion to be sent')
  } finally {
    bot.destroy()
    botInternal.destroy()
    await context.close()
  }
})

test('actions: priority, labels, snooze and reopen are written to the conversation and the inbox follows', async () => {
  const customer = await customerWrites(t, 'Paz Priority', 'Urgent: checkout is down')
  const { context, page } = await openApp(browser, t, owner)
  try {
    await page.goto(`${t.url}/inbox/waiting/${customer.conversationId}`)
    await page.locator('#reply-box:not([readonly])').waitFor()
    await page.selectOption('#priority', 'high')
    await page.fill('#new-label', 'checkout')
    await page.press('#new-label', 'Enter')
    await page.fill('#new-label', 'outage')
    await page.press('#new-label', 'Enter')
    await page.click('[aria-label="Remove label outage"]')
    await waitFor(async () => {
      const { meta } = await serverConversation(t, customer.conversationId)
      return meta.priority === 'high' && JSON.stringify(meta.labels) === '["checkout"]'
    }, 5000, 'priority and labels on the server')
    await page.selectOption('#snooze', { label: '1 hour' })
    await page.click('[data-testid=view-snoozed]')
    await page.locator(`[data-testid=inbox-row][data-id="${customer.conversationId}"]`).waitFor()
    const snoozed = await serverConversation(t, customer.conversationId)
    assert.is(snoozed.meta.status, 'snoozed')
    assert.ok(snoozed.meta.snoozedUntil! > Date.now() + 50 * 60_000)
    await page.locator(`[data-testid=inbox-row][data-id="${customer.conversationId}"]`).click()
    await page.click('[data-testid=reopen]')
    await waitFor(async () => (await serverConversation(t, customer.conversationId)).meta.status === 'waiting', 5000, 'reopened to the queue')
    await page.click('[data-testid=view-waiting]')
    // The row can first be drawn from the server's inbox summary while it catches up with the
    // reopen; wait for the row that says "high" rather than reading the first one drawn.
    const row = page.locator(`[data-testid=inbox-row][data-id="${customer.conversationId}"]`, { hasText: 'high' })
    await row.waitFor({ timeout: 10_000 })
    assert.match(await row.innerText(), 'high')
  } finally {
    await context.close()
  }
})

test('screenshots: inbox, conversation and offline at desktop (1280) and phone (390) widths', async () => {
  const first = await customerWrites(t, 'Priya Patel', 'Hi! I was charged twice for my March invoice, can you refund one?')
  await first.send('The invoice number is INV-2041.')
  await customerWrites(t, 'Sam Lee', 'How do I export my contacts to CSV?')
  for (const viewport of [{ name: 'desktop', size: DESKTOP }, { name: 'phone', size: PHONE }]) {
    const { context, page } = await openApp(browser, t, { ...owner, viewport: viewport.size })
    try {
      await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined))
      await page.goto(`${t.url}/inbox/open`)
      await page.locator(`[data-testid=inbox-row][data-id="${first.conversationId}"]`).waitFor()
      await shot(page, `inbox-${viewport.name}.png`)
      await page.goto(`${t.url}/inbox/open/${first.conversationId}`)
      await page.locator('[data-testid=message-text]', { hasText: 'INV-2041' }).waitFor()
      await shot(page, `conversation-${viewport.name}.png`)
      await page.waitForFunction(() => navigator.serviceWorker.controller !== null)
      await context.setOffline(true)
      await page.reload()
      await waitForConnection(page, 'offline')
      await page.locator('[data-testid=message-text]', { hasText: 'INV-2041' }).waitFor()
      await page.fill('#reply-box', 'Refund is on its way.')
      await page.keyboard.press('Enter')
      await page.locator('[data-testid=delivery]', { hasText: 'Saved on this device' }).waitFor()
      await shot(page, `offline-conversation-${viewport.name}.png`)
      await page.goto(`${t.url}/inbox/open`)
      await waitForConnection(page, 'offline')
      await page.locator(`[data-testid=inbox-row][data-id="${first.conversationId}"]`).waitFor()
      await shot(page, `offline-inbox-${viewport.name}.png`)
      await context.setOffline(false)
      await waitForConnection(page, 'online', 20000)
    } finally {
      await context.close()
    }
  }
  const server = await serverConversation(t, first.conversationId)
  assert.is(server.messages.filter((m) => m.text === 'Refund is on its way.').length, 2, 'one reply from each viewport, each stored once')
})

test.run()
