/**
 * Settings → Integrations in a real browser (issue 16): create an API key and a webhook, see a
 * delivery arrive in the monitor with its request and answer, redeliver it, and see the alert
 * of an endpoint that fails.
 */
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import type { Browser } from 'playwright-core'
import { api, startTestServer, type TestServer } from '../server/test-kit.ts'
import { artifact, buildBrowserParts, launchBrowser } from './browser.ts'
import { customerWrites, disableAi, openApp, shot } from './agent-app-kit.ts'

let t: TestServer
let browser: Browser
let receiver: http.Server
const received: { type: string; id: string }[] = []

test.before(async () => {
  buildBrowserParts()
  receiver = http.createServer((req, res) => {
    let raw = ''
    req.on('data', (c) => { raw += c })
    req.on('end', () => { const body = JSON.parse(raw); received.push({ type: body.type, id: body.id }); res.writeHead(200, { 'content-type': 'application/json' }); res.end('{"ok":true}') })
  })
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve))
  t = await startTestServer({ env: { WEBHOOK_ALLOWED_HOSTS: '127.0.0.1', WEBHOOK_POLL_MS: '100', WEBHOOK_BACKOFF_MS: '200', WEBHOOK_BACKOFF_MAX_MS: '1000', WEBHOOK_ALERT_AFTER_FAILURES: '2' } })
  await disableAi(t)
  browser = await launchBrowser()
})

test.after(async () => {
  await browser?.close()
  await t?.close()
  await new Promise<void>((resolve) => receiver?.close(() => resolve()))
})

