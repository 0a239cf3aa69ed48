/**
 * The webhook job queue: a job is "send what is due in this stream" (one subscription's events
 * of one conversation or contact). In-process by default; on Redis through BullMQ when
 * REDIS_URL is set, so any instance may run it. A job of a stream already waiting is not added
 * twice; the order inside a stream is kept by the database (webhook-dispatcher.ts), not the queue.
 */
import { Queue, Worker, type ConnectionOptions } from 'bullmq'

export interface WebhookJob { subscriptionId: string; streamKey: string }
export type WebhookJobHandler = (job: WebhookJob) => Promise<void>

export interface WebhookQueue {
  add(job: WebhookJob): Promise<void>
  process(handler: WebhookJobHandler): void
  depth(): Promise<number>
  close(): Promise<void>
}

const keyOf = (job: WebhookJob) => `${job.subscriptionId}|${job.streamKey}`

export class InProcessWebhookQueue implements WebhookQueue {
  private waiting = new Map<string, WebhookJob>()
  private running = new Set<string>()
  /** Added while running: run once more after, so nothing added meanwhile waits for the next poll. */
  private again = new Set<string>()
  private handler: WebhookJobHandler | null = null
  private closed = false

  constructor(private readonly concurrency = 8, private readonly onError: (error: unknown) => void = () => {}) {}

  async add(job: WebhookJob): Promise<void> {
    if (this.closed) return
    const key = keyOf(job)
    if (this.running.has(key)) this.again.add(key)
    else this.waiting.set(key, job)
    this.pump()
  }

  process(handler: WebhookJobHandler): void { this.handler = handler; this.pump() }
  async depth(): Promise<number> { return this.waiting.size + this.running.size }
  async close(): Promise<void> { this.closed = true; this.waiting.clear() }

  private pump(): void {
    while (this.handler && !this.closed && this.running.size < this.concurrency && this.waiting.size > 0) {
      const [key, job] = this.waiting.entries().next().value as [string, WebhookJob]
      this.waiting.delete(key)
      this.running.add(key)
      void this.handler(job).catch(this.onError).finally(() => {
        this.running.delete(key)
        if (this.again.delete(key)) this.waiting.set(key, job)
        this.pump()
      })
    }
  }
}

export const WEBHOOK_QUEUE = 'parley-webhooks'

export class BullMqWebhookQueue implements WebhookQueue {
  private readonly queue: Queue
  private worker: Worker | null = null
  private readonly connection: ConnectionOptions

  constructor(private readonly options: { redisUrl: string; prefix?: string; concurrency?: number; onError?: (error: Error) => void }) {
    this.connection = { url: options.redisUrl, maxRetriesPerRequest: null, retryStrategy: (attempt: number) => Math.min(100 * attempt, 2000) }
    this.queue = new Queue(WEBHOOK_QUEUE, { connection: this.connection, prefix: options.prefix ?? 'parley' })
    this.queue.on('error', (error) => this.options.onError?.(error))
  }

  async add(job: WebhookJob): Promise<void> {
    // One waiting job per stream (BullMQ ignores an add whose id exists); removed when done, so the next add counts.
    await this.queue.add('stream', job, { jobId: Buffer.from(keyOf(job)).toString('base64url'), removeOnComplete: true, removeOnFail: true, attempts: 1 })
  }

  process(handler: WebhookJobHandler): void {
    if (this.worker) throw new Error('this queue already has a worker')
    this.worker = new Worker(WEBHOOK_QUEUE, async (job) => handler(job.data as WebhookJob), { connection: this.connection, prefix: this.options.prefix ?? 'parley', concurrency: this.options.concurrency ?? 8 })
    this.worker.on('error', (error) => this.options.onError?.(error))
  }

  async depth(): Promise<number> {
    const counts = await this.queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized')
    return Object.values(counts).reduce((sum, n) => sum + n, 0)
  }

  /** Never waits long for a Redis that is away (BullMQ's close would wait for it). */
  async close(): Promise<void> {
    const bounded = (p: Promise<unknown>, ms: number) => Promise.race([p.catch(() => {}), new Promise((r) => setTimeout(r, ms).unref())])
    // A worker blocked waiting for jobs can take its drain delay to close: force it after a moment,
    // then drop its connections (an unclosed worker keeps its lock timers, and the process, alive).
    if (this.worker) {
      const worker = this.worker
      await bounded(worker.close(), 3000)
      if (!worker.closing || worker.isRunning()) await bounded(worker.close(true), 1000)
      await bounded(worker.disconnect(), 1000)
    }
    await bounded(this.queue.close(), 1000)
    void this.queue.disconnect().catch(() => {})
  }
}
