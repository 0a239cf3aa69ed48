import type { IncomingMessage } from 'node:http'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { startTestServer } from '../test-kit.ts'
import { checkMetricsAccess, isDirectLoopback } from './metrics-access.ts'

const request = (remoteAddress: string, headers: Record<string, string> = {}) => ({ socket: { remoteAddress }, headers }) as unknown as IncomingMessage

test('without METRICS_TOKEN, /metrics answers a loopback client and refuses a proxied one', async () => {
  const t = await startTestServer()
  try {
    const direct = await fetch(t.url + '/metrics')
    assert.is(direct.status, 200)
    assert.match(await direct.text(), /parley_connections/)
    for (const header of ['x-forwarded-for', 'forwarded', 'x-real-ip']) {
      const proxied = await fetch(t.url + '/metrics', { headers: { [header]: header === 'forwarded' ? 'for=203.0.113.9' : '203.0.113.9' } })
      assert.is(proxied.status, 403, header)
      assert.not.match(await proxied.text(), /parley_/)
    }
  } finally { await t.close() }
})

test('a remote address is refused without a token; loopback forms are recognised', () => {
  assert.ok(isDirectLoopback(request('127.0.0.1')))
  assert.ok(isDirectLoopback(request('::1')))
  assert.ok(isDirectLoopback(request('::ffff:127.0.0.1')))
  for (const remote of ['10.0.0.5', '::ffff:192.168.1.2', '2001:db8::1', '']) {
    assert.not.ok(isDirectLoopback(request(remote)), remote)
    assert.throws(() => checkMetricsAccess(request(remote), null, null), (e: Error) => /METRICS_TOKEN/.test(e.message))
  }
  // With a token, the address does not matter: only the token does.
  checkMetricsAccess(request('10.0.0.5'), 'a-long-metrics-token', 'a-long-metrics-token')
  assert.throws(() => checkMetricsAccess(request('127.0.0.1'), null, 'a-long-metrics-token'))
})

test('with METRICS_TOKEN, /metrics needs it as a Bearer token, from loopback too', async () => {
  const t = await startTestServer({ env: { METRICS_TOKEN: 'scrape-me-0123456789' } })
  try {
    assert.is((await fetch(t.url + '/metrics')).status, 401)
    assert.is((await fetch(t.url + '/metrics', { headers: { authorization: 'Bearer wrong-token-0123456789' } })).status, 401)
    const ok = await fetch(t.url + '/metrics', { headers: { authorization: 'Bearer scrape-me-0123456789', 'x-forwarded-for': '203.0.113.9' } })
    assert.is(ok.status, 200)
    assert.match(await ok.text(), /parley_connections/)
  } finally { await t.close() }
})

test.run()
