/**
 * `npm run worker` runs the compiled worker: it answers jobs, stops cleanly on SIGTERM and
 * SIGINT, and stops when its parent is killed outright. Uses a Redis server of its own.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { formatConversationName } from '../protocol/index.ts'
import { startTestRedis, type TestRedis } from '../server/scale-out/test-redis.ts'
import { connectPeer, startTestServer, startVisitorConversation, waitFor, type TestServer } from '../server/test-kit.ts'
import { BullMqQueue } from './bullmq-queue.ts'
import { waitForOutcome } from './test-kit.ts'

const SERVICE_TOKEN = 'test-service-token-0123456789abcdefghijklmnop'

interface Worker { child: ChildProcess; lines: string[]; exited: Promise<{ code: number | null; signal: string | null }> }

function spawnWorker(command: string, args: string[], env: Record<string, string>): Worker {
  const base = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('OPENAI_') && !key.startsWith('npm_'))) as Record<string, string>
  const child = spawn(command, args, { env: { ...base, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
  const lines: string[] = []
  for (const stream of [child.stdout, child.stderr]) stream?.on('data', (data: Buffer) => { lines.push(...data.toString().split('\n').filter(Boolean)); if (process.env.BOT_TEST_LOG) process.stderr.write(data) })
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })))
  return { child, lines, exited }
}

/** The worker's own pid, from its "bot started" log line. */
const workerPid = (worker: Worker) => waitFor(() => worker.lines.map((line) => { try { return JSON.parse(line) } catch { return null } }).find((entry) => entry?.msg === 'bot started')?.pid as number | undefined, 30_000, 'the worker to start')

const alive = (pid: number) => { try { process.kill(pid, 0); return !/\) Z /.test(execFileSync('cat', [`/proc/${pid}/stat`]).toString()) } catch { return false } }

let redis: TestRedis
let t: TestServer
let env: Record<string, string>
const producer = () => new BullMqQueue({ redisUrl: redis.url, prefix: 'worker-process' })

test.before(async () => {
  redis = await startTestRedis()
  t = await startTestServer({ env: { PARLEY_SERVICE_TOKEN: SERVICE_TOKEN }, start: { jobs: producer() } })
  env = {
    REDIS_URL: redis.url, PARLEY_URL: t.url, PARLEY_SERVICE_TOKEN: SERVICE_TOKEN, DATABASE_URL: t.server.services.config.databaseUrl,
    DATA_DIR: t.dataDir, PARLEY_QUEUE_PREFIX: 'worker-process', LOG_LEVEL: 'info',
  }
  execFileSync(process.execPath, ['scripts/build.mjs', '--server'], { stdio: 'ignore' })
})

test.after(async () => {
  await t.close()
  await redis.stop()
})

test('the compiled worker answers a customer, and SIGTERM then SIGINT stop it cleanly', async () => {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    const worker = spawnWorker(process.execPath, ['dist/server/worker.mjs'], env)
    try {
      await workerPid(worker)
      const id = `msg-${signal.toLowerCase()}-001`
      const { conversationId } = await startVisitorConversation(t, 'Vera', { id, text: 'I want to talk to a person' })
      const peer = connectPeer(t.wsUrl, formatConversationName(conversationId), t.ownerToken)
      await peer.ready
      const outcome = await waitForOutcome(peer.doc, id, 20_000)
      assert.is(outcome.kind, 'escalated', 'the built-in responder hands "a person" over')
      peer.destroy()
      worker.child.kill(signal)
      assert.equal(await worker.exited, { code: 0, signal: null })
      assert.ok(worker.lines.some((line) => line.includes('worker shutting down') && line.includes(signal)))
    } finally {
      if (worker.child.exitCode === null) worker.child.kill('SIGKILL')
    }
  }
})

test('SIGTERM while Redis is down still stops the worker, cleanly', async () => {
  const worker = spawnWorker(process.execPath, ['dist/server/worker.mjs'], env)
  try {
    await workerPid(worker)
    await redis.stop()
    await waitFor(() => worker.lines.some((line) => line.includes('redis unavailable') || line.includes('redis connection lost')), 15_000, 'the worker to notice')
    worker.child.kill('SIGTERM')
    assert.equal(await worker.exited, { code: 0, signal: null })
  } finally {
    if (worker.child.exitCode === null) worker.child.kill('SIGKILL')
    await redis.start()
  }
})

test('killing `npm run worker` with SIGKILL does not leave the worker running', async () => {
  const npm = spawnWorker('npm', ['run', '--silent', 'worker'], env)
  let pid = 0
  try {
    pid = await workerPid(npm)
    assert.is.not(pid, npm.child.pid, 'the worker is its own node process')
    npm.child.kill('SIGKILL')
    await waitFor(() => !alive(pid), 10_000, 'the worker to stop after its parent died')
  } finally {
    if (pid && alive(pid)) process.kill(pid, 'SIGKILL')
  }
})

test.run()
