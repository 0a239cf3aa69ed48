import { Migrator, sql, type Migration, type MigrationProvider } from 'kysely'
import type { Db } from './database.ts'
import { LOCK_KEYS, underSetupLock } from './setup-lock.ts'
import * as initial from './migrations/2026-11-26T0100-initial.ts'
import * as snoozedUntil from './migrations/2026-11-26T0300-snoozed-until.ts'

/** Migrations are listed here, in order; the name is the file name and is never changed. */
const MIGRATIONS: Record<string, Migration> = {
  '2026-11-26T0100-initial': initial,
  '2026-11-26T0300-snoozed-until': snoozedUntil,
}

const provider: MigrationProvider = { getMigrations: async () => MIGRATIONS }

/**
 * Brings the schema up to date; throws with the failing migration's name. Instances starting at
 * once on one database migrate one after the other: Kysely's own lock needs its lock table,
 * whose creation two instances race on (PostgreSQL), and is a no-op on SQLite.
 */
export async function migrateToLatest(db: Db): Promise<string[]> {
  const { error, results } = await underMigrationLock(db, (kysely, inTransaction, schema) => new Migrator({ db: kysely, provider, disableTransactions: inTransaction, ...(schema ? { migrationTableSchema: schema } : {}) }).migrateToLatest())
  const failed = results?.find((r) => r.status === 'Error')
  if (error) throw new Error(`migration ${failed?.migrationName ?? ''} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error })
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName)
}

/**
 * PostgreSQL: a session advisory lock on one held connection while the migrator runs in its own
 * transactions on the pool. SQLite: all migrations in one BEGIN IMMEDIATE transaction (DDL is
 * transactional there), so a failure leaves the schema as it was.
 */
async function underMigrationLock<T>(db: Db, run: (kysely: Db['kysely'], inTransaction: boolean, schema: string | undefined) => Promise<T>): Promise<T> {
  if (db.dialect === 'sqlite') return underSetupLock(db, LOCK_KEYS.migrate, (locked) => run(locked.kysely, true, undefined))
  return db.kysely.connection().execute(async (connection) => {
    await sql`select pg_advisory_lock(${LOCK_KEYS.migrate})`.execute(connection)
    try {
      // Kysely looks for its tables in every schema unless told which: another deployment's (or
      // test's) schema on the same server would make it skip creating its own.
      const schema = (await sql<{ schema: string }>`select current_schema() as schema`.execute(connection)).rows[0]?.schema
      return await run(db.kysely, false, schema)
    } finally {
      await sql`select pg_advisory_unlock(${LOCK_KEYS.migrate})`.execute(connection)
    }
  })
}
