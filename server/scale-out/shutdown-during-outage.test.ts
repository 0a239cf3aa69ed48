/**
 * An instance asked to stop while Redis is away stops (SIGTERM during an outage must not hang):
 * every Redis command waits for a connection for ever by design (nothing is dropped), so closing
 * must not wait on one.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { appendMessage, createId, formatConversationName } from '../../protocol/index.ts'
import { startServer } from '../app.ts'
import { bootstrapFirstRun } from '../bootstrap.ts'
import { loadConfig } from '../config.ts'
import { createLogger } from '../log.ts'
import { api, connectPeer, startVisitorConversation, waitFor } from '../test-kit.ts'
import { RedisDocuments } from './redis-documents.ts'
import { RedisHealth } from './redis-health.ts'
import { startTestRedis } from './test-redis.ts'

const log = createLogger('silent')

test('an instance with open documents closes while Redis is down', async () => {
  const redis = await startTestRedis()
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-shutdown-'))
  try {
    const health = new RedisHealth(log)
    const documents = new RedisDocuments({ host: '127.0.0.1', port: redis.port, prefix: `shutdown-${process.pid}` }, health, log)
    const server = await startServer(loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'silent' }), { log, extensions: [documents], redisHealth: health })
    await bootstrapFirstRun(server.services.db, { email: 'owner@example.com', password: 'correct horse battery' })
    const token = (await api(server.url, 'POST', '/api/auth/sign-in', { email: 'owner@example.com', password: 'correct horse battery' })).body.token
    const siteKey = (await api(server.url, 'GET', '/api/widgets', undefined, token)).body.items[0].siteKey
    const { conversationId } = await startVisitorConversation({ url: server.url, siteKey } as Parameters<typeof startVisitorConversation>[0], 'Vera', { id: 'customer-msg-1', text: 'Hello' })
    const agent = connectPeer(server.url.replace('http', 'ws') + '/sync', formatConversationName(conversationId), token)
    await agent.ready
    await redis.stop()
    await waitFor(() => health.isDown(), 10_000, 'the instance to see Redis down')
    const me = (await api(server.url, 'GET', '/api/auth/me', undefined, token)).body.agent
    appendMessage(agent.doc, { id: createId('m'), author: { role: 'agent', id: me.id, name: 'Owner' }, kind: 'message', text: 'written during the outage', attachments: [], createdAt: Date.now() })
    await waitFor(() => agent.provider.unsyncedChanges === 0, 10_000, 'the write to be acknowledged')
    agent.destroy()
    const closed = await Promise.race([server.close().then(() => 'closed'), new Promise((resolve) => setTimeout(resolve, 20_000, 'still closing after 20 s')).then((v) => v)])
    assert.is(closed, 'closed')
  } finally {
    await redis.stop().catch(() => {})
    fs.rmSync(dataDir, { recursive: true, force: true })
  }
})

test.run()
