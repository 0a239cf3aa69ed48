import { Migrator, sql, type Migration, type MigrationProvider } from 'kysely'
import type { Db } from './database.ts'
import * as initial from './migrations/2026-11-26T0100-initial.ts'
import * as snoozedUntil from './migrations/2026-11-26T0300-snoozed-until.ts'
import * as conversationEvents from './migrations/2026-12-01T1200-conversation-events.ts'

/** Migrations are listed here, in order; the name is the file name and is never changed. */
const MIGRATIONS: Record<string, Migration> = {
  '2026-11-26T0100-initial': initial,
  '2026-11-26T0300-snoozed-until': snoozedUntil,
  '2026-12-01T1200-conversation-events': conversationEvents,
}

const provider: MigrationProvider = { getMigrations: async () => MIGRATIONS }

/** Brings the schema up to date; throws with the failing migration's name. */
export async function migrateToLatest(db: Db): Promise<string[]> {
  // On PostgreSQL, Kysely looks for its migration tables in every schema unless told which: a
  // kysely_migration_lock in another schema of the same database (another install, or a test's)
  // made it skip creating its own and fail. The tables live in the connection's current schema.
  const schema = db.dialect === 'postgres' ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(db.kysely)).rows[0]?.schema : undefined
  const migrator = new Migrator({ db: db.kysely, provider, ...(schema ? { migrationTableSchema: schema } : {}) })
  const { error, results } = await migrator.migrateToLatest()
  const failed = results?.find((r) => r.status === 'Error')
  if (error) throw new Error(`migration ${failed?.migrationName ?? ''} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error })
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName)
}
