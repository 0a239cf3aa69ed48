/**
 * Issue 13 in the browser: merging two conversations of one customer from the conversation view,
 * the pointer left behind; exporting a contact's data and erasing them with the typed confirmation.
 */
import fs from 'node:fs'
import { unzipSync } from 'fflate'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import type { Browser } from 'playwright-core'
import { api, startTestServer, waitFor, type TestServer } from '../server/test-kit.ts'
import { artifact, buildBrowserParts, launchBrowser } from './browser.ts'
import { customerWrites, disableAi, openApp, serverConversation, shot } from './agent-app-kit.ts'

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

test('an agent merges a conversation into the customer\'s other one; the old one points there', async () => {
  const customer = await customerWrites(t, 'Mira Merge', 'My first question about the invoice')
  const second = await api(t.url, 'POST', '/api/widget/conversations', { siteKey: t.siteKey, message: { id: 'mira-second-message', text: 'Also, the delivery is late' } }, customer.visitorToken)
  assert.is(second.status, 201)
  const fromId = second.body.id as string
  const { context, page } = await openApp(browser, t, { token: t.ownerToken })
  try {
    await page.goto(`${t.url}/inbox/waiting/${fromId}`)
    await page.locator('[data-testid=conversation]', { hasText: 'Also, the delivery is late' }).waitFor()
    await page.click('[data-testid=merge]')
    await page.locator('[data-testid=merge-candidate]').first().waitFor()
    assert.ok(await page.locator('[data-testid=merge-confirm]').isDisabled(), 'nothing chosen yet')
    await page.locator('[data-testid=merge-candidate]').first().check()
    await shot(page, 'merge-dialog.png')
    await page.click('[data-testid=merge-confirm]')
    // The app opens the survivor, which shows both conversations' messages.
    await page.waitForURL(new RegExp(`/inbox/open/${customer.conversationId}$`), { timeout: 20000 })
    await page.locator(`[data-testid=conversation][data-id="${customer.conversationId}"]`, { hasText: 'Also, the delivery is late' }).waitFor({ timeout: 20000 })
    await page.locator('[data-testid=conversation]', { hasText: 'My first question about the invoice' }).waitFor()
    const survivor = await serverConversation(t, customer.conversationId)
    assert.ok(survivor.messages.some((m) => m.text === 'Also, the delivery is late'))
    await shot(page, 'merge-survivor.png')
    // The merged-away conversation is a pointer.
    await page.goto(`${t.url}/inbox/waiting/${fromId}`)
    await page.locator('[data-testid=merged-into]').waitFor({ timeout: 20000 })
    assert.is(await page.locator('[data-testid=merge]').count(), 0)
    await shot(page, 'merged-pointer.png')
  } finally {
    await context.close()
  }
})

