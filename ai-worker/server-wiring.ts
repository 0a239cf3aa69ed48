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
import type { Logger } from '../server/log.ts'
import { startBot, type RunningBot } from './worker.ts'
import type { WorkerConfig } from './worker-config.ts'

export interface BotWiring {
  options: Pick<StartOptions, 'jobs' | 'extensions' | 'beforeListen' | 'redisStatus'>
  /** Stops the bot (before the server closes). */
  close(): Promise<void>
}

/** BullMQ, ioredis and the Redis extension are loaded only with REDIS_URL. */
export async function wireBot(config: Config, worker: WorkerConfig, log: Logger): Promise<BotWiring> {
  const onFailed = (job: unknown, error: unknown) => log.error('bot job failed for good', { job, error })
  let jobs: JobQueue
  const extensions: Extension[] = []
  let redisStatus: (() => Promise<'ok' | 'down'>) | undefined
  if (config.redisUrl) {
    const [{ BullMqQueue }, { Redis }] = await Promise.all([import('./bullmq-queue.ts'), import('@hocuspocus/extension-redis')])
    const queue = new BullMqQueue({
      redisUrl: config.redisUrl, prefix: worker.queuePrefix, concurrency: worker.concurrency, attempts: worker.attempts,
      backoffMs: worker.backoffMs, lockDurationMs: worker.jobLockMs, stalledIntervalMs: worker.jobLockMs, onFailed, onError: (error) => log.warn('queue connection trouble', { error }),
    })
    jobs = queue
    redisStatus = () => queue.ping()
    const url = new URL(config.redisUrl)
    extensions.push(new Redis({
      host: url.hostname, port: Number(url.port || 6379), prefix: `${worker.queuePrefix}-docs`,
      options: {
        ...(url.username ? { username: decodeURIComponent(url.username) } : {}),
        ...(url.password ? { password: decodeURIComponent(url.password) } : {}),
        ...(url.pathname.length > 1 ? { db: Number(url.pathname.slice(1)) } : {}),
        ...(url.protocol === 'rediss:' ? { tls: {} } : {}),
      },
    }))
  } else {
    jobs = new InProcessQueue({ attempts: worker.attempts, backoffMs: worker.backoffMs, onFailed })
  }
  let bot: RunningBot | null = null
  return {
    options: {
      jobs, extensions, ...(redisStatus ? { redisStatus } : {}),
      beforeListen: config.inProcessBot
        ? (services, server) => { bot = startBot({ jobs, db: services.db, url: server.url, serviceToken: server.serviceToken, openai: config.openai, attempts: worker.attempts, log }) }
        : undefined,
    },
    close: async () => { await bot?.close() },
  }
}
