import { spawn, type ChildProcess } from 'node:child_process'
import { Queue } from 'bullmq'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { BOT_QUEUE, createId, formatConversationName, readMessages, replyIdFor } from '../protocol/index.ts'
import { connectPeer, startTestServer, startVisitorConversation, waitFor } from '../server/test-kit.ts'
import { BullMqQueue } from './bullmq-queue.ts'
import { startOpenAiTestServer, type ChatRequest, type Script } from './openai-test-server.ts'
import { loadArticles, readSupportKb, startBotServer, streamTexts, waitForOutcome } from './test-kit.ts'

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379'
const SERVICE_TOKEN = 'test-service-token-0123456789abcdefghijklmnop'
const lastUser = (request: ChatRequest) => [...request.messages].reverse().find((m) => m.role === 'user')?.content ?? ''
const uniquePrefix = () => `test-${createId()}`

async function removeQueue(prefix: string): Promise<void> {
  const queue = new Queue(BOT_QUEUE, { connection: { url: REDIS_URL }, prefix })
  await queue.obliterate({ force: true })
  await queue.close()
}

test('BullMQ on Redis: a KB answer streams, a duplicate job gives one reply, "a person" and a timeout escalate', async () => {
  const prefix = uniquePrefix()
  const model = await startOpenAiTestServer((request): Script => {
    const text = lastUser(request)
    if (/person/.test(text)) return { toolCalls: [{ name: 'escalate_to_human', arguments: { reason: 'customer asked for a person', priority: 'normal' } }] }
    if (/invoice/.test(text)) return { hang: true }
    const id = /\[article (\S+)\] Deleted notes/.exec(request.messages[0]?.content ?? '')?.[1]
    return { toolCalls: [{ name: 'reply', arguments: { text: 'Deleted pages stay in the trash for 30 days.', sources: id ? [id] : [] } }], argumentChunks: 5, delayMs: 5 }
  })
  const jobs = new BullMqQueue({ redisUrl: REDIS_URL, prefix, attempts: 2, backoffMs: 50 })
  const t = await startBotServer({ modelUrl: model.baseUrl, jobs, attempts: 2, timeoutMs: 300 })
  try {
    const ids = await loadArticles(t, readSupportKb().filter((a) => a.slug === 'trash-and-restoring'))
    const kb = await startVisitorConversation(t, 'Vera', { id: 'msg-bull-kb-1', text: 'How long do deleted pages stay in the trash?' })
    const person = await startVisitorConversation(t, 'Pat', { id: 'msg-bull-pp-1', text: 'I want to talk to a person' })
    const slow = await startVisitorConversation(t, 'Sam', { id: 'msg-bull-to-1', text: 'Where is my invoice?' })
    const job = { kind: 'reply' as const, conversationId: kb.conversationId, messageId: 'msg-bull-kb-1', workspaceId: t.workspaceId }
    await Promise.all([jobs.add(job), jobs.add(job)])
    const [a, b, c] = [kb, person, slow].map((x) => connectPeer(t.wsUrl, formatConversationName(x.conversationId), t.ownerToken)) as [ReturnType<typeof connectPeer>, ReturnType<typeof connectPeer>, ReturnType<typeof connectPeer>]
    await Promise.all([a.ready, b.ready, c.ready])
    const answer = await waitForOutcome(a.doc, 'msg-bull-kb-1')
    assert.is(answer.kind, 'reply')
    assert.equal(answer.message.sources, [{ id: ids.get('trash-and-restoring'), title: 'Deleted notes, trash and restoring' }])
    const escalated = await waitForOutcome(b.doc, 'msg-bull-pp-1')
    assert.is(escalated.kind === 'escalated' && escalated.priority, 'normal')
    const timedOut = await waitForOutcome(c.doc, 'msg-bull-to-1')
    assert.is(timedOut.kind === 'escalated' && timedOut.reason, 'assistant unavailable')
    // Re-delivery after the fact changes nothing.
    await t.bot.bot.handle(job, 1)
    assert.is(readMessages(a.doc).filter((m) => m.id === replyIdFor('msg-bull-kb-1')).length, 1)
    assert.is(readMessages(a.doc).filter((m) => m.author.role === 'bot' && m.text.includes('trash')).length, 1)
    a.destroy(); b.destroy(); c.destroy()
  } finally { await t.close(); await model.close(); await removeQueue(prefix) }
})

function startWorkerProcess(env: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'ai-worker/main.ts'], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] })
  child.stderr?.on('data', (d) => { if (process.env.BOT_TEST_LOG) process.stderr.write(d) })
  return child
}

test('a worker process killed (SIGKILL) mid-job: another worker finishes the job, with one reply', async () => {
  const prefix = uniquePrefix()
  let stuck!: () => void
  const firstTryHangs = new Promise<void>((resolve) => { stuck = resolve })
  let tries = 0
  const model = await startOpenAiTestServer((request): Script => {
    if (!/export/.test(lastUser(request))) return { content: ['Hello'] }
    tries += 1
    return tries === 1
      ? { content: ['Open the page ', 'menu and ', 'choose Export.'], pauseAfterFirst: firstTryHangs }
      : { content: ['Open the page ', 'menu and ', 'choose Export.'] }
  })
  const producer = new BullMqQueue({ redisUrl: REDIS_URL, prefix })
  const t = await startTestServer({ env: { PARLEY_SERVICE_TOKEN: SERVICE_TOKEN }, start: { jobs: producer } })
  const workers: ChildProcess[] = []
  try {
    const env = {
      REDIS_URL, PARLEY_URL: t.url, PARLEY_SERVICE_TOKEN: SERVICE_TOKEN, DATABASE_URL: t.server.services.config.databaseUrl, DATA_DIR: t.dataDir,
      PARLEY_QUEUE_PREFIX: prefix, PARLEY_JOB_LOCK_MS: '1000', OPENAI_BASE_URL: model.baseUrl, OPENAI_MODEL: 'test-model', LOG_LEVEL: 'warn',
    }
    const first = startWorkerProcess(env)
    workers.push(first)
    const { conversationId } = await startVisitorConversation(t, 'Vera', { id: 'msg-kill-0001', text: 'How do I export a page?' })
    const peer = connectPeer(t.wsUrl, formatConversationName(conversationId), t.ownerToken)
    await peer.ready
    await waitFor(() => streamTexts(peer.doc).some((text) => text.startsWith('Open the page')), 20_000, 'the first worker to be mid-reply')
    first.kill('SIGKILL')
    await new Promise((resolve) => first.once('exit', resolve))
    workers.push(startWorkerProcess(env))
    const outcome = await waitForOutcome(peer.doc, 'msg-kill-0001', 30_000)
    assert.is(outcome.kind, 'reply')
    assert.is(outcome.message.text, 'Open the page menu and choose Export.')
    await waitFor(() => streamTexts(peer.doc).length === 0, 5000, 'no stream left behind')
    assert.is(readMessages(peer.doc).filter((m) => m.author.role === 'bot' && m.text.includes('Export')).length, 1)
    assert.is(tries, 2, 'the second worker asked the model again')
    peer.destroy()
  } finally {
    stuck()
    for (const worker of workers) if (worker.exitCode === null && worker.signalCode === null) { worker.kill('SIGTERM'); await new Promise((resolve) => worker.once('exit', resolve)) }
    await t.close(); await model.close(); await removeQueue(prefix)
  }
})

test.run()
