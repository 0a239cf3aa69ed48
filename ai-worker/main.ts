/**
 * `npm run worker`: one bot worker process consuming the BullMQ queue. Start as many as you
 * like, on any machine that reaches the server, Redis and the database. Needs REDIS_URL,
 * PARLEY_URL, PARLEY_SERVICE_TOKEN (the server's) and DATABASE_URL (the knowledge base and AI
 * settings are read from the database). Only wiring lives here.
 */
import { openDatabase } from '../db/database.ts'
import { ConfigError, loadConfig } from '../server/config.ts'
import { createLogger } from '../server/log.ts'
import { RedisHealth, surviveRedisRejections } from '../server/scale-out/redis-health.ts'
import { BullMqQueue } from './bullmq-queue.ts'
import { startBot } from './worker.ts'
import { loadWorkerConfig } from './worker-config.ts'

let config, workerConfig
try {
  config = loadConfig()
  workerConfig = loadWorkerConfig()
  const missing = [!config.redisUrl && 'REDIS_URL', !workerConfig.parleyUrl && 'PARLEY_URL', !config.serviceToken && 'PARLEY_SERVICE_TOKEN'].filter(Boolean) as string[]
  if (missing.length > 0) throw new ConfigError(missing.map((name) => `${name}: required by a bot worker process`))
} catch (error) {
  if (error instanceof ConfigError) { console.error(error.message); process.exit(1) }
  throw error
}
const log = createLogger(config.logLevel, { process: 'ai-worker', pid: process.pid })
const health = new RedisHealth(log)
surviveRedisRejections(health, log)
const db = openDatabase(config.databaseUrl)
const jobs = new BullMqQueue({
  redisUrl: config.redisUrl as string, prefix: workerConfig.queuePrefix, concurrency: workerConfig.concurrency,
  attempts: workerConfig.attempts, backoffMs: workerConfig.backoffMs, lockDurationMs: workerConfig.jobLockMs, stalledIntervalMs: workerConfig.jobLockMs,
  onFailed: (job, error) => log.error('bot job failed for good', { job, error }),
  onError: (error) => health.note('jobs', error),
})
const bot = startBot({ jobs, db, url: workerConfig.parleyUrl as string, serviceToken: config.serviceToken as string, openai: config.openai, attempts: workerConfig.attempts, log })

let stopping = false
function stop(reason: string): void {
  if (stopping) return
  stopping = true
  log.info('worker shutting down', { reason })
  // A Redis that is away can hold the queue's close for ever; the process ends regardless.
  setTimeout(() => { log.error('shutdown did not finish in time; exiting'); process.exit(1) }, 20_000).unref()
  // The queue stops taking jobs and waits for running ones (or lets go of them) before the documents close.
  jobs.close().then(() => bot.close()).then(() => db.close()).then(() => process.exit(0), (error) => { log.error('shutdown failed', { error }); process.exit(1) })
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => stop(signal))
// A parent killed outright (kill -9 of `npm run worker`) sends no signal: its child is handed to
// another parent, which this notices.
const parent = process.ppid
setInterval(() => { if (process.ppid !== parent) stop('parent process exited') }, 500).unref()
