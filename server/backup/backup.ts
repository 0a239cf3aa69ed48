/**
 * `npm run backup -- FILE`: one archive (gzipped tar) with the database, the attachments and a
 * manifest, made while the server runs. SQLite is copied with its online backup API in one step,
 * one read transaction: a consistent snapshot that never blocks the server's writes (WAL). On
 * PostgreSQL the database goes in as a `pg_dump --format=custom` file. The database is copied
 * before the attachments: every upload a copied message refers to was stored before that message,
 * so it is in the archive too.
 */
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import SQLite from 'better-sqlite3'
import * as tar from 'tar'
import { openDatabase } from '../../db/database.ts'
import { migrationStatus } from '../../db/migrate.ts'
import type { Config } from '../config.ts'
import { ATTACHMENTS_DIR, BackupError, MANIFEST_FILE, PG_DUMP_FILE, SQLITE_FILE, type Manifest } from './manifest.ts'

export const isPostgres = (url: string): boolean => /^postgres(ql)?:\/\//.test(url)
export const sqliteFileOf = (url: string): string => path.resolve(url.replace(/^sqlite:(\/\/)?/, ''))

export async function createBackup(config: Config, file: string): Promise<Manifest> {
  const target = path.resolve(file)
  if (fs.existsSync(target)) throw new BackupError(`${target} exists already; a backup never overwrites a file (choose a new name)`)
  if (!fs.existsSync(path.dirname(target))) throw new BackupError(`the folder ${path.dirname(target)} does not exist`)
  const work = fs.mkdtempSync(path.join(path.dirname(target), '.parley-backup-'))
  const partial = `${target}.partial`
  try {
    const postgres = isPostgres(config.databaseUrl)
    const counts = postgres ? await dumpPostgres(config.databaseUrl, path.join(work, PG_DUMP_FILE)) : await copySqlite(sqliteFileOf(config.databaseUrl), path.join(work, SQLITE_FILE))
    const attachments = copyTree(path.join(config.dataDir, ATTACHMENTS_DIR), path.join(work, ATTACHMENTS_DIR))
    const manifest: Manifest = {
      format: 'parley-backup', formatVersion: 1, createdAt: new Date().toISOString(), dialect: postgres ? 'postgres' : 'sqlite',
      migrations: counts.migrations, schemaVersion: counts.migrations.at(-1) ?? null, attachments, conversations: counts.conversations, messages: counts.messages,
    }
    fs.writeFileSync(path.join(work, MANIFEST_FILE), JSON.stringify(manifest, null, 2) + '\n')
    // The manifest first, so `tar -tzf` and a restore read it before anything large.
    await tar.c({ gzip: true, file: partial, cwd: work, portable: true }, [MANIFEST_FILE, postgres ? PG_DUMP_FILE : SQLITE_FILE, ATTACHMENTS_DIR])
    const handle = fs.openSync(partial, 'r+')
    fs.fsyncSync(handle)
    fs.closeSync(handle)
    fs.renameSync(partial, target)
    return manifest
  } finally {
    fs.rmSync(work, { recursive: true, force: true })
    fs.rmSync(partial, { force: true })
  }
}

interface Counts { migrations: string[]; conversations: number; messages: number }

async function copySqlite(source: string, copy: string): Promise<Counts> {
  if (!fs.existsSync(source)) throw new BackupError(`no database at ${source} (set DATA_DIR or DATABASE_URL as the server has them)`)
  const live = new SQLite(source, { fileMustExist: true })
  try {
    live.pragma('busy_timeout = 5000')
    // All remaining pages in one step: a step that another connection's write interrupts starts
    // over, so small steps under constant writes might never finish.
    await live.backup(copy, { progress: () => 0x7fffffff })
  } finally {
    live.close()
  }
  const db = new SQLite(copy)
  try {
    // One self-contained file (no -wal beside it); the server turns WAL back on when it opens it.
    db.pragma('journal_mode = DELETE')
    const integrity = db.pragma('integrity_check', { simple: true })
    if (integrity !== 'ok') throw new BackupError(`the copied database failed its integrity check: ${String(integrity)}`)
    const hasTable = (name: string) => db.prepare("select 1 from sqlite_master where type = 'table' and name = ?").get(name) !== undefined
    const migrations = hasTable('kysely_migration') ? (db.prepare('select name from kysely_migration order by name').all() as { name: string }[]).map((r) => r.name) : []
    const count = (table: string) => (hasTable(table) ? (db.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n : 0)
    return { migrations, conversations: count('conversations'), messages: count('messages') }
  } finally {
    db.close()
  }
}

async function dumpPostgres(url: string, out: string): Promise<Counts> {
  const db = openDatabase(url)
  let counts: Counts
  try {
    const status = await migrationStatus(db)
    const count = async (table: 'conversations' | 'messages') => Number((await db.kysely.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n)
    counts = { migrations: [...status.applied, ...status.unknown], conversations: await count('conversations'), messages: await count('messages') }
  } finally {
    await db.close()
  }
  // pg_dump takes its own consistent snapshot (one repeatable-read transaction).
  await run('pg_dump', ['--format=custom', '--no-owner', '--file', out, '--dbname', url])
  return counts
}

export function run(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'inherit', 'pipe'] })
    let stderr = ''
    child.stderr.on('data', (chunk) => { stderr += chunk })
    child.on('error', (error) => reject(new BackupError(`${command} could not be started (${(error as NodeJS.ErrnoException).code === 'ENOENT' ? `install the PostgreSQL client tools so ${command} is on PATH` : error.message})`)))
    child.on('close', (code) => code === 0 ? resolve() : reject(new BackupError(`${command} failed (exit ${code}): ${stderr.trim()}`)))
  })
}

/**
 * Copies the attachment files (hard links where the file system allows: stored files are
 * never changed, only replaced by rename); a half-written upload (`.tmp`) is left out. Returns
 * how many attachments (descriptions) it copied.
 */
function copyTree(from: string, to: string): number {
  let attachments = 0
  fs.mkdirSync(to, { recursive: true })
  if (!fs.existsSync(from)) return 0
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    const source = path.join(from, entry.name)
    const dest = path.join(to, entry.name)
    if (entry.isDirectory()) { attachments += copyTree(source, dest); continue }
    if (!entry.isFile() || entry.name.endsWith('.tmp')) continue
    try {
      fs.linkSync(source, dest)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue // deleted by housekeeping meanwhile
      fs.copyFileSync(source, dest)
    }
    if (entry.name.endsWith('.json')) attachments += 1
  }
  return attachments
}
