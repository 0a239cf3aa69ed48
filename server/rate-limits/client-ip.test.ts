import type { IncomingMessage } from 'node:http'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { clientIp, limitKeyOf } from './client-ip.ts'

const request = (remoteAddress: string, forwardedFor?: string) => ({ socket: { remoteAddress }, headers: forwardedFor ? { 'x-forwarded-for': forwardedFor } : {} }) as unknown as IncomingMessage

test('without TRUST_PROXY the socket address counts, whatever X-Forwarded-For says', () => {
  assert.is(clientIp(request('10.0.0.5', '1.2.3.4'), 0), '10.0.0.5')
  assert.is(clientIp(request('::ffff:10.0.0.5'), 0), '10.0.0.5')
})

test('with TRUST_PROXY=N the address the outermost trusted proxy saw counts, not what the client wrote on the left', () => {
  assert.is(clientIp(request('10.0.0.1', 'spoofed, 203.0.113.7'), 1), '203.0.113.7')
  assert.is(clientIp(request('10.0.0.1', 'spoofed, 203.0.113.7, 10.0.0.2'), 2), '203.0.113.7')
  assert.is(clientIp(request('10.0.0.1'), 1), '10.0.0.1', 'no header: the socket')
})

test('an IPv6 client counts as its /64, however it writes its address', () => {
  assert.is(limitKeyOf('2001:db8:1:2:aaaa::1'), '2001:db8:1:2::/64')
  assert.is(limitKeyOf('2001:0db8:0001:0002:ffff:0:0:9'), '2001:db8:1:2::/64')
  assert.is(limitKeyOf('2001:db8::1'), '2001:db8:0:0::/64')
  assert.is(limitKeyOf('::1'), '0:0:0:0::/64')
})

test.run()
