/**
 * Webhook targets (server-side request forgery): private, loopback and metadata addresses are
 * refused when a URL is saved and again when a delivery connects (a name that resolves inward
 * later); the operator opens them by range or by name. Plus the admin's tools around a webhook:
 * a test ping and a secret rotation with a grace period.
 */
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { SIGNATURE_HEADER } from '../../protocol/index.ts'
import { ConfigError, loadConfig } from '../config.ts'
import { api, startTestServer, waitFor } from '../test-kit.ts'
import { verifyWebhook } from './webhook-signature.ts'
import { WebhookTargets } from './webhook-target.ts'

async function startReceiver() {
  const got: Array<{ body: string; signature: string; type: string }> = []
  const server = http.createServer((req, res) => {
    let body = ''
    req.on('data', (c) => { body += c })
    req.on('end', () => {
      got.push({ body, signature: String(req.headers[SIGNATURE_HEADER] ?? ''), type: String(req.headers['parley-event'] ?? '') })
      res.writeHead(200, { 'content-type': 'text/plain' }); res.end('thanks')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  return { port, got, close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()) }) }
}

test('addresses: private, loopback, reserved and link-local are refused; public ones and what the operator lists are allowed', () => {
  const strict = new WebhookTargets({ allowPrivateNetworks: false, allowedHosts: [] })
  for (const address of ['127.0.0.1', '127.1.2.3', '10.0.0.5', '172.16.4.4', '172.31.255.255', '192.168.1.1', '100.64.0.1', '0.0.0.0', '169.254.169.254', '224.0.0.1',
    '::1', '::', 'fc00::1', 'fd12:3456::1', 'fe80::1', '::ffff:127.0.0.1', '::ffff:7f00:1', '::ffff:a9fe:a9fe', '64:ff9b::a00:1']) {
    assert.ok(strict.refusal(address, 'example.org'), `${address} must be refused`)
  }
  for (const address of ['93.184.216.34', '8.8.8.8', '172.32.0.1', '2606:4700::1111', '::ffff:8.8.8.8']) assert.is(strict.refusal(address, 'example.org'), null, `${address} is public`)
  assert.match(strict.refusal('10.0.0.5', 'crm.local')!, /WEBHOOK_ALLOW_PRIVATE_NETWORKS/)

  const privateOk = new WebhookTargets({ allowPrivateNetworks: true, allowedHosts: [] })
  assert.is(privateOk.refusal('10.0.0.5', 'crm.local'), null)
  assert.is(privateOk.refusal('127.0.0.1', 'localhost'), null)
  // The metadata endpoint stays closed even when private ranges are open.
  assert.match(privateOk.refusal('169.254.169.254', 'metadata')!, /link-local/)
  assert.ok(privateOk.refusal('fe80::1', 'x'))

  const listed = new WebhookTargets({ allowPrivateNetworks: false, allowedHosts: ['10.1.0.0/16', '127.0.0.1', 'crm.internal', '169.254.10.10'] })
  assert.is(listed.refusal('10.1.200.3', 'a'), null)
  assert.ok(listed.refusal('10.2.0.1', 'a'))
  assert.is(listed.refusal('127.0.0.1', 'a'), null)
  assert.ok(listed.refusal('127.0.0.2', 'a'))
  assert.is(listed.refusal('192.168.0.9', 'CRM.internal'), null, 'a listed name is allowed whatever it resolves to')
  assert.is(listed.refusal('169.254.10.10', 'a'), null, 'a link-local address is allowed only when listed by address')
  for (const t of [strict, privateOk, listed]) t.close()
})

test('configuration: a bad WEBHOOK_ALLOWED_HOSTS entry or flag is refused at start, naming it', () => {
  for (const [env, name] of [[{ WEBHOOK_ALLOWED_HOSTS: '10.0.0.0/99' }, '10.0.0.0/99'], [{ WEBHOOK_ALLOWED_HOSTS: 'good.example, bad host' }, 'bad host'], [{ WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'yes' }, 'WEBHOOK_ALLOW_PRIVATE_NETWORKS']] as const) {
    try {
      loadConfig({ DATA_DIR: '/tmp/unused', ...env })
      assert.unreachable(`${name} was accepted`)
    } catch (error) {
      assert.instance(error, ConfigError)
      assert.match((error as Error).message, name)
    }
  }
  assert.equal(loadConfig({ DATA_DIR: '/tmp/unused', WEBHOOK_ALLOW_PRIVATE_NETWORKS: '1', WEBHOOK_ALLOWED_HOSTS: 'crm.internal,10.0.0.0/8' }).webhooks.targets, { allowPrivateNetworks: true, allowedHosts: ['crm.internal', '10.0.0.0/8'] })
})

test('sending: a name that resolves to a refused address is refused when the socket connects; a listed one is delivered', async () => {
  const receiver = await startReceiver()
  const strict = new WebhookTargets({ allowPrivateNetworks: false, allowedHosts: [] })
  try {
    // Saved before its DNS pointed inward, or not saved through the API at all: the connection itself is checked.
    for (const url of [`http://localhost:${receiver.port}/hook`, `http://127.0.0.1:${receiver.port}/hook`, `http://[::ffff:127.0.0.1]:${receiver.port}/hook`]) {
      const error = await strict.send(url, {}, '{}', 5000, 100).then(() => null, (e: Error) => e)
      assert.ok(error, `${url} was sent`)
      assert.match(error!.message, /^refused: .*private or reserved/)
    }
    assert.is(receiver.got.length, 0, 'nothing reached the receiver')
    const byName = new WebhookTargets({ allowPrivateNetworks: false, allowedHosts: ['localhost'] })
    const answer = await byName.send(`http://localhost:${receiver.port}/hook`, { 'content-type': 'application/json' }, '{"a":1}', 5000, 3)
    assert.equal(answer, { status: 200, body: 'tha' })
    assert.is(receiver.got[0]!.body, '{"a":1}')
    byName.close()
    // A closed port is a clear error, not a hang.
    const closed = new WebhookTargets({ allowPrivateNetworks: true, allowedHosts: [] })
    const refused = await closed.send('http://127.0.0.1:9/x', {}, '{}', 5000, 10).then(() => null, (e: Error) => e)
    assert.is(refused?.message, 'ECONNREFUSED')
    closed.close()
  } finally {
    strict.close()
    await receiver.close()
  }
})

test('the API refuses a private target when saving (400 naming url) unless the operator allows it; ping and rotation', async () => {
  const receiver = await startReceiver()
  const t = await startTestServer({ env: { WEBHOOK_POLL_MS: '50' } })
  const listed = await startTestServer({ env: { WEBHOOK_POLL_MS: '50', WEBHOOK_ALLOWED_HOSTS: '127.0.0.1' } })
  try {
    for (const url of [`http://127.0.0.1:${receiver.port}/hook`, `http://localhost:${receiver.port}/hook`, 'http://169.254.169.254/latest/meta-data/', 'http://10.0.0.7/hook', 'http://[::1]:8080/']) {
      const res = await api(t.url, 'POST', '/api/webhooks', { name: 'Inside', url, events: ['message.created'] }, t.ownerToken)
      assert.is(res.status, 400, `${url}: ${JSON.stringify(res.body)}`)
      assert.is(res.body.error.field, 'url')
    }
    assert.is((await api(t.url, 'GET', '/api/webhooks', undefined, t.ownerToken)).body.items.length, 0, 'nothing was saved')
    const unresolvable = await api(t.url, 'POST', '/api/webhooks', { name: 'Typo', url: 'http://no-such-host.invalid/hook', events: ['message.created'] }, t.ownerToken)
    assert.is(unresolvable.status, 400)
    assert.match(unresolvable.body.error.message, /could not be resolved/)

    // The operator listed 127.0.0.1: allowed, and a PATCH to a refused address is still refused.
    const created = await api(listed.url, 'POST', '/api/webhooks', { name: 'Backend', url: `http://127.0.0.1:${receiver.port}/hook`, events: ['message.created'] }, listed.ownerToken)
    assert.is(created.status, 201, JSON.stringify(created.body))
    const hook = created.body as { id: string; secret: string }
    const moved = await api(listed.url, 'PATCH', `/api/webhooks/${hook.id}`, { url: 'http://192.168.0.10/hook' }, listed.ownerToken)
    assert.is(moved.status, 400)
    assert.is(moved.body.error.field, 'url')

    // Ping: a signed webhook.ping arrives and is in the log, filterable by its event.
    const ping = await api(listed.url, 'POST', `/api/webhooks/${hook.id}/ping`, undefined, listed.ownerToken)
    assert.is(ping.status, 201, JSON.stringify(ping.body))
    await waitFor(() => receiver.got.length === 1, 10_000, 'the ping arrives')
    const first = receiver.got[0]!
    assert.is(first.type, 'webhook.ping')
    assert.is(JSON.parse(first.body).data.webhookId, hook.id)
    assert.ok(verifyWebhook(hook.secret, first.body, first.signature))
    await waitFor(async () => (await api(listed.url, 'GET', `/api/webhook-deliveries/${ping.body.id}`, undefined, listed.ownerToken)).body.status === 'succeeded', 10_000, 'the ping is logged as delivered')
    const logged = (await api(listed.url, 'GET', '/api/webhook-deliveries?event=webhook.ping', undefined, listed.ownerToken)).body.items as Array<{ id: string }>
    assert.equal(logged.map((d) => d.id), [ping.body.id])

    // Rotation: the new secret signs at once, the old one too during its grace period, so receivers can be updated one by one.
    assert.is((await api(listed.url, 'POST', `/api/webhooks/${hook.id}/rotate-secret`, { keepPreviousHours: 500 }, listed.ownerToken)).body.error.field, 'keepPreviousHours')
    const rotated = await api(listed.url, 'POST', `/api/webhooks/${hook.id}/rotate-secret`, { keepPreviousHours: 1 }, listed.ownerToken)
    assert.is(rotated.status, 200, JSON.stringify(rotated.body))
    assert.is.not(rotated.body.secret, hook.secret)
    assert.ok(rotated.body.previousSecretUntil > Date.now() + 3500_000)
    await api(listed.url, 'POST', `/api/webhooks/${hook.id}/ping`, undefined, listed.ownerToken)
    await waitFor(() => receiver.got.length === 2, 10_000, 'the second ping arrives')
    const second = receiver.got[1]!
    assert.ok(verifyWebhook(rotated.body.secret, second.body, second.signature), 'signed with the new secret')
    assert.ok(verifyWebhook(hook.secret, second.body, second.signature), 'and still with the old one')
    // Rotated again with no grace: only the newest secret signs.
    const final = await api(listed.url, 'POST', `/api/webhooks/${hook.id}/rotate-secret`, { keepPreviousHours: 0 }, listed.ownerToken)
    assert.is(final.body.previousSecretUntil, null)
    await api(listed.url, 'POST', `/api/webhooks/${hook.id}/ping`, undefined, listed.ownerToken)
    await waitFor(() => receiver.got.length === 3, 10_000, 'the third ping arrives')
    const third = receiver.got[2]!
    assert.ok(verifyWebhook(final.body.secret, third.body, third.signature))
    assert.not.ok(verifyWebhook(rotated.body.secret, third.body, third.signature))
    assert.not.ok(verifyWebhook(hook.secret, third.body, third.signature))
    // An agent (not an admin) may do neither.
    await api(listed.url, 'POST', '/api/agents', { email: 'al@example.com', name: 'Al', role: 'agent', password: 'al-password-1' }, listed.ownerToken)
    const agent = (await api(listed.url, 'POST', '/api/auth/sign-in', { email: 'al@example.com', password: 'al-password-1' })).body.token as string
    assert.is((await api(listed.url, 'POST', `/api/webhooks/${hook.id}/rotate-secret`, {}, agent)).status, 403)
    assert.is((await api(listed.url, 'POST', `/api/webhooks/${hook.id}/ping`, undefined, agent)).status, 403)
  } finally {
    await t.close()
    await listed.close()
    await receiver.close()
  }
})

test.run()
