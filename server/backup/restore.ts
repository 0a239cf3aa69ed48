/**
 * `npm run restore -- FILE`: a backup into an empty data folder (DATA_DIR), never over data.
 * The archive is unpacked into a folder inside DATA_DIR, checked (manifest, migrations this
 * build knows, SQLite integrity), and only then moved into place; on any failure DATA_DIR is
 * left as empty as it was. A PostgreSQL backup is restored with pg_restore into the database
 * DATABASE_URL names, which must be empty.
 */
import fs from 'node:fs'
import path from 'node:path'
import SQLite from 'better-sqlite3'
import * as tar from 'tar'
import { openDatabase } from '../../db/database.ts'
import { migrationStatus } from '../../db/migrate.ts'
import type { Config } from '../config.ts'
import { isPostgres, run, sqliteFileOf } from './backup.ts'
import { ATTACHMENTS_DIR, BackupError, MANIFEST_FILE, PG_DUMP_FILE, SQLITE_FILE, checkManifest, type Manifest } from './manifest.ts'

export async function restoreBackup(config: Config, file: string): Promise<Manifest> {
  const archive = path.resolve(file)
  if (!fs.existsSync(archive)) throw new BackupError(`no backup at ${archive}`)
  const dataDir = config.dataDir
  const present = fs.existsSync(dataDir) ? fs.readdirSync(dataDir) : []
  if (present.length > 0) throw new BackupError(`${dataDir} is not empty (${present.slice(0, 5).join(', ')}${present.length > 5 ? ', …' : ''}); restore into an empty folder (set DATA_DIR)`)
  const postgres = isPostgres(config.databaseUrl)
  const sqliteTarget = postgres ? null : sqliteFileOf(config.databaseUrl)
  if (sqliteTarget && fs.existsSync(sqliteTarget)) throw new BackupError(`a database exists at ${sqliteTarget}; restore never overwrites one`)

  fs.mkdirSync(dataDir, { recursive: true })
  const work = fs.mkdtempSync(path.join(dataDir, '.restore-'))
  let placed: string[] = []
  try {
    // node-tar refuses entries that would land outside `cwd` (absolute paths, `..`).
    await tar.x({ file: archive, cwd: work, strict: true }).catch((error: Error) => {
      throw new BackupError(`${archive} is not a readable backup archive (${error.message})`)
    })
    const manifestPath = path.join(work, MANIFEST_FILE)
    if (!fs.existsSync(manifestPath)) throw new BackupError('not a Parley backup (no manifest.json in the archive)')
    const manifest = checkManifest(JSON.parse(fs.readFileSync(manifestPath, 'utf8')))
    if (manifest.dialect === 'sqlite' && postgres) throw new BackupError('this is a SQLite backup but DATABASE_URL names PostgreSQL; unset DATABASE_URL to restore it as SQLite')
    if (manifest.dialect === 'postgres' && !postgres) throw new BackupError('this is a PostgreSQL backup; set DATABASE_URL to the (empty) PostgreSQL database to restore it into')

    if (sqliteTarget) {
      const copy = path.join(work, SQLITE_FILE)
      checkSqlite(copy)
      fs.mkdirSync(path.dirname(sqliteTarget), { recursive: true })
      moveInto(copy, sqliteTarget)
      placed.push(sqliteTarget)
    } else {
      await restorePostgres(config.databaseUrl, path.join(work, PG_DUMP_FILE))
    }
    const attachments = path.join(work, ATTACHMENTS_DIR)
    const attachmentsTarget = path.join(dataDir, ATTACHMENTS_DIR)
    if (fs.existsSync(attachments)) { moveInto(attachments, attachmentsTarget); placed.push(attachmentsTarget) }
    placed = []
    return manifest
  } finally {
    fs.rmSync(work, { recursive: true, force: true })
    // A failure after something was placed takes it back out: the folder stays empty, not half restored.
    for (const done of placed) fs.rmSync(done, { recursive: true, force: true })
  }
}

function checkSqlite(file: string): void {
  if (!fs.existsSync(file)) throw new BackupError(`the archive has no ${SQLITE_FILE}`)
  const db = new SQLite(file, { fileMustExist: true })
  try {
    const integrity = db.pragma('integrity_check', { simple: true })
    if (integrity !== 'ok') throw new BackupError(`the database in the backup failed its integrity check: ${String(integrity)}`)
  } finally {
    db.close()
  }
}

async function restorePostgres(url: string, dump: string): Promise<void> {
  if (!fs.existsSync(dump)) throw new BackupError(`the archive has no ${PG_DUMP_FILE}`)
  const db = openDatabase(url)
  try {
    const status = await migrationStatus(db)
    if (status.applied.length + status.unknown.length > 0) throw new BackupError('the PostgreSQL database DATABASE_URL names is not empty (it has Parley tables); restore into a new, empty database')
  } finally {
    await db.close()
  }
  await run('pg_restore', ['--no-owner', '--exit-on-error', '--single-transaction', '--dbname', url, dump])
}

/** Rename within one file system; copy and remove across two. */
function moveInto(from: string, to: string): void {
  try {
    fs.renameSync(from, to)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error
    fs.cpSync(from, to, { recursive: true })
    fs.rmSync(from, { recursive: true, force: true })
  }
}
