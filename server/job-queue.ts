/**
 * The bot's job queue. In-process by default; BullMQ implements the same interface when Redis
 * is configured. Jobs are idempotent by design (a reply's id derives from its trigger), so
 * at-least-once delivery with retries is safe.
 */
import { BotJob, parseInput } from '../protocol/index.ts'

export type JobHandler<J = BotJob> = (job: J, attempt: number) => Promise<void>

/** A queue of jobs `J`: bot jobs by default; email deliveries use the same queues (server/email/). */
export interface JobQueue<J = BotJob> {
  add(job: J): Promise<void>
  /** Starts consuming; one handler per queue. */
  process(handler: JobHandler<J>): void
  depth(): Promise<number>
  close(): Promise<void>
}

export interface InProcessQueueOptions<J = BotJob> {
  concurrency?: number; attempts?: number; backoffMs?: number; onFailed?: (job: J, error: unknown) => void
  /** Checks a job before it is queued (bot jobs by default). */
  parse?: (job: unknown) => J
}

export class InProcessQueue<J = BotJob> implements JobQueue<J> {
  private waiting: { job: J; attempt: number }[] = []
  private running = 0
  private handler: JobHandler<J> | null = null
  private closed = false
  private timers = new Set<NodeJS.Timeout>()
  private idleWaiters: (() => void)[] = []

  constructor(private readonly options: InProcessQueueOptions<J> = {}) {}

  async add(job: J): Promise<void> {
    if (this.closed) throw new Error('queue closed')
    const parse = this.options.parse ?? ((raw: unknown) => parseInput(BotJob, raw) as J)
    this.waiting.push({ job: parse(job), attempt: 1 })
    this.pump()
  }

  process(handler: JobHandler<J>): void {
    this.handler = handler
    this.pump()
  }

  async depth(): Promise<number> {
    return this.waiting.length + this.running + this.timers.size
  }

  /** Resolves when nothing is waiting, running or scheduled for retry. */
  idle(): Promise<void> {
    if (this.waiting.length + this.running + this.timers.size === 0) return Promise.resolve()
    return new Promise((resolve) => this.idleWaiters.push(resolve))
  }

  async close(): Promise<void> {
    this.closed = true
    for (const timer of this.timers) clearTimeout(timer)
    this.timers.clear()
    this.waiting = []
  }

  private pump(): void {
    const concurrency = this.options.concurrency ?? 4
    while (this.handler && !this.closed && this.running < concurrency && this.waiting.length > 0) {
      const next = this.waiting.shift() as { job: J; attempt: number }
      this.running += 1
      void this.run(this.handler, next.job, next.attempt)
    }
    if (this.waiting.length + this.running + this.timers.size === 0) this.idleWaiters.splice(0).forEach((resolve) => resolve())
  }

  private async run(handler: JobHandler<J>, job: J, attempt: number): Promise<void> {
    try {
      await handler(job, attempt)
    } catch (error) {
      if (attempt < (this.options.attempts ?? 3) && !this.closed) {
        const timer = setTimeout(() => {
          this.timers.delete(timer)
          this.waiting.push({ job, attempt: attempt + 1 })
          this.pump()
        }, (this.options.backoffMs ?? 500) * 2 ** (attempt - 1))
        this.timers.add(timer)
      } else {
        this.options.onFailed?.(job, error)
      }
    } finally {
      this.running -= 1
      this.pump()
    }
  }
}
