/**
 * The dialects a repository test runs on: SQLite always, PostgreSQL when TEST_DATABASE_URL is
 * set (CI sets it). Each database is fresh: a temporary file, or a schema of its own.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import pg from 'pg'
import { openDatabase, type Db } from './database.ts'
import { migrateToLatest } from './migrate.ts'
import { LOCK_KEYS } from './setup-lock.ts'

export interface TestDatabase { name: 'sqlite' | 'postgres'; url: string; db: Db; dispose(): Promise<void> }

export function testDialects(): ('sqlite' | 'postgres')[] {
  return process.env.TEST_DATABASE_URL ? ['sqlite', 'postgres'] : ['sqlite']
}

export async function createTestDatabase(name: 'sqlite' | 'postgres', migrate = true): Promise<TestDatabase> {
  if (name === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-db-'))
    const url = path.join(dir, 'parley.sqlite')
    const db = openDatabase(url)
    if (migrate) await migrateToLatest(db)
    return { name, url, db, dispose: async () => { await db.close(); fs.rmSync(dir, { recursive: true, force: true }) } }
  }
  const base = process.env.TEST_DATABASE_URL as string
  const schema = `t_${process.pid}_${Math.random().toString(36).slice(2, 8)}`
  const admin = new pg.Client({ connectionString: base })
  await admin.connect()
  await admin.query(`create schema ${schema}`)
  await admin.end()
  const url = `${base}${base.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`
  const db = openDatabase(url)
  if (migrate) await migrateToLatest(db)
  return {
    name, url, db,
    dispose: async () => {
      await db.close()
      const cleanup = new pg.Client({ connectionString: base })
      await cleanup.connect()
      // Under the migration lock: Kysely's migrator introspects the tables of every schema of the
      // database (pg_get_serial_sequence on each), and a schema dropped in the middle of that makes
      // another test's migration fail with "schema … does not exist".
      await cleanup.query('select pg_advisory_lock($1)', [LOCK_KEYS.migrate])
      try {
        await cleanup.query(`drop schema ${schema} cascade`)
      } finally {
        await cleanup.query('select pg_advisory_unlock($1)', [LOCK_KEYS.migrate])
        await cleanup.end()
      }
    },
  }
}
