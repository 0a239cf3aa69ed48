import { DEFAULT_MIGRATION_TABLE, Migrator, sql, type Migration, type MigrationProvider } from 'kysely'
import type { Db } from './database.ts'
import { LOCK_KEYS, underSetupLock } from './setup-lock.ts'
import * as initial from './migrations/2026-11-26T0100-initial.ts'
import * as snoozedUntil from './migrations/2026-11-26T0300-snoozed-until.ts'
import * as conversationEvents from './migrations/2026-12-01T1200-conversation-events.ts'
import * as routing from './migrations/2026-12-02T0100-routing.ts'
import * as contacts from './migrations/2026-12-02T0200-contacts.ts'
import * as privacy from './migrations/2026-12-02T0300-privacy.ts'
import * as accountsAndEmail from './migrations/2026-12-02T0400-accounts-and-email.ts'
import * as apiKeys from './migrations/2026-12-02T0500-api-keys.ts'
import * as webhooks from './migrations/2026-12-02T0501-webhooks.ts'
import * as apiActions from './migrations/2026-12-02T0502-api-actions.ts'
import * as articleSource from './migrations/2026-12-02T0700-article-source.ts'
import * as inboxGeneration from './migrations/2026-12-02T0800-inbox-generation.ts'
import * as webhookSecretRotation from './migrations/2026-12-02T0840-webhook-secret-rotation.ts'
import * as slaCycles from './migrations/2026-12-02T0900-sla-cycles.ts'
import * as reportSla from './migrations/2026-12-02T0910-report-sla.ts'
import * as slaWarningsAndSignup from './migrations/2026-12-02T0920-sla-warnings-and-signup.ts'
import * as retention from './migrations/2026-12-02T0930-retention.ts'

/** Migrations are listed here, in order; the name is the file name and is never changed. */
const MIGRATIONS: Record<string, Migration> = {
  '2026-11-26T0100-initial': initial,
  '2026-11-26T0300-snoozed-until': snoozedUntil,
  '2026-12-01T1200-conversation-events': conversationEvents,
  '2026-12-02T0100-routing': routing,
  '2026-12-02T0200-contacts': contacts,
  '2026-12-02T0300-privacy': privacy,
  '2026-12-02T0400-accounts-and-email': accountsAndEmail,
  '2026-12-02T0500-api-keys': apiKeys,
  '2026-12-02T0501-webhooks': webhooks,
  '2026-12-02T0502-api-actions': apiActions,
  '2026-12-02T0700-article-source': articleSource,
  '2026-12-02T0800-inbox-generation': inboxGeneration,
  '2026-12-02T0840-webhook-secret-rotation': webhookSecretRotation,
  '2026-12-02T0900-sla-cycles': slaCycles,
  '2026-12-02T0910-report-sla': reportSla,
  '2026-12-02T0920-sla-warnings-and-signup': slaWarningsAndSignup,
  '2026-12-02T0930-retention': retention,
}

/** The migrations this build knows, in order. */
export const knownMigrations = (): string[] => Object.keys(MIGRATIONS)

const provider: MigrationProvider = { getMigrations: async () => MIGRATIONS }

/** The database was migrated by a newer Parley: this one must not run on it. */
export class DatabaseNewerError extends Error {
  constructor(readonly unknown: string[]) {
    super(`the database was upgraded by a newer Parley: it has ${unknown.length === 1 ? 'a migration' : 'migrations'} this version does not know (${unknown.join(', ')}). `
      + 'Nothing was changed. Run the newer Parley on it, or restore a backup made before the upgrade into a new data folder.')
    this.name = 'DatabaseNewerError'
  }
}

/**
 * Brings the schema up to date; throws with the failing migration's name. A database that has
 * migrations this build does not know is refused untouched (an older server would misread it).
 * Instances starting at once on one database migrate one after the other: Kysely's own lock
 * needs its lock table, whose creation two instances race on (PostgreSQL), and is a no-op on SQLite.
 */
export async function migrateToLatest(db: Db): Promise<string[]> {
  const { unknown } = await migrationStatus(db)
  if (unknown.length > 0) throw new DatabaseNewerError(unknown)
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

export interface MigrationStatus {
  /** Known migrations the database has. */
  applied: string[]
  /** Known migrations the database does not have yet: what `migrateToLatest` would run, in order. */
  pending: string[]
  /** Migrations the database has that this build does not know: it was written by a newer Parley. */
  unknown: string[]
}

/** Reads what the database has run against what this build knows, without changing anything. */
export async function migrationStatus(db: Db): Promise<MigrationStatus> {
  const executed = await sql<{ name: string }>`select name from ${sql.table(DEFAULT_MIGRATION_TABLE)}`.execute(db.kysely)
    .then((result) => result.rows.map((row) => row.name), (error) => {
      // A database never migrated has no migration table yet; any other failure is real.
      if (/no such table|does not exist/i.test(String((error as Error).message))) return [] as string[]
      throw error
    })
  const done = new Set(executed)
  const known = Object.keys(MIGRATIONS)
  return {
    applied: known.filter((name) => done.has(name)),
    pending: known.filter((name) => !done.has(name)),
    unknown: executed.filter((name) => !(name in MIGRATIONS)).sort(),
  }
}
