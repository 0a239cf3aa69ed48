import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { createTestDatabase } from '../../db/test-databases.ts'
import { migrateToLatest } from '../../db/migrate.ts'
import { startServer } from '../app.ts'
import { bootstrapFirstRun } from '../bootstrap.ts'
import { loadConfig } from '../config.ts'
import { Readiness } from './readiness.ts'

test('/ready is 503 until first-start setup finished, then 200 once sign-in works; /health is 200 throughout', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-ready-'))
  const server = await startServer(loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'silent' }))
  try {
    const before = await fetch(server.url + '/ready')
    assert.is(before.status, 503)
    assert.equal(await before.json(), { ready: false, database: 'ok', migrations: 'ok', firstStart: 'pending', redis: 'not-configured' })
    assert.is((await fetch(server.url + '/health')).status, 200)

    await bootstrapFirstRun(server.services.db, { email: 'owner@example.com', password: 'correct horse battery' })
    const signIn = await fetch(server.url + '/api/auth/sign-in', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'owner@example.com', password: 'correct horse battery' }) })
    assert.is(signIn.status, 200)
    const after = await fetch(server.url + '/ready')
    assert.is(after.status, 200)
    assert.equal(await after.json(), { ready: true, database: 'ok', migrations: 'ok', firstStart: 'done', redis: 'not-configured' })
  } finally {
    await server.close()
    fs.rmSync(dataDir, { recursive: true, force: true })
  }
})

test('not ready while migrations are pending, while the database is down, or while a configured Redis is down', async () => {
  const database = await createTestDatabase('sqlite', false)
  let redis: 'ok' | 'down' = 'ok'
  const readiness = new Readiness({ db: database.db, redisStatus: async () => redis })
  try {
    assert.equal(await readiness.check(), { ready: false, database: 'ok', migrations: 'pending', firstStart: 'unknown', redis: 'ok' })
    await migrateToLatest(database.db)
    await bootstrapFirstRun(database.db, { email: 'owner@example.com', password: 'correct horse battery' })
    assert.is((await readiness.check()).ready, true)
    redis = 'down'
    assert.equal(await readiness.check(), { ready: false, database: 'ok', migrations: 'ok', firstStart: 'done', redis: 'down' })
    redis = 'ok'
    await database.db.close()
    const closed = await readiness.check()
    assert.is(closed.ready, false)
    assert.is(closed.database, 'down')
  } finally {
    await database.dispose().catch(() => {})
  }
})

test.run()
