/**
 * webhooks: delivery throughput and latency at a steady event rate (issue 16). A server (in this
 * process) with a webhook subscribed to message.created, a receiver answering 200 at once, and
 * messages written at `--rate` per second (200) over `--seconds` (15) across 50 conversations.
 * Latency is from the event (the message's createdAt) to the receiver reading the request: the
 * projection's batching, the outbox written with the event log, the queue, signing and the HTTP
 * request. `--source documents` (default) appends the messages to the loaded documents as a sync
 * peer's update would land; `--source rest` posts them through the REST API with an API key (its
 * write path is then usually what limits the rate). With the in-process queue and, when Redis
 * answers (REDIS_URL or 127.0.0.1:6379), with BullMQ.
 *
 *   npm run bench -- webhooks
 *   npm run bench -- webhooks --rate 400 --seconds 30 --source rest
 */
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { Redis } from 'ioredis'
import { api, startTestServer, startVisitorConversation, LIMITS_OFF } from '../server/test-kit.ts'
import { BullMqWebhookQueue } from '../server/webhooks/webhook-queue.ts'
import { SERVER_ORIGIN } from '../server/conversation-service.ts'
import { appendMessage } from '../protocol/index.ts'
import { fmtMs, percentile, printTable, writeResults } from './lib/report.ts'

const argv = process.argv.slice(2)
const arg = (flag: string, fallback: number) => { const i = argv.indexOf(flag); return i >= 0 ? Number(argv[i + 1]) : fallback }
const RATE = arg('--rate', 200)
const SECONDS = arg('--seconds', 15)
const CONVERSATIONS = 50
const SOURCE = argv.includes('--source') ? argv[argv.indexOf('--source') + 1] ?? '' : 'documents'
if (SOURCE !== 'documents' && SOURCE !== 'rest') throw new Error('--source must be documents or rest')
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'

async function redisAnswers(): Promise<boolean> {
  const client = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null })
  try { await client.connect(); await client.ping(); return true } catch { return false } finally { client.disconnect() }
}

async function run(queue: 'in-process' | 'bullmq') {
  const latencies: number[] = []
  const seen = new Set<string>()
  let duplicates = 0
  const receiver = http.createServer((req, res) => {
    let raw = ''
    req.on('data', (c) => { raw += c })
    req.on('end', () => {
      const body = JSON.parse(raw) as { id: string; occurredAt: number }
      if (seen.has(body.id)) duplicates += 1
      else { seen.add(body.id); latencies.push(Date.now() - body.occurredAt) }
      res.writeHead(200); res.end()
    })
  })
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve))
  const prefix = `parley-bench-${process.pid}-${Date.now()}`
  const t = await startTestServer({
    env: { ...LIMITS_OFF, LOG_LEVEL: 'error', WEBHOOK_ALLOWED_HOSTS: '127.0.0.1' },
    start: queue === 'bullmq' ? { webhookQueue: new BullMqWebhookQueue({ redisUrl: REDIS_URL, prefix }) } : {},
  })
  try {
    await api(t.url, 'PUT', '/api/settings/ai', { ...(await api(t.url, 'GET', '/api/settings/ai', undefined, t.ownerToken)).body, enabled: false }, t.ownerToken)
    const key = (await api(t.url, 'POST', '/api/api-keys', { name: 'bench', scope: 'write' }, t.ownerToken)).body.token
    await api(t.url, 'POST', '/api/webhooks', { name: 'bench', url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/`, events: ['message.created'] }, t.ownerToken)
    const ownerId = (await api(t.url, 'GET', '/api/auth/me', undefined, t.ownerToken)).body.agent.id as string
    const conversations: string[] = []
    for (let i = 0; i < CONVERSATIONS; i++) conversations.push((await startVisitorConversation(t, `Visitor ${i}`, { id: `bench-first-${i}-0000`, text: 'hello' })).conversationId)
    // The customers' first messages are events too: wait for them, then count only the load.
    while (seen.size < CONVERSATIONS) await new Promise((r) => setTimeout(r, 50))
    seen.clear(); latencies.length = 0
    const total = RATE * SECONDS
    const started = performance.now()
    let sent = 0
    let failed = 0
    const inFlight = new Set<Promise<void>>()
    for (let i = 0; i < total; i++) {
      const due = started + (i * 1000) / RATE
      const wait = due - performance.now()
      if (wait > 0) await new Promise((r) => setTimeout(r, wait))
      const id = `bench-${i}-${Date.now()}`
      const conversationId = conversations[i % CONVERSATIONS]!
      const write = SOURCE === 'rest'
        ? api(t.url, 'POST', `/api/conversations/${conversationId}/messages`, { id, text: `reply ${i}` }, key)
        : t.server.services.conversations.change(conversationId, (doc) => appendMessage(doc, { id, author: { role: 'agent', id: ownerId, name: 'Owner' }, kind: 'message', text: `reply ${i}`, attachments: [], createdAt: Date.now() }, SERVER_ORIGIN)).then(() => ({ status: 201, body: null }))
      const p = write
        .then((r) => { if (r.status === 201) sent += 1; else { failed += 1; if (failed < 4) console.log('refused', r.status, JSON.stringify(r.body).slice(0, 200)) } }, (e) => { failed += 1; if (failed < 4) console.log('failed', String(e)) })
        .finally(() => inFlight.delete(p))
      inFlight.add(p)
    }
    await Promise.all(inFlight)
    const offeredSeconds = (performance.now() - started) / 1000
    const deadline = Date.now() + 120_000
    while (seen.size < sent && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50))
    const deliveredSeconds = (performance.now() - started) / 1000
    return {
      queue, source: SOURCE, rate: RATE, seconds: SECONDS, written: sent, refused: failed, delivered: seen.size, lost: sent - seen.size, duplicates,
      writesPerSecond: sent / offeredSeconds, deliveredPerSecond: seen.size / deliveredSeconds,
      p50Ms: percentile(latencies, 50), p99Ms: percentile(latencies, 99), maxMs: percentile(latencies, 100),
    }
  } finally {
    await t.close()
    await new Promise<void>((resolve) => receiver.close(() => resolve()))
  }
}

const results = [await run('in-process')]
if (await redisAnswers()) results.push(await run('bullmq'))
else console.log(`(Redis at ${REDIS_URL} does not answer: BullMQ not measured)`)
printTable(`webhooks: message.created at ${RATE}/s for ${SECONDS} s over ${CONVERSATIONS} conversations (${SOURCE === 'rest' ? 'REST reply' : 'document write'} → receiver)`, results.map((r) => ({
  queue: r.queue, source: r.source, written: r.written, delivered: r.delivered, lost: r.lost, duplicates: r.duplicates,
  'writes/s': r.writesPerSecond.toFixed(0), 'delivered/s': r.deliveredPerSecond.toFixed(0), 'p50 ms': fmtMs(r.p50Ms), 'p99 ms': fmtMs(r.p99Ms), 'max ms': fmtMs(r.maxMs),
})))
writeResults('webhooks', { source: SOURCE, rate: RATE, seconds: SECONDS, conversations: CONVERSATIONS, results })
process.exit(0)
