/**
 * With REDIS_URL the limits hold across server instances (issue 10, item 5: an attacker must not
 * multiply them by the number of instances), and a Redis outage does not take the widget down:
 * each instance keeps limiting on its own (the in-memory insurance limiters).
 * The shared test needs TEST_REDIS_URL (CI sets it); each run uses its own key prefix.
 */
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { startServer, type ParleyServer } from '../app.ts'
import { bootstrapFirstRun } from '../bootstrap.ts'
import { loadConfig } from '../config.ts'
import { assertRefusal, call } from './limit-test-kit.ts'

const REDIS_URL = process.env.TEST_REDIS_URL

async function startInstances(count: number, env: Record<string, string>): Promise<{ servers: ParleyServer[]; siteKey: string; close(): Promise<void> }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-limits-'))
  const servers: ParleyServer[] = []
  for (let i = 0; i < count; i++) servers.push(await startServer(loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'silent', ...env })))
  const firstRun = await bootstrapFirstRun(servers[0]!.services.db, { email: 'owner@example.com', password: 'correct horse battery' })
  return {
    servers, siteKey: firstRun!.siteKey,
    async close() {
      for (const server of servers) await server.close()
      fs.rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

/** The default counts with hour-long windows: a busy machine must not see a window end mid-test. */
const LONG_WINDOWS = { RATE_LIMIT_SESSIONS_PER_IP: '30/1h', RATE_LIMIT_CONVERSATIONS_PER_VISITOR: '10/1h', RATE_LIMIT_MESSAGES_PER_VISITOR: '20/1h' }

const uniquePrefix = () => `parley-test-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`

if (REDIS_URL) {
  test('two instances share one count through Redis: sessions per address and conversations per visitor', async () => {
    const { servers: [a, b], siteKey, close } = await startInstances(2, { REDIS_URL, RATE_LIMIT_PREFIX: uniquePrefix(), ...LONG_WINDOWS })
    try {
      const sessions = []
      for (let i = 0; i < 40; i++) sessions.push(await call((i % 2 ? b! : a!).url, 'POST', '/api/widget/session', { siteKey, name: `Visitor ${i}` }))
      assert.is(sessions.filter((s) => s.status === 200).length, 30, '30 a minute from one address, whichever instance answers')
      for (const refused of sessions.slice(30)) assertRefusal(refused, /too many visitor sessions from this address/)

      const token = sessions[0]!.body.token as string
      const conversations = []
      for (let i = 0; i < 14; i++) conversations.push(await call((i % 2 ? b! : a!).url, 'POST', '/api/widget/conversations', { siteKey }, { token }))
      assert.equal(conversations.map((c) => c.status), [...Array(10).fill(201), ...Array(4).fill(429)])
    } finally {
      await close()
    }
  })
} else {
  // Not test.skip: uvu leaves skipped tests out of its total, which scripts/run-tests.mjs reads.
  console.log('skipped: two instances sharing counts through Redis, and Redis cut mid-run (set TEST_REDIS_URL)')
}

test('Redis unreachable: the widget is still served, and still limited, by each instance on its own', async () => {
  // A port with nothing behind it: every command fails at once, so the insurance limiters answer.
  const closedPort = await new Promise<number>((resolve) => {
    const probe = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (probe.address() as net.AddressInfo).port
      probe.close(() => resolve(port))
    })
  })
  const { servers: [a], siteKey, close } = await startInstances(1, { REDIS_URL: `redis://127.0.0.1:${closedPort}`, RATE_LIMIT_PREFIX: uniquePrefix(), ...LONG_WINDOWS })
  try {
    const started = performance.now()
    const sessions = []
    for (let i = 0; i < 35; i++) sessions.push(await call(a!.url, 'POST', '/api/widget/session', { siteKey }))
    assert.is(sessions.filter((s) => s.status === 200).length, 30)
    for (const refused of sessions.slice(30)) assertRefusal(refused, /from this address/)
    assert.ok(performance.now() - started < 10_000, 'no request waited for Redis')
  } finally {
    await close()
  }
})

if (REDIS_URL) {
  test('Redis going away mid-run: the limits fall back to memory at once, with no request left waiting', async () => {
    // A TCP relay to the real Redis that the test can cut, as a network failure would.
    const target = new URL(REDIS_URL)
    const sockets = new Set<net.Socket>()
    const relay = net.createServer((client) => {
      const upstream = net.connect(Number(target.port || 6379), target.hostname)
      for (const s of [client, upstream]) { sockets.add(s); s.on('error', () => {}); s.on('close', () => sockets.delete(s)) }
      client.pipe(upstream).pipe(client)
    })
    await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', () => resolve()))
    const relayUrl = new URL(REDIS_URL)
    relayUrl.hostname = '127.0.0.1'
    relayUrl.port = String((relay.address() as net.AddressInfo).port)
    const { servers: [a], siteKey, close } = await startInstances(1, { REDIS_URL: relayUrl.toString(), RATE_LIMIT_PREFIX: uniquePrefix(), ...LONG_WINDOWS })
    try {
      // Until the first command goes through, Redis is not known to be there.
      const first = await call(a!.url, 'POST', '/api/widget/session', { siteKey })
      assert.is(first.status, 200)
      relay.close()
      for (const socket of sockets) socket.destroy()
      const started = performance.now()
      const sessions = []
      for (let i = 0; i < 35; i++) sessions.push(await call(a!.url, 'POST', '/api/widget/session', { siteKey }))
      const served = sessions.filter((s) => s.status === 200).length
      // The memory count starts afresh when Redis goes: at most 30 more, and at least that many served.
      assert.is(served, 30)
      for (const refused of sessions.filter((s) => s.status !== 200)) assertRefusal(refused, /from this address/)
      assert.ok(performance.now() - started < 10_000, 'no request waited for Redis')
    } finally {
      relay.close()
      for (const socket of sockets) socket.destroy()
      await close()
    }
  })
}

test.run()
