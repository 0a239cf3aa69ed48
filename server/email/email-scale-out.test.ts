/**
 * Two instances on one PostgreSQL database and one Redis: an email queued on one during an SMTP
 * outage is retried through BullMQ and arrives once; an invitation link raced on both works once.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { createTestDatabase } from '../../db/test-databases.ts'
import { startServer } from '../app.ts'
import { bootstrapFirstRun } from '../bootstrap.ts'
import { loadConfig } from '../config.ts'
import { api, waitFor } from '../test-kit.ts'
import { startTestSmtp } from './test-smtp.ts'

process.env.TEST_DATABASE_URL ??= 'postgres://postgres@127.0.0.1:5432/test'

test('PostgreSQL + Redis: an outage retried through BullMQ sends once; a link raced on two instances is used once', async () => {
  const database = await createTestDatabase('postgres', false)
  await database.db.close()
  const smtp = await startTestSmtp()
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-email-scale-'))
  const env = {
    PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'silent', DATABASE_URL: database.url, REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
    PARLEY_QUEUE_PREFIX: `parley-email-test-${process.pid}-${Date.now()}`, RATE_LIMIT_PREFIX: `parley-email-limits-${process.pid}-${Date.now()}`,
    SMTP_URL: smtp.url, EMAIL_BACKOFF_MS: '100', EMAIL_ATTEMPTS: '8',
  }
  const a = await startServer(loadConfig(env))
  const b = await startServer(loadConfig(env))
  try {
    await bootstrapFirstRun(a.services.db, { email: 'owner@example.com', password: 'correct horse battery' })
    const token = (await api(a.url, 'POST', '/api/auth/sign-in', { email: 'owner@example.com', password: 'correct horse battery' })).body.token
    await smtp.stop()
    const invited = await api(a.url, 'POST', '/api/invitations', { email: 'raced@example.com', role: 'agent' }, token)
    assert.is(invited.status, 201)
    await waitFor(async () => (await api(b.url, 'GET', '/api/email/deliveries', undefined, token)).body.items[0]?.status === 'retrying', 30000, 'the delivery retrying')
    await smtp.start()
    await waitFor(async () => (await api(b.url, 'GET', '/api/email/deliveries', undefined, token)).body.items[0]?.status === 'sent', 30000, 'the delivery sent')
    assert.is(smtp.received.length, 1)
    const link = /accept-invitation\?token=(\S+)/.exec(smtp.received[0]!.text ?? '')![1] as string
    const [onA, onB] = await Promise.all([a, b].map((s) => api(s.url, 'POST', '/api/auth/invitation/accept', { token: decodeURIComponent(link), name: 'Rae', password: 'raes long password' })))
    assert.equal([onA!.status, onB!.status].sort(), [201, 403])
    const agents = (await api(a.url, 'GET', '/api/agents', undefined, token)).body.items.map((x: { email: string }) => x.email)
    assert.equal(agents, ['owner@example.com', 'raced@example.com'])
  } finally {
    await a.close(); await b.close(); await smtp.close()
    await database.dispose()
    fs.rmSync(dataDir, { recursive: true, force: true })
  }
})

test.run()
