/**
 * Two instances on one PostgreSQL database and one Redis, webhook jobs on BullMQ: events of one
 * conversation, written through both instances, reach the receiver once each and in order,
 * whichever instance sends them.
 */
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { Redis } from '@hocuspocus/extension-redis'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { createTestDatabase } from '../../db/test-databases.ts'
import { startServer } from '../app.ts'
import { loadConfig } from '../config.ts'
import { api, startTestServer, startVisitorConversation, waitFor } from '../test-kit.ts'
import { BullMqWebhookQueue } from './webhook-queue.ts'

const REDIS = new URL(process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379')

test('BullMQ across two instances: every event once, in order per conversation', async () => {
  const database = await createTestDatabase('postgres', false).catch(() => null)
  if (!database) { console.log('  (PostgreSQL not reachable: skipped)'); return }
  await database.db.close()
  const got: { type: string; id: string; conversation?: string; text?: string }[] = []
  const receiver = http.createServer((req, res) => {
    let raw = ''
    req.on('data', (c) => { raw += c })
    req.on('end', () => {
      const body = JSON.parse(raw)
      got.push({ type: body.type, id: body.id, conversation: body.data.conversation?.id, text: body.data.message?.text })
      res.writeHead(200); res.end()
    })
  })
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve))
  const prefix = `parley-test-wh-${process.pid}-${Date.now()}`
  const redisUrl = REDIS.href
  const options = () => ({
    extensions: [new Redis({ host: REDIS.hostname, port: Number(REDIS.port || 6379), prefix })],
    webhookQueue: new BullMqWebhookQueue({ redisUrl, prefix }),
  })
  const a = await startTestServer({ env: { DATABASE_URL: database.url, WEBHOOK_ALLOWED_HOSTS: '127.0.0.1', WEBHOOK_POLL_MS: '200' }, start: options() })
  const b = await startServer(loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: a.dataDir, LOG_LEVEL: 'error', DATABASE_URL: database.url, WEBHOOK_ALLOWED_HOSTS: '127.0.0.1', WEBHOOK_POLL_MS: '200' }), options())
  try {
    const key = (await api(a.url, 'POST', '/api/api-keys', { name: 'CRM', scope: 'write' }, a.ownerToken)).body.token
    await api(a.url, 'POST', '/api/webhooks', { name: 'Backend', url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/`, events: ['message.created'] }, a.ownerToken)
    const { conversationId } = await startVisitorConversation(a, 'Vera', { id: 'first-vera-000001', text: 'm0' })
    const texts = ['m0']
    for (let i = 1; i <= 20; i++) {
      const via = i % 2 === 0 ? a.url : b.url
      const text = `m${i}`
      texts.push(text)
      const res = await api(via, 'POST', `/api/conversations/${conversationId}/messages`, { id: `crm-msg-${String(i).padStart(6, '0')}`, text }, key)
      assert.is(res.status, 201)
    }
    await waitFor(() => got.filter((g) => g.conversation === conversationId).length >= texts.length, 30_000, 'every message at the receiver')
    const mine = got.filter((g) => g.conversation === conversationId)
    assert.equal(mine.map((g) => g.text), texts, 'in order')
    assert.is(new Set(mine.map((g) => g.id)).size, mine.length, 'each once')
  } finally {
    await b.close()
    await a.close()
    await database.dispose()
    await new Promise<void>((resolve) => receiver.close(() => resolve()))
  }
})

test.run()
