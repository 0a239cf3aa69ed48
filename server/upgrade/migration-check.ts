/** What `--check` prints: the migrations a start would run, or why it would refuse. Changes nothing. */
import { migrationStatus, type MigrationStatus } from '../../db/migrate.ts'
import type { Db } from '../../db/database.ts'

export interface MigrationCheck { status: MigrationStatus; ok: boolean; report: string }

export async function checkMigrations(db: Db, where: string): Promise<MigrationCheck> {
  const status = await migrationStatus(db)
  const lines = [`database: ${where}`, `applied: ${status.applied.length} migration${status.applied.length === 1 ? '' : 's'}${status.applied.length ? ` (latest ${status.applied.at(-1)})` : ''}`]
  if (status.unknown.length > 0) {
    lines.push(`refused: the database is newer than this Parley; it has migrations this version does not know: ${status.unknown.join(', ')}`, 'a start would change nothing and stop; run the newer Parley on it')
  } else if (status.pending.length > 0) {
    lines.push(`would run ${status.pending.length} migration${status.pending.length === 1 ? '' : 's'}, in this order:`, ...status.pending.map((name) => `  ${name}`))
  } else {
    lines.push('up to date: a start would run no migration')
  }
  return { status, ok: status.unknown.length === 0, report: lines.join('\n') }
}
