/**
 * scale-out: two compiled Parley instances on one database (PostgreSQL with BENCH_DATABASE_URL,
 * else one SQLite file), linked by a Redis server of the benchmark's own, started at the same
 * moment on an empty database. Measures cross-instance delivery (an agent on A appends, an
 * agent on B sees it, and back) in normal running, then Redis outages: Redis stopped for D
 * seconds while both agents write, restarted, and the time until both agents and fresh clients
 * on each instance show the same messages (none lost, none doubled, nobody writing meanwhile).
 *
 *   npm run bench -- scale-out            outages of 5, 15 and 60 s, 200 deliveries each way
 *   options: --outages 5,15  --messages 500
 */
import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import pg from 'pg'
import { appendMessage, formatConversationName, readMessages } from '../protocol/index.ts'
import { connectPeer, type Peer } from '../server/test-kit.ts'
import { freePort, makeTempDir, sleep, startNode, stopProcess, waitForPort } from './lib/proc.ts'
import { fmtMs, percentile, printTable, writeResults } from './lib/report.ts'

const list = (flag: string) => { const i = process.argv.indexOf(flag); return i >= 0 ? process.argv[i + 1]!.split(',').map(Number) : null }
const OUTAGES_S = list('--outages') ?? [5, 15, 60]
const MESSAGES = list('--messages')?.[0] ?? 200
const OWNER = { email: 'bench@parley.local', password: 'bench-password-123' }
const CONVERGE_LIMIT_MS = 60_000

async function api(url: string, method: string, pathname: string, body?: unknown, token?: string): Promise<{ status: number; body: any }> {
  const response = await fetch(url + pathname, {
    method, headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  })
  const text = await response.text()
  return { status: response.status, body: text ? JSON.parse(text) : null }
}

async function until<T>(check: () => T | Promise<T>, timeoutMs: number, what: string): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    let value: T | null = null
    try { value = await check() } catch {}
    if (value) return value as NonNullable<T>
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await sleep(5)
  }
}

