/**
 * The bot's job queue. In-process by default; BullMQ implements the same interface when Redis
 * is configured. Jobs are idempotent by design (a reply's id derives from its trigger), so
 * at-least-once delivery with retries is safe.
 */
import { BotJob, parseInput } from '../protocol/index.ts'

export type JobHandler = (job: BotJob, attempt: number) => Promise<void>

export interface JobQueue {
  add(job: BotJob): Promise<void>
  /** Starts consuming; one handler per queue. */
  process(handler: JobHandler): void
  depth(): Promise<number>
  close(): Promise<void>
}

export interface InProcessQueueOptions { concurrency?: number; attempts?: number; backoffMs?: number; onFailed?: (job: BotJob, error: unknown) => void }

export class InProcessQueue implements JobQueue {
  private waiting: { job: BotJob; attempt: number }[] = []
  private running = 0
  private handler: JobHandler | null = null
  private closed = false
  private timers = new Set<NodeJS.Timeout>()
  private idleWaiters: (() => void)[] = []

  constructor(private readonly options: InProcessQueueOptions = {}) {}

  async add(job: BotJob): Promise<void> {
    if (this.closed) throw new Error('queue closed')
    this.waiting.push({ job: parseInput(BotJob, job), attempt: 1 })
    this.pump()
  }

  process(handler: JobHandler): void {
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
      const next = this.waiting.shift() as { job: BotJob; attempt: number }
      this.running += 1
      void this.run(this.handler, next.job, next.attempt)
    }
    if (this.waiting.length + this.running + this.timers.size === 0) this.idleWaiters.splice(0).forEach((resolve) => resolve())
  }

  private async run(handler: JobHandler, job: BotJob, attempt: number): Promise<void> {
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
