import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { spawnSync } from 'node:child_process'
import SQLite from 'better-sqlite3'
import { sql } from 'kysely'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { openDatabase } from './database.ts'
import { createTestDatabase } from './test-databases.ts'
import { WalSync } from './wal-sync.ts'

function tempFile(): { file: string; dispose(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-db-'))
  return { file: path.join(dir, 'parley.db'), dispose: () => fs.rmSync(dir, { recursive: true, force: true }) }
}

test('sqlite: commits do not fsync on the event loop; sync() does, once for every caller waiting at the time', async () => {
  const t = tempFile()
  const sqlite = new SQLite(t.file)
  try {
    sqlite.pragma('journal_mode = WAL')
    sqlite.pragma('synchronous = NORMAL')
    sqlite.exec('create table t (v integer)')
    const wal = new WalSync(t.file)
    sqlite.prepare('insert into t values (1)').run()
    const order: string[] = []
    // a starts an fsync; b and c arrive while it runs, so they must wait for a second one
    // (the first may have started before their commits) and share it.
    const a = wal.sync().then(() => order.push(`a after ${wal.syncs}`))
    sqlite.prepare('insert into t values (2)').run()
    const b = wal.sync().then(() => order.push(`b after ${wal.syncs}`))
    const c = wal.sync().then(() => order.push(`c after ${wal.syncs}`))
    await Promise.all([a, b, c])
    assert.equal(order, ['a after 1', 'b after 2', 'c after 2'])
    wal.close()
  } finally { sqlite.close(); t.dispose() }
})

test('sqlite: a database with no WAL yet syncs at once', async () => {
  const t = tempFile()
  try {
    const wal = new WalSync(t.file)
    await wal.sync()
    assert.is(wal.syncs, 1)
    wal.close()
  } finally { t.dispose() }
})

test('sqlite: a committed row survives kill -9 of the process that wrote it', async () => {
  const t = tempFile()
  try {
    const db = openDatabase(t.file)
    await sql`create table t (v text)`.execute(db.kysely)
    await db.close()
    // The child commits, syncs, prints "synced", then dies without closing anything.
    const script = `
      import { openDatabase } from ${JSON.stringify(new URL('./database.ts', import.meta.url).href)}
      import { sql } from 'kysely'
      const db = openDatabase(${JSON.stringify(t.file)})
      await sql\`insert into t values ('kept')\`.execute(db.kysely)
      await db.sync()
      process.stdout.write('synced')
      process.kill(process.pid, 'SIGKILL')`
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: process.cwd(), encoding: 'utf8' })
    assert.is(child.stdout, 'synced')
    assert.is(child.signal, 'SIGKILL')
    const reopened = openDatabase(t.file)
    const rows = await sql<{ v: string }>`select v from t`.execute(reopened.kysely)
    assert.equal(rows.rows.map((r) => r.v), ['kept'])
    await reopened.close()
  } finally { t.dispose() }
})

test('sqlite: the WAL is copied into the database file in the background, not inside a commit', async () => {
  const t = tempFile()
  const db = openDatabase(t.file)
  try {
    // The server's connection never checkpoints inside a commit (SQLite's default, at 1,000 pages).
    const { rows } = await sql<{ wal_autocheckpoint: number }>`pragma wal_autocheckpoint`.execute(db.kysely)
    assert.is(rows[0]?.wal_autocheckpoint, 0)
    await sql`create table t (v text)`.execute(db.kysely)
    const before = fs.statSync(t.file).size
    // ~4 MB of WAL, then no more writes: only the background checkpointer can copy it over.
    await db.kysely.transaction().execute(async (trx) => {
      for (let i = 0; i < 1000; i++) await sql`insert into t values (${'x'.repeat(4000)})`.execute(trx)
    })
    const deadline = Date.now() + 5000
    while (fs.statSync(t.file).size === before && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100))
    assert.ok(fs.statSync(t.file).size > before + 3_000_000, 'the checkpointer copied the pages into the database file')
  } finally { await db.close(); t.dispose() }
})

test('sqlite: a statement reused from the cache while another use of it is still streaming', async () => {
  const t = tempFile()
  const db = openDatabase(t.file)
  try {
    await sql`create table t (v integer)`.execute(db.kysely)
    for (let i = 0; i < 5; i++) await sql`insert into t values (${i})`.execute(db.kysely)
    const query = db.kysely.selectFrom('t' as never).select(sql<number>`v`.as('v'))
    const seen: number[] = []
    // Streaming holds the connection, so the inner query runs after it; both must see all rows.
    for await (const row of query.stream()) seen.push((row as { v: number }).v)
    const again = await query.execute()
    assert.equal(seen, [0, 1, 2, 3, 4])
    assert.is(again.length, 5)
    const one = await query.where(sql`v`, '=', 3).execute()
    assert.equal(one, [{ v: 3 }])
  } finally { await db.close(); t.dispose() }
})

if (process.env.TEST_DATABASE_URL) {
  test('postgres: a fresh schema migrates while another schema of the same database already holds migrated tables', async () => {
    // Two installs (or two test files at once) on one PostgreSQL database, each in its own schema.
    const first = await createTestDatabase('postgres')
    try {
      const second = await createTestDatabase('postgres')
      try {
        const tables = await sql<{ n: number }>`select count(*)::int as n from information_schema.tables where table_schema = current_schema() and table_name in ('kysely_migration', 'sessions')`.execute(second.db.kysely)
        assert.is(tables.rows[0]?.n, 2, 'the second schema has its own bookkeeping and tables')
      } finally { await second.dispose() }
    } finally { await first.dispose() }
  })
}

test.run()
