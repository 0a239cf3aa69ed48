/**
 * The Kysely connection: SQLite through better-sqlite3 by default, PostgreSQL when the URL says
 * postgres://. On SQLite the WAL is synced off the event loop (`sync()`, db/wal-sync.ts): a write
 * is on disk against power loss once `sync()` after it resolves, and survives kill -9 as soon as
 * it commits. On PostgreSQL a commit is already durable, so `sync()` has nothing to wait for.
 */
import fs from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { Worker } from 'node:worker_threads'
import SQLite from 'better-sqlite3'
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely'
import type pg from 'pg'
import type { Database } from './tables.ts'
import { WalSync } from './wal-sync.ts'

export type Dialect = 'sqlite' | 'postgres'

export interface Db {
  kysely: Kysely<Database>
  dialect: Dialect
  /** Resolves once every transaction committed before the call is durable on disk. */
  sync(): Promise<void>
  /** fsyncs of the WAL so far (SQLite), for /metrics. */
  syncs(): number
  close(): Promise<void>
}

/** The PostgreSQL driver, loaded only when a postgres:// URL is opened (a SQLite desk never carries it). */
function loadPg(): typeof pg {
  const driver = createRequire(import.meta.url)('pg') as typeof pg
  // PostgreSQL returns int8 as strings; every bigint here is a millisecond timestamp or a row id well under 2^53.
  driver.types.setTypeParser(20, (value) => Number(value))
  return driver
}

export function openDatabase(url: string): Db {
  if (/^postgres(ql)?:\/\//.test(url)) {
    const pool = new (loadPg().Pool)({ connectionString: url, max: 10 })
    const kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) })
    return { kysely, dialect: 'postgres', sync: () => Promise.resolve(), syncs: () => 0, close: () => kysely.destroy() }
  }
  const file = url.replace(/^sqlite:(\/\/)?/, '')
  const onDisk = file !== ':memory:'
  if (onDisk) fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true })
  const sqlite = new SQLite(file)
  sqlite.pragma('journal_mode = WAL')
  // Commits do not fsync on the event loop; sync() does it on the thread pool for those who wait.
  sqlite.pragma(onDisk ? 'synchronous = NORMAL' : 'synchronous = FULL')
  sqlite.pragma('foreign_keys = ON')
  sqlite.pragma('busy_timeout = 5000')
  // Deleted rows are zeroed, not just unlinked: a GDPR erase (issue 13) must leave no byte of the
  // erased text in the file, and without it every snapshot replaced and log row compacted away
  // stays readable in free space until the page is reused.
  sqlite.pragma('secure_delete = ON')
  // 64 MiB of page cache (the default is 2 MiB): the log's and the messages' indexes stay in memory.
  sqlite.pragma('cache_size = -65536')
  const wal = onDisk ? new WalSync(path.resolve(file)) : null
  const checkpointer = onDisk ? startCheckpointer(sqlite, path.resolve(file)) : null
  const kysely = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) })
  return {
    kysely,
    dialect: 'sqlite',
    sync: () => wal?.sync() ?? Promise.resolve(),
    syncs: () => wal?.syncs ?? 0,
    close: async () => {
      await checkpointer?.stop()
      await kysely.destroy()
      wal?.close()
    },
  }
}

/**
 * SQLite checkpoints the WAL (copies it into the database file, fsyncing both) inside whichever
 * COMMIT crosses 1,000 pages: on the event loop, a stall of 10–200 ms under load (bench/ack.ts).
 * The server's connection never checkpoints; a worker thread with its own connection does, every
 * second, in PASSIVE mode (it never blocks the server's reads or writes). If the worker cannot
 * start, SQLite's automatic checkpoint stays on.
 */
function startCheckpointer(sqlite: SQLite.Database, file: string, intervalMs = 1000): { stop(): Promise<void> } | null {
  let worker: Worker
  try {
    worker = new Worker(new URL('./checkpoint-worker.mjs', import.meta.url), { workerData: { file, intervalMs }, execArgv: [] })
  } catch {
    return null
  }
  sqlite.pragma('wal_autocheckpoint = 0')
  worker.unref()
  worker.on('error', () => sqlite.open && sqlite.pragma('wal_autocheckpoint = 1000'))
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()))
  return {
    async stop() {
      worker.ref()
      worker.postMessage('stop')
      let timer: NodeJS.Timeout | undefined
      await Promise.race([exited, new Promise((resolve) => { timer = setTimeout(resolve, 2000) })])
      clearTimeout(timer)
      await worker.terminate()
    },
  }
}

/**
 * Kysely prepares every statement anew; better-sqlite3 statements are reusable, and preparing
 * was 4–5 % of the server's time under load. Keeps the most recently used ones; a statement still
 * being iterated (a streamed query) is never handed out twice.
 */
function withStatementCache(sqlite: SQLite.Database, capacity = 200): { prepare(sql: string): SQLite.Statement; close(): void } {
  const cache = new Map<string, SQLite.Statement>()
  return {
    prepare(sql: string) {
      const cached = cache.get(sql)
      if (cached && !cached.busy) {
        cache.delete(sql)
        cache.set(sql, cached)
        return cached
      }
      const statement = sqlite.prepare(sql)
      cache.set(sql, statement)
      if (cache.size > capacity) cache.delete(cache.keys().next().value as string)
      return statement
    },
    close: () => { cache.clear(); sqlite.close() },
  }
}
