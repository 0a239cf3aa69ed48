/** What a backup archive says about itself: read first by a restore, and by people. */
import { knownMigrations } from '../../db/migrate.ts'

export const MANIFEST_FILE = 'manifest.json'
export const SQLITE_FILE = 'parley.sqlite'
export const PG_DUMP_FILE = 'database.pgdump'
export const ATTACHMENTS_DIR = 'attachments'

export interface Manifest {
  format: 'parley-backup'
  formatVersion: 1
  createdAt: string
  dialect: 'sqlite' | 'postgres'
  /** The schema version: every migration the database had, in order; the last one names it. */
  migrations: string[]
  schemaVersion: string | null
  attachments: number
  conversations: number
  messages: number
}

export class BackupError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'BackupError'
  }
}

/** Checks a manifest read from an archive: a Parley backup this build can restore. */
export function checkManifest(value: unknown): Manifest {
  const m = value as Partial<Manifest> | null
  if (!m || m.format !== 'parley-backup') throw new BackupError('not a Parley backup (its manifest.json is missing or names another format)')
  if (m.formatVersion !== 1) throw new BackupError(`backup format ${String(m.formatVersion)} is not one this Parley reads (it reads 1); restore it with the Parley that made it`)
  if (m.dialect !== 'sqlite' && m.dialect !== 'postgres') throw new BackupError(`the backup names an unknown database kind: ${String(m.dialect)}`)
  if (!Array.isArray(m.migrations) || m.migrations.some((name) => typeof name !== 'string')) throw new BackupError('the backup manifest has no list of migrations')
  const known = new Set(knownMigrations())
  const newer = m.migrations.filter((name) => !known.has(name))
  if (newer.length > 0) throw new BackupError(`the backup was made by a newer Parley (its database has migrations this one does not know: ${newer.join(', ')}); upgrade Parley first, then restore`)
  return m as Manifest
}
