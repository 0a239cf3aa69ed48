/**
 * Email deliveries ride the same job queues as the bot: in-process by default, BullMQ when
 * Redis is configured (a queue of their own, so an email backlog never delays the bot). A job is
 * only a delivery id; what to send is in the delivery log, so a job lost with its queue is found
 * again by the service's sweep.
 */
import { Queue, Worker, type ConnectionOptions } from 'bullmq'
import * as v from 'valibot'
import { parseInput } from '../../protocol/index.ts'
import { InProcessQueue, type JobHandler, type JobQueue } from '../job-queue.ts'

export const EmailJob = v.object({ deliveryId: v.pipe(v.string(), v.minLength(1), v.maxLength(100)) })
export type EmailJob = v.InferOutput<typeof EmailJob>
export const EMAIL_QUEUE = 'parley-email'

export interface EmailQueueOptions { attempts: number; backoffMs: number; onFailed?: (job: EmailJob, error: unknown) => void }

export const createInProcessEmailQueue = (options: EmailQueueOptions): InProcessQueue<EmailJob> =>
  new InProcessQueue<EmailJob>({ ...options, concurrency: 2, parse: (job) => parseInput(EmailJob, job) })

export class BullMqEmailQueue implements JobQueue<EmailJob> {
  private readonly queue: Queue
  private worker: Worker | null = null
  private readonly connection: ConnectionOptions

  constructor(private readonly options: EmailQueueOptions & { redisUrl: string; prefix: string; onError?: (error: Error) => void }) {
    this.connection = { url: options.redisUrl, maxRetriesPerRequest: null, retryStrategy: (attempt: number) => Math.min(100 * attempt, 2000) }
    this.queue = new Queue(EMAIL_QUEUE, { connection: this.connection, prefix: options.prefix })
    this.queue.on('error', (error) => this.options.onError?.(error))
  }

  async add(job: EmailJob): Promise<void> {
    const checked = parseInput(EmailJob, job)
    // The delivery id is the job id: a second enqueue of a row (the sweep) while its job waits is a no-op.
    await this.queue.add('deliver', checked, {
      jobId: `email-${checked.deliveryId}`, attempts: this.options.attempts, backoff: { type: 'exponential', delay: this.options.backoffMs },
      removeOnComplete: true, removeOnFail: true,
    })
  }

  process(handler: JobHandler<EmailJob>): void {
    this.worker = new Worker(EMAIL_QUEUE, async (job) => handler(parseInput(EmailJob, job.data), job.attemptsMade + 1), { connection: this.connection, prefix: this.options.prefix, concurrency: 2 })
    this.worker.on('failed', (job, error) => { if (job && job.attemptsMade >= (job.opts.attempts ?? 1)) this.options.onFailed?.(job.data as EmailJob, error) })
    this.worker.on('error', (error) => this.options.onError?.(error))
  }

  async depth(): Promise<number> {
    const counts = await this.queue.getJobCounts('waiting', 'active', 'delayed')
    return Object.values(counts).reduce((sum, n) => sum + n, 0)
  }

  async close(): Promise<void> {
    const bounded = (p: Promise<unknown>, ms: number) => Promise.race([p.catch(() => {}), new Promise((r) => setTimeout(r, ms).unref())])
    if (this.worker) { await bounded(this.worker.close(true), 2000); await bounded(this.worker.disconnect(), 1000) }
    await bounded(this.queue.close(), 1000)
  }
}