test('an admin exports a contact\'s data and erases the contact after typing the confirmation', async () => {
  const customer = await customerWrites(t, 'Gerda Gdpr', 'Please delete everything about me, GERDASECRET')
  const { context, page } = await openApp(browser, t, { token: t.ownerToken })
  try {
    await page.goto(`${t.url}/inbox/waiting/${customer.conversationId}`)
    await page.locator('[data-testid=privacy]').waitFor({ timeout: 20000 })
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=export-contact]')])
    assert.match(download.suggestedFilename(), /^contact-.*\.zip$/)
    const files = unzipSync(new Uint8Array(fs.readFileSync(await download.path())))
    assert.ok(new TextDecoder().decode(files[`conversations/${customer.conversationId}.json`]).includes('GERDASECRET'))
    // This device's offline copy (IndexedDB) holds their words now, and must not after the erase.
    const deviceHolds = (needle: string) => page.evaluate(async (needle) => {
      const holding: string[] = []
      for (const info of await indexedDB.databases()) {
        if (!info.name) continue
        const db = await new Promise<IDBDatabase>((resolve, reject) => { const r = indexedDB.open(info.name!); r.onsuccess = () => resolve(r.result); r.onerror = () => reject(r.error) })
        if (!db.objectStoreNames.contains('updates')) { db.close(); continue }
        const values = await new Promise<unknown[]>((resolve, reject) => { const r = db.transaction('updates').objectStore('updates').getAll(); r.onsuccess = () => resolve(r.result); r.onerror = () => reject(r.error) })
        db.close()
        if (values.some((v) => v instanceof Uint8Array && new TextDecoder().decode(v).includes(needle))) holding.push(info.name)
      }
      return holding
    }, needle)
    await waitFor(async () => (await deviceHolds('GERDASECRET')).length > 0, 20000, 'the conversation stored on this device')
    await page.click('[data-testid=erase-contact]')
    const confirm = page.locator('[data-testid=erase-confirm]')
    assert.ok(await confirm.isDisabled(), 'disabled until the word is typed')
    await page.fill('[data-testid=erase-confirm-input]', 'eras')
    assert.ok(await confirm.isDisabled())
    await page.fill('[data-testid=erase-confirm-input]', 'erase')
    await shot(page, 'erase-dialog.png')
    await confirm.click()
    await page.locator('[data-testid=privacy-status]', { hasText: 'Erased: 1 message in 1 conversation' }).waitFor({ timeout: 30000 })
    await page.locator('[data-testid=conversation]', { hasText: '[erased]' }).waitFor({ timeout: 20000 })
    assert.is(await page.locator('[data-testid=conversation]', { hasText: 'GERDASECRET' }).count(), 0)
    await waitFor(async () => !(await serverConversation(t, customer.conversationId)).messages.some((m) => m.text.includes('GERDASECRET')), 10000, 'erased on the server')
    let left: string[] = []
    await waitFor(async () => (left = await deviceHolds('GERDASECRET')).length === 0, 20000, 'the erased words gone from this device\'s copy').catch((error) => { throw new Error(`${(error as Error).message}: ${left.join(', ')}`) })
    await shot(page, 'erased-conversation.png')
  } finally {
    await context.close()
  }
})

test('the customer\'s widget follows its conversation into the one it was merged into', async () => {
  const context = await browser.newContext()
  try {
    const page = await context.newPage()
    page.on('pageerror', (error) => console.error('page error:', error.message))
    await page.goto(`${t.url}/demo`)
    await page.locator('parley-widget .launcher').click()
    await page.locator('parley-widget .panel').waitFor()
    const input = page.locator('parley-widget textarea[aria-label="Message"]')
    await input.fill('Written in the widget first')
    await input.press('Enter')
    await page.locator('parley-widget .bubble', { hasText: 'Written in the widget first' }).waitFor({ timeout: 20000 })
    const session = await waitFor(() => page.evaluate((key) => JSON.parse(localStorage.getItem(key) ?? 'null'), `parley:${t.siteKey}:session`).then((s) => (s?.conversationId ? s : null)), 20000, 'the widget\'s session')
    // The same customer has another conversation (another tab, an email); an agent merges the widget's into it.
    const other = await api(t.url, 'POST', '/api/widget/conversations', { siteKey: t.siteKey, message: { id: 'other-thread-first', text: 'From the other thread' } }, session.token)
    assert.is(other.status, 201)
    const merged = await api(t.url, 'POST', `/api/conversations/${session.conversationId}/merge`, { into: other.body.id }, t.ownerToken)
    assert.is(merged.status, 200, JSON.stringify(merged.body))
    // One thread: both conversations' messages, and what the customer writes next lands there.
    await page.locator('parley-widget .bubble', { hasText: 'From the other thread' }).waitFor({ timeout: 20000 })
    await page.locator('parley-widget .bubble', { hasText: 'Written in the widget first' }).waitFor()
    await input.fill('And after the merge')
    await input.press('Enter')
    await waitFor(async () => (await serverConversation(t, other.body.id)).messages.some((m) => m.text === 'And after the merge'), 20000, 'the next message in the survivor')
    await page.screenshot({ path: artifact('widget-after-merge.png') })
  } finally {
    await context.close()
  }
})

test.run()
