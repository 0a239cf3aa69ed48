/**
 * Group commit for the Yjs update log: appends made in the same event-loop turn go to the
 * database as one statement, one transaction; then the batch waits for `db.sync()` (on SQLite an
 * fsync of the WAL on the thread pool, db/wal-sync.ts), which later batches share while it runs.
 * Each caller's promise resolves only once its row is committed and on disk; that is when its
 * client gets the ack.
 */
import type { Db } from '../db/database.ts'
import { appendUpdates } from '../db/doc-log.repository.ts'

interface Pending { docName: string; data: Uint8Array; resolve(id: number): void; reject(error: unknown): void }

export class UpdateLog {
  private queue: Pending[] = []
  private flushing = false
  private scheduled = false
  private syncing = 0
  /** Totals, for /metrics and benchmarks. */
  appended = 0
  commits = 0

  private lastCommitAt = -Infinity

  constructor(private readonly db: Db, private readonly maxBatch = 1000, private readonly minGapMs = 4) {}

  append(docName: string, data: Uint8Array): Promise<number> {
    return new Promise((resolve, reject) => {
      this.queue.push({ docName, data, resolve, reject })
      this.schedule()
    })
  }

  /** Resolves once everything appended before the call is committed (or has failed). */
  async drain(): Promise<void> {
    while (this.queue.length > 0 || this.flushing || this.syncing > 0) await new Promise((r) => setImmediate(r))
  }

  /**
   * An idle log commits in the same turn (one message at a time waits for nothing); a busy one,
   * with an fsync in flight, commits at most once per `minGapMs`, so each commit (and the fsync
   * it waits for) carries several updates. Commits and fsyncs cost the same whatever they carry:
   * at 2,000 messages/s a 4 ms gap instead of 2 ms took the server from 79 % to 72 % of its core
   * and the ack p99 from 149 to 50 ms, for ~1 ms more at the median (bench/ack.ts, 5 runs each, with a temporary switch).
   */
  private schedule(): void {
    if (this.scheduled || this.flushing) return
    this.scheduled = true
    const run = () => {
      this.scheduled = false
      void this.flush()
    }
    const wait = this.syncing > 0 ? this.lastCommitAt + this.minGapMs - performance.now() : 0
    if (wait > 0) setTimeout(run, wait)
    else setImmediate(run)
  }

  private async flush(): Promise<void> {
    if (this.flushing || this.queue.length === 0) return
    this.flushing = true
    const batch = this.queue.splice(0, this.maxBatch)
    this.lastCommitAt = performance.now()
    let ids: number[]
    try {
      ids = await appendUpdates(this.db, batch)
      this.appended += batch.length
      this.commits += 1
    } catch (error) {
      for (const entry of batch) entry.reject(error)
      return
    } finally {
      // The next batch may commit while this one waits for the disk.
      this.flushing = false
      if (this.queue.length > 0) this.schedule()
    }
    this.syncing += 1
    try {
      await this.db.sync()
      batch.forEach((entry, i) => entry.resolve(ids[i] as number))
    } catch (error) {
      for (const entry of batch) entry.reject(error)
    } finally {
      this.syncing -= 1
    }
  }
}
