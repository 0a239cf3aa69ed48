/** Two server instances on one database, linked by Redis: what one's client writes, the other's sees. */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { Redis } from '@hocuspocus/extension-redis'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { appendMessage, createId, formatConversationName, readMessages } from '../protocol/index.ts'
import { startServer } from './app.ts'
import { bootstrapFirstRun } from './bootstrap.ts'
import { loadConfig } from './config.ts'
import { api, connectPeer, waitFor } from './test-kit.ts'

const REDIS = new URL(process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379')

test('a message written through instance A reaches a peer on instance B, and is stored once', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-scale-'))
  const prefix = `parley-test-${process.pid}-${Date.now()}`
  const start = () => startServer(loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'silent' }), {
    extensions: [new Redis({ host: REDIS.hostname, port: Number(REDIS.port || 6379), prefix })],
  })
  const a = await start()
  const b = await start()
  try {
    await bootstrapFirstRun(a.services.db, { email: 'owner@example.com', password: 'correct horse battery' })
    const token = (await api(a.url, 'POST', '/api/auth/sign-in', { email: 'owner@example.com', password: 'correct horse battery' })).body.token
    const agentId = (await api(b.url, 'GET', '/api/auth/me', undefined, token)).body.agent.id
    const siteKey = (await api(a.url, 'GET', '/api/widgets', undefined, token)).body.items[0].siteKey
    const visitor = (await api(a.url, 'POST', '/api/widget/session', { siteKey, name: 'Vera' })).body.token
    const conversationId = (await api(a.url, 'POST', '/api/widget/conversations', { siteKey, message: { id: 'customer-msg-1', text: 'Hello from A' } }, visitor)).body.id
    const name = formatConversationName(conversationId)

    const onA = connectPeer(a.url.replace('http', 'ws') + '/sync', name, token)
    const onB = connectPeer(b.url.replace('http', 'ws') + '/sync', name, token)
    await Promise.all([onA.ready, onB.ready])
    appendMessage(onA.doc, { id: createId('m'), author: { role: 'agent', id: agentId, name: 'Owner' }, kind: 'message', text: 'Answered on A', attachments: [], createdAt: Date.now() })
    await waitFor(() => readMessages(onB.doc).some((m) => m.text === 'Answered on A'), 5000, 'the message on instance B')
    appendMessage(onB.doc, { id: createId('m'), author: { role: 'agent', id: agentId, name: 'Owner' }, kind: 'message', text: 'Followed up on B', attachments: [], createdAt: Date.now() })
    await waitFor(() => readMessages(onA.doc).some((m) => m.text === 'Followed up on B'), 5000, 'the message on instance A')
    // The customer's HTTP send on B reaches the peer on A too.
    await api(b.url, 'POST', `/api/widget/conversations/${conversationId}/messages`, { id: 'customer-msg-2', text: 'Thanks, via B' }, visitor)
    await waitFor(() => readMessages(onA.doc).some((m) => m.text === 'Thanks, via B'), 5000, 'the customer message on instance A')
    onA.destroy(); onB.destroy()
  } finally {
    await a.close()
    await b.close()
  }
  // After both stop, one fresh instance loads each message exactly once.
  const c = await startServer(loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'silent' }))
  try {
    const token = (await api(c.url, 'POST', '/api/auth/sign-in', { email: 'owner@example.com', password: 'correct horse battery' })).body.token
    const id = (await api(c.url, 'GET', '/api/conversations', undefined, token)).body.items[0].id
    const peer = connectPeer(c.url.replace('http', 'ws') + '/sync', formatConversationName(id), token)
    await peer.ready
    assert.equal(readMessages(peer.doc).map((m) => m.text), ['Hello from A', 'Answered on A', 'Followed up on B', 'Thanks, via B'])
    peer.destroy()
  } finally {
    await c.close()
    fs.rmSync(dataDir, { recursive: true, force: true })
  }
})

test.run()
