/**
 * The bot's job queue on Redis (BullMQ), for when workers run in several processes or on
 * other machines. Same interface as the in-process queue. Delivery is at least once: a job
 * whose worker dies is found stalled and handed to another worker; the bot's idempotent
 * reply ids make the second run harmless.
 */
import { Queue, Worker, type ConnectionOptions } from 'bullmq'
import { BOT_QUEUE, BotJob, parseInput } from '../protocol/index.ts'
import type { JobHandler, JobQueue } from '../server/job-queue.ts'

export interface BullMqQueueOptions {
  redisUrl: string
  /** Key prefix in Redis: separate deployments (and tests) on one Redis use their own. */
  prefix?: string
  attempts?: number
  backoffMs?: number
  concurrency?: number
  /** How long a worker holds a job before it counts as stalled (ms); a dead worker's job comes back after this. */
  lockDurationMs?: number
  stalledIntervalMs?: number
  onFailed?: (job: BotJob, error: unknown) => void
  /** How long `add` waits for Redis before it returns and leaves the job to be sent later (ms). */
  addTimeoutMs?: number
  /** Connection trouble; BullMQ reconnects by itself. */
  onError?: (error: Error) => void
}

/** BullMQ refuses ':' in custom ids; the id makes a duplicate enqueue a no-op while the job is kept. */
const jobIdFor = (job: BotJob): string => `${job.kind}-${job.conversationId}-${job.messageId}`.replace(/:/g, '_')

export class BullMqQueue implements JobQueue {
  private readonly queue: Queue
  private worker: Worker | null = null
  /** Jobs this process is running. */
  private running = 0
  private readonly connection: ConnectionOptions

  constructor(private readonly options: BullMqQueueOptions) {
    // Never give up, and reconnect within 2 s of Redis returning (BullMQ's own default backs off to 20 s).
    this.connection = { url: options.redisUrl, maxRetriesPerRequest: null, retryStrategy: (attempt: number) => Math.min(100 * attempt, 2000) }
    this.queue = new Queue(BOT_QUEUE, { connection: this.connection, prefix: options.prefix ?? 'parley' })
    // Without a listener BullMQ prints each connection error (one per reconnect attempt while Redis is away).
    this.queue.on('error', (error) => this.options.onError?.(error))
  }

  async add(job: BotJob): Promise<void> {
    const checked = parseInput(BotJob, job)
    const adding = this.queue.add(checked.kind, checked, {
      jobId: jobIdFor(checked),
      attempts: this.options.attempts ?? 3,
      backoff: { type: 'exponential', delay: this.options.backoffMs ?? 1000 },
      removeOnComplete: { age: 3600, count: 10_000 },
      removeOnFail: { age: 7 * 86400 },
    })
    adding.catch((error: Error) => this.options.onError?.(error))
    // While Redis is away the add waits in the client's queue and is sent when Redis returns;
    // the customer's send does not wait that long (a job lost meanwhile, the server's sweep
    // enqueues again: server/job-recovery).
    let timer: NodeJS.Timeout | undefined
    const late = new Promise<void>((resolve) => { timer = setTimeout(resolve, this.options.addTimeoutMs ?? 2000) })
    try { await Promise.race([adding, late]) } finally { clearTimeout(timer) }
  }

  process(handler: JobHandler): void {
    if (this.worker) throw new Error('this queue already has a worker')
    this.worker = new Worker(BOT_QUEUE, async (job) => {
      this.running += 1
      try { return await handler(parseInput(BotJob, job.data), job.attemptsMade + 1) } finally { this.running -= 1 }
    }, {
      connection: this.connection,
      prefix: this.options.prefix ?? 'parley',
      concurrency: this.options.concurrency ?? 8,
      ...(this.options.lockDurationMs ? { lockDuration: this.options.lockDurationMs } : {}),
      ...(this.options.stalledIntervalMs ? { stalledInterval: this.options.stalledIntervalMs } : {}),
    })
    this.worker.on('failed', (job, error) => {
      if (job && job.attemptsMade >= (job.opts.attempts ?? 1)) this.options.onFailed?.(job.data as BotJob, error)
    })
    this.worker.on('error', (error) => this.options.onError?.(error))
  }

  async depth(): Promise<number> {
    const counts = await this.queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized')
    return Object.values(counts).reduce((sum, n) => sum + n, 0)
  }

  async ping(): Promise<'ok' | 'down'> {
    try {
      // A cheap round trip through the queue's own connection.
      await Promise.race([this.queue.count(), new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), 2000).unref())])
      return 'ok'
    } catch {
      return 'down'
    }
  }

  /**
   * Stops taking jobs and waits up to `graceMs` for the running ones to finish; then lets go of
   * them (their locks lapse and another worker takes them over after `lockDurationMs`). Never
   * waits for a Redis that is away (BullMQ's close would).
   */
  async close(graceMs = 10_000): Promise<void> {
    if (this.worker) {
      const worker = this.worker
      const wait = this.running > 0 ? graceMs : 1000
      // Not closed in time: jobs still running, or Redis away. Force it; if BullMQ still cannot
      // close its connections (it waits for Redis), go on: the process ending drops them.
      if (!(await within(worker.close(), wait))) await within(worker.close(true), 1000)
    }
    if (!(await within(this.queue.close(), 1000))) void this.queue.disconnect().catch(() => {})
  }

}

/** Whether `promise` settles within `ms` (it keeps running either way). */
async function within(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined
  const settled = await Promise.race([promise.then(() => true, () => true), new Promise<boolean>((resolve) => { timer = setTimeout(() => resolve(false), ms) })])
  clearTimeout(timer)
  return settled
}
