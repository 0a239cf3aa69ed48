import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { Migrator, sql } from 'kysely'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { openDatabase } from '../../db/database.ts'
import { DatabaseNewerError, knownMigrations, migrateToLatest, migrationStatus } from '../../db/migrate.ts'
import * as initial from '../../db/migrations/2026-11-26T0100-initial.ts'
import { startServer } from '../app.ts'
import { loadConfig } from '../config.ts'

const ROOT = path.resolve(import.meta.dirname, '../..')
const FUTURE = '2099-01-01T0000-from-a-newer-parley'

function run(args: string[], dataDir: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const env: Record<string, string | undefined> = { ...process.env, DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info' }
    delete env.DATABASE_URL
    const child = spawn(args[0] as string, args.slice(1), { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.on('data', (d) => (output += d))
    child.stderr.on('data', (d) => (output += d))
    // A server that started instead of refusing would never exit: stop it, and the test fails on the code.
    const guard = setTimeout(() => child.kill('SIGKILL'), 60_000)
    child.on('close', (code) => { clearTimeout(guard); resolve({ code: code ?? -1, output }) })
  })
}
const check = (dataDir: string) => run(['npm', 'run', '--silent', 'migrate', '--', '--check'], dataDir)

test('--check says what a start would run and changes nothing', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-upgrade-'))
  try {
    const fresh = await check(dataDir)
    assert.is(fresh.code, 0, fresh.output)
    assert.match(fresh.output, new RegExp(`no database yet: a start would create it and run ${knownMigrations().length} migrations`))
    assert.not.ok(fs.existsSync(path.join(dataDir, 'parley.sqlite')), 'the check created no database')

    // A database one migration behind, as an older Parley left it.
    const db = openDatabase(path.join(dataDir, 'parley.sqlite'))
    await new Migrator({ db: db.kysely, provider: { getMigrations: async () => ({ '2026-11-26T0100-initial': initial }) } }).migrateToLatest()
    await db.close()
    const behind = await check(dataDir)
    assert.is(behind.code, 0, behind.output)
    const later = knownMigrations().slice(1)
    assert.match(behind.output, new RegExp(`would run ${later.length} migrations?, in this order:\\n {2}${later.join('\\n {2}')}`))
    const after = openDatabase(path.join(dataDir, 'parley.sqlite'))
    assert.equal((await migrationStatus(after)).pending, later, 'still pending after the check')
    await migrateToLatest(after)
    await after.close()
    const current = await check(dataDir)
    assert.match(current.output, /up to date: a start would run no migration/)
  } finally { fs.rmSync(dataDir, { recursive: true, force: true }) }
})

test('a database from a newer Parley: the server refuses to start with a clear message and changes nothing', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-upgrade-'))
  try {
    const db = openDatabase(path.join(dataDir, 'parley.sqlite'))
    await migrateToLatest(db)
    await sql`insert into kysely_migration (name, timestamp) values (${FUTURE}, ${new Date().toISOString()})`.execute(db.kysely)
    const before = await migrationStatus(db)
    await db.close()

    const checked = await check(dataDir)
    assert.is(checked.code, 1, checked.output)
    assert.match(checked.output, new RegExp(`newer than this Parley.*${FUTURE}`))

    const started = await run([process.execPath, '--import', 'tsx', 'server/main.ts'], dataDir)
    assert.is(started.code, 1, started.output)
    assert.match(started.output, new RegExp(`the database was upgraded by a newer Parley: it has a migration this version does not know \\(${FUTURE}\\)`))
    assert.not.match(started.output, /parley listening|\n\s+at /, 'no server, no stack trace')

    await startServer(loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'silent' })).then(
      () => assert.unreachable('started on a newer database'), (error) => assert.instance(error, DatabaseNewerError))
    const again = openDatabase(path.join(dataDir, 'parley.sqlite'))
    assert.equal(await migrationStatus(again), before)
    await again.close()
  } finally { fs.rmSync(dataDir, { recursive: true, force: true }) }
})

test.run()
