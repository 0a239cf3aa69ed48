/**
 * Group commit for the Yjs update log: appends made in the same event-loop turn (and while a
 * commit is in flight) go to the database as one statement, one transaction. Each caller's
 * promise resolves only once its row is committed; that is when its client gets the ack.
 */
import type { Db } from '../db/database.ts'
import { appendUpdates } from '../db/doc-log.repository.ts'

interface Pending { docName: string; data: Uint8Array; resolve(id: number): void; reject(error: unknown): void }

export class UpdateLog {
  private queue: Pending[] = []
  private flushing = false
  private scheduled = false
  /** Totals, for /metrics and benchmarks. */
  appended = 0
  commits = 0

  constructor(private readonly db: Db, private readonly maxBatch = 1000) {}

  append(docName: string, data: Uint8Array): Promise<number> {
    return new Promise((resolve, reject) => {
      this.queue.push({ docName, data, resolve, reject })
      this.schedule()
    })
  }

  /** Resolves once everything appended before the call is committed (or has failed). */
  async drain(): Promise<void> {
    while (this.queue.length > 0 || this.flushing) await new Promise((r) => setImmediate(r))
  }

  private schedule(): void {
    if (this.scheduled || this.flushing) return
    this.scheduled = true
    setImmediate(() => {
      this.scheduled = false
      void this.flush()
    })
  }

  private async flush(): Promise<void> {
    if (this.flushing || this.queue.length === 0) return
    this.flushing = true
    const batch = this.queue.splice(0, this.maxBatch)
    try {
      const ids = await appendUpdates(this.db, batch)
      this.appended += batch.length
      this.commits += 1
      batch.forEach((entry, i) => entry.resolve(ids[i] as number))
    } catch (error) {
      for (const entry of batch) entry.reject(error)
    } finally {
      this.flushing = false
      if (this.queue.length > 0) this.schedule()
    }
  }
}