// Redis, ours alone.
const redisPort = await freePort()
let redis: ChildProcess | null = null
async function startRedis(): Promise<void> {
  redis = spawn('redis-server', ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' })
  await waitForPort(redisPort, redis)
}
async function stopRedis(): Promise<void> { if (redis) await stopProcess(redis); redis = null }

// The database: a fresh PostgreSQL schema, or one SQLite file both instances open.
const dataDir = makeTempDir('parley-bench-scale-')
let databaseUrl = path.join(dataDir, 'parley.sqlite')
let dropSchema: (() => Promise<void>) | null = null
if (process.env.BENCH_DATABASE_URL) {
  const base = process.env.BENCH_DATABASE_URL
  const schema = `bench_scale_${process.pid}`
  const admin = new pg.Client({ connectionString: base }); await admin.connect(); await admin.query(`create schema ${schema}`); await admin.end()
  databaseUrl = `${base}${base.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`
  dropSchema = async () => { const c = new pg.Client({ connectionString: base }); await c.connect(); await c.query(`drop schema ${schema} cascade`); await c.end() }
}

await startRedis()
const instances: { url: string; ws: string; child: ChildProcess }[] = []
const results: Record<string, unknown> = {}
const peers: Peer[] = []
try {
  // Both at the same moment on the empty database.
  await Promise.all([0, 1].map(async (i) => {
    const port = await freePort()
    const child = startNode({
      script: 'dist/server/main.mjs', role: 'server', tsx: false, quiet: !process.env.BENCH_SERVER_LOGS,
      env: {
        PORT: String(port), HOST: '127.0.0.1', DATA_DIR: path.join(dataDir, `instance-${i}`), DATABASE_URL: databaseUrl, REDIS_URL: `redis://127.0.0.1:${redisPort}`,
        PARLEY_QUEUE_PREFIX: `bench-${process.pid}`, PARLEY_IN_PROCESS_BOT: '0', PARLEY_OWNER_EMAIL: OWNER.email, PARLEY_OWNER_PASSWORD: OWNER.password,
        PARLEY_SERVICE_TOKEN: 'bench-service-token-0123456789abcdefghij', LOG_LEVEL: 'warn', RATE_LIMIT_PER_SECOND: '100000',
      },
    })
    await waitForPort(port, child)
    instances[i] = { url: `http://127.0.0.1:${port}`, ws: `ws://127.0.0.1:${port}/sync`, child }
  }))
  const [a, b] = instances as [typeof instances[0], typeof instances[0]]
  const token = (await until(async () => { const r = await api(a.url, 'POST', '/api/auth/sign-in', OWNER); return r.status === 200 ? r : null }, 10_000, 'the owner')).body.token
  const me = (await api(b.url, 'GET', '/api/auth/me', undefined, token)).body.agent
  const siteKey = (await api(a.url, 'GET', '/api/widgets', undefined, token)).body.items[0].siteKey
  await api(a.url, 'PUT', '/api/settings/ai', { enabled: false }, token)
  const visitor = (await api(a.url, 'POST', '/api/widget/session', { siteKey, name: 'Vera' })).body.token
  const conversation = (await api(a.url, 'POST', '/api/widget/conversations', { siteKey }, visitor)).body.id
  const name = formatConversationName(conversation)
  const onA = connectPeer(a.ws, name, token)
  const onB = connectPeer(b.ws, name, token)
  peers.push(onA, onB)
  await Promise.all([onA.ready, onB.ready])
  const author = { role: 'agent' as const, id: me.id, name: me.name }
  let n = 0
  const append = (peer: Peer, text: string) => { const id = `bench-${++n}`; appendMessage(peer.doc, { id, author, kind: 'message', text, attachments: [], createdAt: Date.now() }); return id }
  const has = (peer: Peer, id: string) => readMessages(peer.doc).some((m) => m.id === id)
  const ids = (peer: Peer) => readMessages(peer.doc).map((m) => m.id)

  // Normal running: one message at a time, each way.
  const delivery: Record<string, number[]> = { 'A → B': [], 'B → A': [] }
  for (let i = 0; i < MESSAGES; i += 1) {
    for (const [from, to, key] of [[onA, onB, 'A → B'], [onB, onA, 'B → A']] as const) {
      const started = performance.now()
      const id = append(from, `normal ${i}`)
      await until(() => has(to, id), 10_000, 'a delivery')
      delivery[key]!.push(performance.now() - started)
    }
  }
  results.delivery = Object.fromEntries(Object.entries(delivery).map(([k, v]) => [k, { p50Ms: percentile(v, 50), p99Ms: percentile(v, 99), count: v.length }]))

  // Outages.
  const outages: Record<string, unknown>[] = []
  for (const seconds of OUTAGES_S) {
    await stopRedis()
    const downAt = Date.now()
    await until(async () => (await api(a.url, 'GET', '/health')).status === 503 && (await api(b.url, 'GET', '/health')).status === 503, 15_000, '/health degraded')
    const degradedAfterMs = Date.now() - downAt
    const written: string[] = []
    // Both write through the outage, one message a second each.
    while (Date.now() - downAt < seconds * 1000) {
      written.push(append(onA, `outage ${seconds}s from A`), append(onB, `outage ${seconds}s from B`))
      await sleep(Math.min(1000, Math.max(0, seconds * 1000 - (Date.now() - downAt))))
    }
    await startRedis()
    const back = performance.now()
    const expected = new Set([...ids(onA), ...ids(onB)])
    const complete = (list: string[]) => list.length === expected.size && list.every((id) => expected.has(id))
    let convergedMs = NaN
    try {
      await until(() => complete(ids(onA)) && complete(ids(onB)), CONVERGE_LIMIT_MS, 'convergence')
      convergedMs = performance.now() - back
    } catch {}
    const fresh = await Promise.all([a, b].map(async (instance) => { const peer = connectPeer(instance.ws, name, token); await peer.ready; const list = ids(peer); peer.destroy(); return list }))
    const healthOkMs = await until(async () => (await api(a.url, 'GET', '/health')).status === 200 && (await api(b.url, 'GET', '/health')).status === 200 ? performance.now() - back : 0, 30_000, '/health ok')
    outages.push({
      outageS: seconds, writtenDuringOutage: written.length, degradedAfterMs, convergedMs, healthOkMs,
      freshClientsAgree: fresh.every(complete), doubled: [ids(onA), ids(onB), ...fresh].some((list) => new Set(list).size !== list.length),
      instancesAlive: instances.every((i) => i.child.exitCode === null),
    })
    process.stderr.write(`  outage ${seconds} s: converged ${fmtMs(convergedMs)} ms after Redis returned\n`)
  }
  results.outages = outages

  printTable(`scale-out: cross-instance delivery, one message at a time (ms; ${MESSAGES} each way; two compiled instances, ${process.env.BENCH_DATABASE_URL ? 'PostgreSQL' : 'one SQLite file'}, Redis)`,
    Object.entries(delivery).map(([direction, v]) => ({ direction, p50: fmtMs(percentile(v, 50)), p99: fmtMs(percentile(v, 99)) })))
  printTable('scale-out: Redis outages while agents on both instances write (time from Redis answering again)', outages.map((o) => ({
    outage: `${o.outageS} s`, 'written meanwhile': o.writtenDuringOutage as number, 'converged (ms)': fmtMs(o.convergedMs as number), '/health ok (ms)': fmtMs(o.healthOkMs as number),
    'fresh clients agree': o.freshClientsAgree ? 'yes' : 'NO', doubled: o.doubled ? 'YES' : 'no', 'instances alive': o.instancesAlive ? 'yes' : 'NO',
  })))
  writeResults('scale-out', {
    workload: `two compiled instances started at once on an empty ${process.env.BENCH_DATABASE_URL ? 'PostgreSQL schema' : 'SQLite file'}, one Redis; delivery: an agent peer on one instance appends, the agent peer on the other observes it, ${MESSAGES} sequential messages each way; outages: Redis stopped for D s while each agent appends one message a second, then restarted; converged = both agents hold the same ids (the union), measured from Redis accepting connections`,
    ...results,
  })
} finally {
  for (const peer of peers) peer.destroy()
  for (const instance of instances) if (instance) await stopProcess(instance.child)
  await stopRedis()
  await dropSchema?.()
  fs.rmSync(dataDir, { recursive: true, force: true })
}
process.exit(0)