test('create a key and a webhook in Settings, see deliveries in the monitor, redeliver, see a failing endpoint\'s alert', async () => {
  const { context, page } = await openApp(browser, t, { token: t.ownerToken })
  try {
    await page.goto(`${t.url}/settings/integrations`)
    await page.getByRole('heading', { name: 'API keys' }).waitFor()

    // An API key: shown once.
    await page.getByLabel('Name').first().fill('CRM sync')
    await page.locator('select[name=scope]').selectOption('write')
    await page.getByRole('button', { name: 'Create key' }).click()
    const token = (await page.locator('[data-testid=api-key-token]').innerText()).trim()
    assert.match(token, /^pk_/)
    await page.locator('[data-testid=api-key-row]', { hasText: 'CRM sync' }).waitFor()

    // A webhook to the test's receiver, every event.
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/parley`
    const form = page.locator('form[aria-labelledby=new-webhook]')
    await form.getByLabel('Name').fill('Backend')
    await form.getByLabel('URL').fill(url)
    await page.getByRole('button', { name: 'Create webhook' }).click()
    await page.locator('[data-testid=webhook-created]').waitFor()

    // Events happen: a customer writes, and the CRM answers with the key from the page.
    const customer = await customerWrites(t, 'Vera Visitor', 'Where is my order?')
    const reply = await api(t.url, 'POST', `/api/conversations/${customer.conversationId}/messages`, { id: 'crm-reply-e2e-1', text: 'It left the warehouse today.' }, token)
    assert.is(reply.status, 201)
    // An endpoint that does not answer, to be told about.
    await api(t.url, 'POST', '/api/webhooks', { name: 'Old ERP', url: 'http://127.0.0.1:9/gone', events: ['message.created'] }, t.ownerToken)
    await customer.send('Thanks!')

    // The monitor shows them delivered (it refreshes by itself).
    await page.locator('[data-testid=delivery-row]', { hasText: 'message.created' }).filter({ has: page.locator('[data-testid=delivery-status]', { hasText: 'succeeded' }) }).first().waitFor({ timeout: 30_000 })
    await page.locator('[data-testid=webhook-row]', { hasText: 'Backend' }).locator('[data-testid=webhook-success]', { hasText: '100%' }).waitFor({ timeout: 30_000 })
    await page.locator('[data-testid=integration-alerts]', { hasText: 'Old ERP' }).waitFor({ timeout: 30_000 })
    await page.locator('[data-testid=api-key-row]', { hasText: 'CRM sync' }).locator('td', { hasText: /^1$/ }).first().waitFor({ timeout: 30_000 })
    assert.ok(received.some((r) => r.type === 'message.created'))
    // Wherever the admin is, Settings carries a mark that opens Integrations.
    await page.goto(`${t.url}/`)
    await page.locator('[data-testid=integration-alert-dot]:visible').waitFor({ timeout: 30_000 })
    await page.locator('[data-testid=nav-settings]:visible').click()
    await page.locator('[data-testid=integration-alerts]', { hasText: 'Old ERP' }).waitFor({ timeout: 30_000 })
    await page.setViewportSize({ width: 1280, height: 1800 })
    await shot(page, 'integrations-monitor.png')

    // Filter the log by event, open a delivery: its request and the receiver's answer; redeliver it.
    await page.locator('[data-testid=log-event]').selectOption('conversation.created')
    const row = page.locator('[data-testid=delivery-row]', { hasText: 'conversation.created' }).filter({ hasText: 'Backend' }).first()
    await row.waitFor()
    assert.is(await page.locator('[data-testid=delivery-row]', { hasText: 'message.created' }).count(), 0)
    await row.click()
    const detail = page.locator('[data-testid=delivery-detail]')
    await detail.waitFor()
    assert.match(await detail.innerText(), /"type": "conversation.created"/)
    assert.match(await detail.locator('[data-testid=attempt-response]').first().innerText(), /HTTP 200/)
    const before = received.filter((r) => r.type === 'conversation.created').length
    await page.locator('[data-testid=redeliver]').click()
    await page.locator('[data-testid=delivery-row]', { hasText: '(again)' }).first().waitFor({ timeout: 30_000 })
    for (let i = 0; i < 300 && received.filter((r) => r.type === 'conversation.created').length === before; i++) await page.waitForTimeout(100)
    assert.is(received.filter((r) => r.type === 'conversation.created').length, before + 1, 'the receiver got it again')
    await detail.screenshot({ path: artifact('integrations-delivery.png') })

    // A test event from the webhook's row: it reaches the receiver and shows in the log.
    await page.locator('[data-testid=log-event]').selectOption('webhook.ping')
    await page.getByRole('button', { name: 'Send a test event to Backend' }).click()
    await page.locator('[data-testid=webhook-notice]', { hasText: 'Test event sent to "Backend"' }).waitFor()
    await page.locator('[data-testid=delivery-row]', { hasText: 'webhook.ping' }).filter({ has: page.locator('[data-testid=delivery-status]', { hasText: 'succeeded' }) }).first().waitFor({ timeout: 30_000 })
    assert.ok(received.some((r) => r.type === 'webhook.ping'), 'the receiver got the ping')
    // Rotate the secret: the new one is shown once, the row says until when the old one still signs.
    page.once('dialog', (dialog) => void dialog.accept())
    await page.getByRole('button', { name: 'Rotate the signing secret of Backend' }).click()
    const rotated = page.locator('[data-testid=webhook-created]', { hasText: 'New signing secret for "Backend"' })
    await rotated.waitFor()
    assert.match((await rotated.locator('code').innerText()).trim(), /^whsec_/)
    // Until a date and time a day from now, not a relative "now".
    const until = page.locator('[data-testid=webhook-row]', { hasText: 'Backend' }).getByText(/Old secret also signs until/)
    await until.waitFor({ timeout: 30_000 })
    assert.match(await until.innerText(), /\d{1,2}:\d{2}/)
    await page.locator('section[aria-labelledby=webhooks]').screenshot({ path: artifact('integrations-rotated.png') })
  } finally {
    await context.close()
  }
})

test('the API reference at /docs draws the generated description, with no request leaving the server', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } })
  const page = await context.newPage()
  const elsewhere: string[] = []
  page.on('request', (r) => { if (!r.url().startsWith(t.url) && !r.url().startsWith('data:')) elsewhere.push(r.url()) })
  try {
    await page.goto(`${t.url}/docs`)
    // Every tag is listed (collapsed); opening one draws its operations.
    await page.locator('.opblock-tag', { hasText: 'Routing' }).first().waitFor({ timeout: 30_000 })
    assert.match(await page.locator('.info .title').innerText(), /Parley API/)
    await page.locator('.opblock-tag', { hasText: 'Conversation writes' }).first().click()
    await page.locator('.opblock-summary-path', { hasText: '/api/conversations/{id}/messages' }).first().waitFor({ timeout: 30_000 })
    await page.locator('.opblock-tag', { hasText: 'Webhooks' }).first().click()
    await page.locator('.opblock-summary-path', { hasText: '/api/webhooks/{id}/rotate-secret' }).first().waitFor({ timeout: 30_000 })
    await page.screenshot({ path: artifact('api-docs.png') })
    assert.equal(elsewhere, [])
  } finally {
    await context.close()
  }
})

test.run()
