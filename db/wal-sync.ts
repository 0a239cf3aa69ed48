/**
 * Group commit for SQLite in WAL mode, with the fsync off the event loop.
 *
 * better-sqlite3 is synchronous: with `synchronous = FULL` every COMMIT waits for an fsync of the
 * WAL on the event loop, and nothing is delivered or acknowledged meanwhile (at 2,000 updates/s
 * that was most of the server's time: bench/README.md). So the connection runs
 * `synchronous = NORMAL` (a commit writes its WAL frames to the OS, no fsync; still atomic, and
 * it survives kill -9) and whoever must answer "it is on disk" calls `sync()`: it resolves once an
 * fsync of the WAL file that *started after the call* has finished, so every transaction committed
 * before the call is durable against power loss too. The fsync runs on libuv's thread pool; while
 * it waits for the disk, the event loop keeps committing, and all the callers that arrive
 * meanwhile share the next fsync (PostgreSQL's WAL flush works the same way).
 *
 * Why this is sound: in WAL mode a transaction is durable once its frames, commit frame included,
 * are in the WAL file on disk: recovery replays the valid prefix of the WAL. fsync is per file,
 * not per descriptor, so our own descriptor flushes the frames SQLite wrote. SQLite itself syncs the
 * WAL before every checkpoint and the database after it (in NORMAL too), so frames that leave the
 * WAL for the database file are durable there before the WAL is reused.
 */
import fs from 'node:fs'
import path from 'node:path'

export class WalSync {
  private fd: number | null = null
  private inFlight = false
  private waiting: { resolve(): void; reject(error: unknown): void }[] = []
  /** Totals, for /metrics and benchmarks. */
  syncs = 0

  constructor(private readonly databaseFile: string) {}

  /** Resolves when everything committed before this call is on disk. */
  sync(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject })
      if (!this.inFlight) this.start()
    })
  }

  close(): void {
    if (this.fd !== null) fs.closeSync(this.fd)
    this.fd = null
  }

  private start(): void {
    const batch = this.waiting
    this.waiting = []
    this.inFlight = true
    const done = (error: unknown) => {
      this.inFlight = false
      if (error) for (const w of batch) w.reject(error)
      else { this.syncs += 1; for (const w of batch) w.resolve() }
      if (this.waiting.length > 0) this.start()
    }
    let fd: number
    try {
      fd = this.open()
    } catch (error) {
      // No WAL file yet means nothing was ever committed through it: nothing to sync.
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return done(null)
      return done(error)
    }
    // fdatasync: the WAL's contents and its size (which reading it back needs), not its timestamps.
    fs.fdatasync(fd, done)
  }

  private open(): number {
    if (this.fd !== null) return this.fd
    const wal = `${this.databaseFile}-wal`
    this.fd = fs.openSync(wal, 'r')
    // The WAL's directory entry must be durable too, once, the first time the file is seen.
    const dir = fs.openSync(path.dirname(path.resolve(wal)), 'r')
    try { fs.fsyncSync(dir) } finally { fs.closeSync(dir) }
    return this.fd
  }
}
