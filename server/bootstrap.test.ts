/** First start with several instances at once: one workspace, one owner, and every instance comes up. */
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { createTestDatabase, testDialects } from '../db/test-databases.ts'
import { startServer } from './app.ts'
import { bootstrapFirstRun } from './bootstrap.ts'
import { loadConfig } from './config.ts'
import { api } from './test-kit.ts'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

for (const dialect of testDialects()) {
  test(`${dialect}: three instances starting at the same moment on an empty database make one workspace and one owner`, async () => {
    const database = await createTestDatabase(dialect, false)
    // The instances open the database themselves, as `npm start` does; the test's handle only counts rows at the end.
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-first-run-'))
    const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'silent', DATABASE_URL: database.url })
    const boot = async () => {
      const server = await startServer(config)
      const firstRun = await bootstrapFirstRun(server.services.db, { email: 'owner@example.com', password: 'correct horse battery' })
      return { server, firstRun }
    }
    const started = await Promise.all([boot(), boot(), boot()])
    try {
      assert.equal(started.filter((s) => s.firstRun).length, 1, 'exactly one instance made the first-run setup')
      const workspaces = await database.db.kysely.selectFrom('workspaces').selectAll().execute()
      const agents = await database.db.kysely.selectFrom('agents').selectAll().execute()
      const widgets = await database.db.kysely.selectFrom('widgets').selectAll().execute()
      assert.equal(workspaces.length, 1)
      assert.equal(agents.map((a) => [a.email, a.role, a.workspace_id]), [['owner@example.com', 'owner', workspaces[0]!.id]])
      assert.equal(widgets.length, 1)
      // Every instance serves the owner.
      for (const { server } of started) {
        const signIn = await api(server.url, 'POST', '/api/auth/sign-in', { email: 'owner@example.com', password: 'correct horse battery' })
        assert.equal(signIn.status, 200)
        assert.equal((await api(server.url, 'GET', '/health')).status, 200)
      }
      // A later start finds the setup done.
      assert.equal(await bootstrapFirstRun(started[1]!.server.services.db, { email: 'other@example.com', password: 'another password here' }), null)
    } finally {
      for (const { server } of started) await server.close()
      await database.dispose()
      fs.rmSync(dataDir, { recursive: true, force: true })
    }
  })
}

test.run()
