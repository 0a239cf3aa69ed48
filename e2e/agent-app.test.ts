import { test } from 'uvu'
import * as assert from 'uvu/assert'
import type { Browser } from 'playwright-core'
import { readMessages } from '../protocol/index.ts'
import { connectPeer, startTestServer, waitFor, type TestServer } from '../server/test-kit.ts'
import { buildBrowserParts, launchBrowser } from './browser.ts'
import { customerWrites, disableAi, openApp, serverConversation, shot, conversationDoc } from './agent-app-kit.ts'

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
  const { context, page } = await openApp(browser, t)
  try {
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined))
    await page.click('[data-testid=view-waiting]')
    await page.locator(`[data-testid=inbox-row][data-id="${customer.conversationId}"]`).click()
    await page.locator('[data-testid=message-text]', { hasText: 'Is my order on its way?' }).waitFor()
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null)

    await context.setOffline(true)
    await page.reload()
    await page.waitForSelector('[data-testid=connection][data-state=offline]')
    await page.locator(`[data-testid=inbox-row][data-id="${customer.conversationId}"]`).waitFor()
    await page.locator('[data-testid=message-text]', { hasText: 'Is my order on its way?' }).waitFor()

    await page.fill('#reply-box', 'Yes, it ships today')
    await page.keyboard.press('Enter')
    await page.click('[role=tab] >> text=Private note')
    await page.fill('#note-box', 'Checked the warehouse: parcel 42')
    await page.keyboard.press('Enter')
    await page.click('[data-testid=resolve]')
    await page.locator('[data-testid=delivery]', { hasText: 'Sending…' }).waitFor()
    await page.locator('[data-testid=connection]', { hasText: '3 changes saved on this device' }).first().waitFor()
    await shot(page, 'offline-desktop.png')

    await customer.send('Also, can I change the address?')
    await context.setOffline(false)
    await page.waitForSelector('[data-testid=connection][data-state=online]', { timeout: 20000 })
    await page.locator('[data-testid=message-text]', { hasText: 'Also, can I change the address?' }).waitFor()
    await page.locator('[data-testid=delivery]', { hasText: 'Sent' }).waitFor()

    const server = await serverConversation(t, customer.conversationId)
    assert.is(server.messages.filter((m) => m.text === 'Yes, it ships today').length, 1, 'the reply is stored exactly once')
    assert.is(server.messages.filter((m) => m.kind === 'note' && m.text === 'Checked the warehouse: parcel 42').length, 1, 'the note is stored')
    assert.is(server.messages.filter((m) => m.text === 'Also, can I change the address?').length, 1)
    assert.is(server.meta.status, 'resolved')
    const peer = connectPeer(t.wsUrl, conversationDoc(customer.conversationId), customer.visitorToken)
    try {
      await peer.ready
      assert.is(readMessages(peer.doc).filter((m) => m.text === 'Yes, it ships today').length, 1, 'the customer has the reply exactly once')
    } finally { peer.destroy() }
    assert.is(await page.locator('[data-testid=message-text]', { hasText: 'Yes, it ships today' }).count(), 1)
  } finally {
    await context.close()
  }
})

test.run()
