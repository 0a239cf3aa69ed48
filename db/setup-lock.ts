/**
 * One instance at a time for start-up work (migrations, first-run setup) when several instances
 * start at once on one database: a PostgreSQL advisory lock, or SQLite's write lock.
 */
import { sql, type Kysely } from 'kysely'
import type { Db } from './database.ts'
import type { Database } from './tables.ts'

/** Fixed advisory-lock keys (any 64-bit numbers; "parley" + a digit). */
export const LOCK_KEYS = { migrate: 0x7061726c657931, firstRun: 0x7061726c657932 } as const

/**
 * Runs `work` under the lock, in one transaction: on PostgreSQL a transaction that first takes
 * the advisory lock `key` (a second instance blocks there, then sees the first one's rows); on
 * SQLite a BEGIN IMMEDIATE transaction on the connection `work` is given.
 */
export async function underSetupLock<T>(db: Db, key: number, work: (locked: Db) => Promise<T>): Promise<T> {
  if (db.dialect === 'postgres') {
    return db.kysely.transaction().execute(async (trx) => {
      await sql`select pg_advisory_xact_lock(${key})`.execute(trx)
      return work({ ...db, kysely: trx })
    })
  }
  return db.kysely.connection().execute(async (connection) => {
    await beginImmediate(connection)
    try {
      const result = await work({ ...db, kysely: connection })
      await sql`commit`.execute(connection)
      return result
    } catch (error) {
      await sql`rollback`.execute(connection).catch(() => {})
      throw error
    }
  })
}

/**
 * BEGIN IMMEDIATE takes SQLite's write lock at once (a deferred BEGIN that reads and then writes
 * fails when another connection wrote in between). It is tried without SQLite's busy wait,
 * which blocks the event loop: a second instance in the same process could then never let the
 * first one finish. The wait between tries yields instead.
 */
async function beginImmediate(connection: Kysely<Database>, timeoutMs = 60_000): Promise<void> {
  const previous = Number((await sql<{ timeout: number }>`pragma busy_timeout`.execute(connection)).rows[0]?.timeout ?? 5000)
  await sql.raw('pragma busy_timeout = 0').execute(connection)
  try {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      try {
        await sql`begin immediate`.execute(connection)
        return
      } catch (error) {
        if ((error as { code?: string }).code !== 'SQLITE_BUSY' || Date.now() > deadline) throw error
        await new Promise((resolve) => setTimeout(resolve, 20))
      }
    }
  } finally {
    await sql.raw(`pragma busy_timeout = ${previous}`).execute(connection)
  }
}
