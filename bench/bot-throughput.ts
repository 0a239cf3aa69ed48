/**
 * Bot throughput and the latency it adds, with a model that answers at once (a local server
 * speaking the OpenAI API, driven through the real SDK): bot jobs per second for a burst of
 * customer messages, and the time from the job being enqueued to the first token of the reply
 * being visible to another peer of the conversation. In-process queue and BullMQ on Redis.
 *
 * node --import tsx bench/bot-throughput.ts [--full] [--reps N]
 */
import { createId, formatConversationName, getStreams, type BotJob } from '../protocol/index.ts'
import { InProcessQueue, type JobHandler, type JobQueue } from '../server/job-queue.ts'
import { LIMITS_OFF, api, connectPeer, startVisitorConversation, type Peer } from '../server/test-kit.ts'
import { BullMqQueue } from '../ai-worker/bullmq-queue.ts'
import { startOpenAiTestServer } from '../ai-worker/openai-test-server.ts'
import { startBotServer, waitForOutcome } from '../ai-worker/test-kit.ts'
import { fmtMs, median, percentile, printTable, readOptions, writeResults } from './lib/report.ts'

const options = readOptions()
const CONVERSATIONS = options.full ? 200 : 40
const REPS = options.reps ?? 3
const REDIS_URL = process.env.TEST_REDIS_URL ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'

/** Records when each job was enqueued. */
class TimedQueue implements JobQueue {
  readonly addedAt = new Map<string, number>()
  constructor(private readonly inner: JobQueue) {}
  add(job: BotJob): Promise<void> { this.addedAt.set(job.messageId, performance.now()); return this.inner.add(job) }
  process(handler: JobHandler): void { this.inner.process(handler) }
  depth(): Promise<number> { return this.inner.depth() }
  close(): Promise<void> { return this.inner.close() }
}

async function runOnce(queueKind: 'in-process' | 'bullmq') {
  const model = await startOpenAiTestServer(() => ({ content: ['Here is ', 'the answer ', 'you need.'] }))
  const prefix = `bench-${createId()}`
  const inner: JobQueue = queueKind === 'bullmq' ? new BullMqQueue({ redisUrl: REDIS_URL, prefix, concurrency: 16 }) : new InProcessQueue({ concurrency: 16 })
  const jobs = new TimedQueue(inner)
  const t = await startBotServer({ modelUrl: model.baseUrl, jobs, env: LIMITS_OFF })
  const peers: Peer[] = []
  try {
    const settings = await api(t.url, 'GET', '/api/settings/ai', undefined, t.ownerToken)
    await api(t.url, 'PUT', '/api/settings/ai', { ...settings.body, greeting: '' }, t.ownerToken)
    const conversations = []
    for (let i = 0; i < CONVERSATIONS; i++) conversations.push(await startVisitorConversation(t, `Customer ${i}`))
    const firstToken = new Map<string, number>()
    for (const [i, c] of conversations.entries()) {
      const peer = connectPeer(t.wsUrl, formatConversationName(c.conversationId), t.ownerToken)
      const messageId = `msg-bench-${String(i).padStart(5, '0')}`
      getStreams(peer.doc).observeDeep(() => {
        if (!firstToken.has(messageId) && [...getStreams(peer.doc).values()].some((text) => text.length > 0)) firstToken.set(messageId, performance.now())
      })
      peers.push(peer)
    }
    await Promise.all(peers.map((p) => p.ready))
    const started = performance.now()
    await Promise.all(conversations.map((c, i) => api(t.url, 'POST', `/api/widget/conversations/${c.conversationId}/messages`, { id: `msg-bench-${String(i).padStart(5, '0')}`, text: 'How do I export a page?' }, c.visitorToken)))
    await Promise.all(peers.map((p, i) => waitForOutcome(p.doc, `msg-bench-${String(i).padStart(5, '0')}`, 120_000)))
    const elapsedS = (performance.now() - started) / 1000
    const latencies = [...firstToken].map(([id, at]) => at - (jobs.addedAt.get(id) ?? at))
    return { jobsPerSecond: CONVERSATIONS / elapsedS, firstTokenP50: percentile(latencies, 50), firstTokenP95: percentile(latencies, 95), observed: latencies.length }
  } finally {
    for (const peer of peers) peer.destroy()
    await t.close()
    await model.close()
    if (inner instanceof BullMqQueue) await removeQueue(prefix)
  }
}

async function removeQueue(prefix: string) {
  const { Queue } = await import('bullmq')
  const { BOT_QUEUE } = await import('../protocol/index.ts')
  const queue = new Queue(BOT_QUEUE, { connection: { url: REDIS_URL }, prefix })
  await queue.obliterate({ force: true })
  await queue.close()
}

const results: Record<string, Awaited<ReturnType<typeof runOnce>>[]> = {}
for (const kind of ['in-process', 'bullmq'] as const) {
  results[kind] = []
  for (let rep = 0; rep < REPS; rep++) results[kind].push(await runOnce(kind))
}
const rows = Object.entries(results).map(([kind, runs]) => ({
  queue: kind, conversations: CONVERSATIONS, reps: runs.length,
  'jobs/s': median(runs.map((r) => r.jobsPerSecond)).toFixed(1),
  'enqueue → first token p50 ms': fmtMs(median(runs.map((r) => r.firstTokenP50))),
  'p95 ms': fmtMs(median(runs.map((r) => r.firstTokenP95))),
}))
printTable(`Bot throughput, fake model answering at once (medians of ${REPS} runs; a burst of ${CONVERSATIONS} customer messages, each its own conversation)`, rows)
writeResults('bot-throughput', { conversations: CONVERSATIONS, reps: REPS, rows, runs: results })
process.exit(0)
