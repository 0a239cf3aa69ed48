/**
 * How `npm start` runs the bot: in the server process by default, consuming the in-process
 * queue; with REDIS_URL, jobs go to BullMQ (the server still runs one worker unless
 * PARLEY_IN_PROCESS_BOT=0, and `npm run worker` adds more) and server instances share
 * documents through @hocuspocus/extension-redis.
 */
import type { Extension } from '@hocuspocus/server'
import type { StartOptions } from '../server/app.ts'
import type { Config } from '../server/config.ts'
import { InProcessQueue, type JobQueue } from '../server/job-queue.ts'
import type { BotJob } from '../protocol/index.ts'
import { RedisHealth, surviveRedisRejections } from '../server/scale-out/redis-health.ts'
import type { Logger } from '../server/log.ts'
import { startBot, type RunningBot } from './worker.ts'
import type { WorkerConfig } from './worker-config.ts'

export interface BotWiring {
  options: Pick<StartOptions, 'jobs' | 'extensions' | 'beforeListen' | 'redisStatus' | 'redisHealth'>
  /** Stops the bot (before the server closes). */
  close(): Promise<void>
}

/** BullMQ, ioredis and the Redis extension are loaded only with REDIS_URL. */
export async function wireBot(config: Config, worker: WorkerConfig, log: Logger): Promise<BotWiring> {
  const onFailed = (job: unknown, error: unknown) => log.error('bot job failed for good', { job, error })
  let jobs: JobQueue
  const extensions: Extension[] = []
  let redisStatus: (() => Promise<'ok' | 'down'>) | undefined
  let redisHealth: RedisHealth | undefined
  if (config.redisUrl) {
    const [{ BullMqQueue }, { redisDocumentsFor }] = await Promise.all([import('./bullmq-queue.ts'), import('../server/scale-out/redis-documents.ts')])
    const health = new RedisHealth(log)
    surviveRedisRejections(health, log)
    const queue = new BullMqQueue({
      redisUrl: config.redisUrl, prefix: worker.queuePrefix, concurrency: worker.concurrency, attempts: worker.attempts,
      backoffMs: worker.backoffMs, lockDurationMs: worker.jobLockMs, stalledIntervalMs: worker.jobLockMs, onFailed, onError: (error) => health.note('jobs', error),
    })
    jobs = queue
    redisHealth = health
    redisStatus = async () => (health.isDown() ? 'down' : queue.ping())
    extensions.push(redisDocumentsFor(config.redisUrl, `${worker.queuePrefix}-docs`, health, log))
  } else {
    jobs = new InProcessQueue<BotJob>({ attempts: worker.attempts, backoffMs: worker.backoffMs, onFailed })
  }
  let bot: RunningBot | null = null
  return {
    options: {
      jobs, extensions, ...(redisStatus ? { redisStatus } : {}), ...(redisHealth ? { redisHealth } : {}),
      beforeListen: config.inProcessBot
        ? (services, server) => { bot = startBot({ jobs, db: services.db, url: server.url, serviceToken: server.serviceToken, openai: config.openai, attempts: worker.attempts, log }) }
        : undefined,
    },
    close: async () => { await bot?.close() },
  }
}
