/**
 * Webhooks against a receiver this test starts: every event once, in order per conversation,
 * signed; through a 30 s outage (a test clock: retries are timed by it, the test waits for
 * states); a URL that never answers is disabled and the admins told; redelivery from the log.
 */
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { SIGNATURE_HEADER, WEBHOOK_EVENTS, type WebhookPayload } from '../../protocol/index.ts'
import { api, startTestServer, startVisitorConversation, waitFor, type TestServer } from '../test-kit.ts'
import { testDialects } from '../../db/test-databases.ts'
import { verifyWebhook } from './webhook-signature.ts'

interface Received { payload: WebhookPayload; signature: string | undefined; raw: string; delivery: string }

/** A receiver: answers 200 while up, 503 while down; keeps what it got. */
async function startReceiver() {
  const got: Received[] = []
  const state = { up: true, refused: 0 }
  const server = http.createServer((req, res) => {
    let raw = ''
    req.on('data', (c) => { raw += c })
    req.on('end', () => {
      if (!state.up) { state.refused += 1; res.writeHead(503); res.end('down for maintenance'); return }
      got.push({ payload: JSON.parse(raw), signature: req.headers[SIGNATURE_HEADER] as string | undefined, raw, delivery: req.headers['parley-delivery'] as string })
      res.writeHead(200, { 'content-type': 'application/json' }); res.end('{"received":true}')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, got, state, close: () => new Promise<void>((r) => server.close(() => r())) }
}

/** Real time plus an offset the test moves forward: retries come due when the test says so. */
const testClock = () => { let offset = 0; return { now: () => Date.now() + offset, advance: (ms: number) => { offset += ms }, get offset() { return offset } } }

const ENV = { WEBHOOK_ALLOWED_HOSTS: '127.0.0.1', WEBHOOK_POLL_MS: '50', WEBHOOK_BACKOFF_MS: '5000', WEBHOOK_BACKOFF_MAX_MS: '20000', WEBHOOK_ALERT_AFTER_FAILURES: '3', WEBHOOK_DISABLE_AFTER_FAILURES: '6', WEBHOOK_DISABLE_AFTER_MINUTES: '1', WEBHOOK_MAX_ATTEMPTS: '50' }

const subscribe = async (t: TestServer, url: string, events: readonly string[] = WEBHOOK_EVENTS) => {
  const res = await api(t.url, 'POST', '/api/webhooks', { name: 'Backend', url, events }, t.ownerToken)
  assert.is(res.status, 201, JSON.stringify(res.body))
  return res.body as { id: string; secret: string }
}
const deliveries = async (t: TestServer, query = '') => (await api(t.url, 'GET', `/api/webhook-deliveries?limit=200${query}`, undefined, t.ownerToken)).body.items as any[]
const typesOf = (got: Received[], conversationId: string) => got.filter((r) => (r.payload.data.conversation as { id?: string } | undefined)?.id === conversationId).map((r) => r.payload.type)

/** One conversation's life through the widget and the REST API; waits after each step until its event is in the outbox, so the expected order is the order things happened. */
async function conversationLife(t: TestServer, key: string, name: string, logged: (type: string, n: number) => Promise<unknown>) {
  const { conversationId, visitorToken, contactId } = await startVisitorConversation(t, name, { id: `first-${name}-0001`, text: `Hello, I am ${name}` })
  await logged('message.created', 1)
  assert.is((await api(t.url, 'POST', `/api/conversations/${conversationId}/status`, { id: `esc-${name}-00001`, status: 'waiting' }, key)).status, 200)
  await logged('conversation.escalated', 1)
  assert.is((await api(t.url, 'POST', `/api/conversations/${conversationId}/messages`, { id: `reply-${name}-0001`, text: 'On it.' }, key)).status, 201)
  await logged('message.created', 2)
  assert.is((await api(t.url, 'POST', `/api/conversations/${conversationId}/resolve`, { id: `res-${name}-00001` }, key)).status, 200)
  await logged('conversation.resolved', 1)
  assert.is((await api(t.url, 'POST', `/api/widget/conversations/${conversationId}/csat`, { rating: 5, comment: 'quick' }, visitorToken)).status, 200)
  await logged('conversation.csat', 1)
  return { conversationId, contactId }
}
const LIFE = ['conversation.created', 'message.created', 'conversation.escalated', 'message.created', 'conversation.assigned', 'conversation.resolved', 'conversation.csat']

for (const dialect of testDialects()) test(`${dialect}: every event once, in order per conversation, signed; a 30 s outage loses nothing`, async () => {
  const receiver = await startReceiver()
  const clock = testClock()
  // Never disabled here: the test clock runs with real time too, and a slow machine must not make the outage look long.
  const t = await startTestServer({ dialect, env: { ...ENV, WEBHOOK_DISABLE_AFTER_FAILURES: '100000' }, start: { webhookClock: clock } })
  try {
    const key = (await api(t.url, 'POST', '/api/api-keys', { name: 'CRM', scope: 'write' }, t.ownerToken)).body.token
    const hook = await subscribe(t, receiver.url)
    const inOutbox = (conversation: () => string | undefined) => async (type: string, n: number) => waitFor(async () => {
      const id = conversation()
      const rows = (await deliveries(t, `&event=${type}`)).filter((d) => !id || d.eventId.startsWith(id))
      return rows.length >= n
    }, 20_000, `${type} ×${n} in the outbox`)

    // Receiver up: a conversation's life arrives, each event once, verified.
    let current: string | undefined
    const a = await conversationLife(t, key, 'Ada', inOutbox(() => current))
    current = a.conversationId
    await waitFor(() => typesOf(receiver.got, a.conversationId).length >= LIFE.length, 20_000, 'the first conversation\'s events')
    assert.equal(typesOf(receiver.got, a.conversationId), LIFE)
    assert.is((await api(t.url, 'PATCH', `/api/contacts/${a.contactId}`, { name: 'Ada L.' }, key)).status, 200)
    await waitFor(() => receiver.got.some((r) => r.payload.type === 'contact.updated'), 20_000, 'contact.updated')
    assert.ok(receiver.got.some((r) => r.payload.type === 'contact.created' && (r.payload.data.contact as { id: string }).id === a.contactId))
    for (const r of receiver.got) {
      assert.ok(verifyWebhook(hook.secret, r.raw, r.signature), `signature of ${r.payload.type}`)
      assert.not.ok(verifyWebhook('whsec_wrong', r.raw, r.signature))
      assert.is(r.payload.version, 1)
    }
    assert.is(new Set(receiver.got.map((r) => r.payload.id)).size, receiver.got.length, 'no event twice')

    // Receiver down for 30 s of the clock: two conversations' events wait, retried with backoff.
    receiver.state.up = false
    const before = receiver.got.length
    current = undefined
    const b = await conversationLife(t, key, 'Bob', async (type, n) => { await inOutbox(() => undefined)(type, n + 1) })
    await waitFor(() => receiver.state.refused >= 1, 20_000, 'a refused attempt')
    const outageStart = clock.offset
    while (clock.offset - outageStart < 30_000) {
      const refused = receiver.state.refused
      clock.advance(5_000)
      await waitFor(() => receiver.state.refused > refused, 20_000, 'a retry during the outage')
    }
    assert.is(receiver.got.length, before, 'nothing got through while down')
    const pending = (await deliveries(t, '&status=pending')).length
    assert.ok(pending >= LIFE.length, `deliveries wait (${pending})`)
    receiver.state.up = true
    // Every retry comes due within the backoff cap.
    clock.advance(25_000)
    await waitFor(() => typesOf(receiver.got, b.conversationId).length >= LIFE.length, 30_000, 'the outage\'s events after it')
    assert.equal(typesOf(receiver.got, b.conversationId), LIFE, 'in order, after retries')
    await waitFor(async () => (await deliveries(t, '&status=pending')).length === 0, 20_000, 'nothing pending')
    assert.is(new Set(receiver.got.map((r) => r.payload.id)).size, receiver.got.length, 'no event twice')
    const all = await deliveries(t)
    assert.is(all.filter((d) => d.status === 'succeeded').length, receiver.got.length, 'each delivery arrived once')

    // The monitor's view: health, and the failed attempts with their answers.
    const listed = (await api(t.url, 'GET', '/api/webhooks', undefined, t.ownerToken)).body.items[0]
    assert.ok(listed.health.attempts > listed.health.succeeded)
    assert.is(listed.health.lastError, 'HTTP 503')
    const retried = all.find((d) => d.attempts > 1)
    const detail = (await api(t.url, 'GET', `/api/webhook-deliveries/${retried.id}`, undefined, t.ownerToken)).body
    assert.is(detail.attemptLog[0].responseBody, 'down for maintenance')
    assert.ok(detail.attemptLog.at(-1).ok)
    assert.match(detail.attemptLog[0].requestHeaders[SIGNATURE_HEADER], /^t=\d+,v1=[0-9a-f]{64}$/)
    // The recovery alert is written with the delivery that succeeded: wait for it, not for a time.
    const alerts = await waitFor(async () => {
      const items = (await api(t.url, 'GET', '/api/integrations/alerts', undefined, t.ownerToken)).body.items as any[]
      return items.some((x) => x.level === 'info' && /delivers again/.test(x.message)) ? items : null
    }, 15_000, 'the "delivers again" alert')
    assert.ok(alerts.some((x: any) => x.level === 'warning' && /failing/.test(x.message)))
    assert.ok(alerts.some((x: any) => x.level === 'info' && /delivers again/.test(x.message)))

    // Redeliver from the log: the same event again, freshly signed.
    const original = all.find((d) => d.event === 'conversation.resolved')
    const redelivered = await api(t.url, 'POST', `/api/webhook-deliveries/${original.id}/redeliver`, undefined, t.ownerToken)
    assert.is(redelivered.status, 201)
    const again = await waitFor(() => receiver.got.find((r) => r.delivery === redelivered.body.id), 20_000, 'the redelivery')
    assert.is(again.payload.id, original.eventId)
    assert.ok(verifyWebhook(hook.secret, again.raw, again.signature))
    assert.is(redelivered.body.redeliveryOf, original.id)
  } finally {
    await t.close()
    await receiver.close()
  }
})

test('a URL that never answers is disabled after repeated failure, and the admins are told', async () => {
  const dead = await startReceiver()
  await dead.close()
  const clock = testClock()
  const t = await startTestServer({ env: ENV, start: { webhookClock: clock } })
  try {
    const hook = await subscribe(t, dead.url, ['contact.created', 'message.created'])
    await startVisitorConversation(t, 'Cy', { id: 'first-cy-000001', text: 'Hello' })
    await waitFor(async () => (await deliveries(t)).some((d) => d.attempts >= 1), 20_000, 'a first attempt')
    await waitFor(async () => {
      clock.advance(20_000)
      return (await api(t.url, 'GET', `/api/webhooks/${hook.id}`, undefined, t.ownerToken)).body.active === false
    }, 30_000, 'the webhook disabled')
    const webhook = (await api(t.url, 'GET', `/api/webhooks/${hook.id}`, undefined, t.ownerToken)).body
    assert.match(webhook.disabledReason, /attempts in a row failed/)
    const alerts = (await api(t.url, 'GET', '/api/integrations/alerts', undefined, t.ownerToken)).body.items
    assert.ok(alerts.some((a: any) => a.level === 'error' && /was disabled/.test(a.message) && a.subjectId === hook.id))
    // Nothing is lost: the deliveries wait for the webhook to be enabled again.
    assert.ok((await deliveries(t, '&status=pending')).length >= 1)
    // Agents (not admins) see neither webhooks nor alerts.
    await api(t.url, 'POST', '/api/agents', { email: 'ann@example.com', name: 'Ann', password: 'long enough password', role: 'agent' }, t.ownerToken)
    const ann = (await api(t.url, 'POST', '/api/auth/sign-in', { email: 'ann@example.com', password: 'long enough password' })).body.token
    assert.is((await api(t.url, 'GET', '/api/integrations/alerts', undefined, ann)).status, 403)
    assert.is((await api(t.url, 'POST', '/api/webhooks', { name: 'x', url: 'http://example.com', events: ['message.created'] }, ann)).status, 403)
    const bad = await api(t.url, 'POST', '/api/webhooks', { name: 'x', url: 'ftp://example.com', events: ['message.created'] }, t.ownerToken)
    assert.is(bad.body.error.field, 'url')
    assert.is((await api(t.url, 'POST', '/api/webhooks', { name: 'x', url: 'http://example.com', events: ['nope'] }, t.ownerToken)).body.error.field, 'events.0')
  } finally {
    await t.close()
  }
})

test.run()
