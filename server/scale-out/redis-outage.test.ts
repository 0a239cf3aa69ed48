/**
 * Two instances on one database, linked by a Redis server of the test's own. Redis is stopped
 * while a customer on A and an agent on B both write; once it is back, both instances and fresh
 * clients on each converge by themselves, nothing lost or doubled, and neither instance dies.
 * PostgreSQL when TEST_DATABASE_URL is set, else one SQLite file shared by both.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { appendMessage, formatConversationName, formatInboxName, readMessages, readMeta, replyIdFor } from '../../protocol/index.ts'
import { BullMqQueue } from '../../ai-worker/bullmq-queue.ts'
import { startBot, type RunningBot } from '../../ai-worker/worker.ts'
import { createTestDatabase } from '../../db/test-databases.ts'
import { startServer, type ParleyServer } from '../app.ts'
import { bootstrapFirstRun } from '../bootstrap.ts'
import { loadConfig } from '../config.ts'
import { createLogger } from '../log.ts'
import { api, connectPeer, startVisitorConversation, waitFor, type Peer } from '../test-kit.ts'
import { RedisDocuments } from './redis-documents.ts'
import { RedisHealth } from './redis-health.ts'
import { startTestRedis } from './test-redis.ts'

const log = createLogger((process.env.TEST_LOG as 'debug' | undefined) ?? 'silent')
const ids = (peer: Peer) => readMessages(peer.doc).map((m) => m.id)

test('after a Redis outage both instances and fresh clients show the same messages, none lost or doubled, without further writes', async () => {
  const unhandled: unknown[] = []
  const onUnhandled = (error: unknown) => unhandled.push(error)
  process.on('unhandledRejection', onUnhandled)
  const redis = await startTestRedis()
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-outage-'))
  const database = process.env.TEST_DATABASE_URL ? await createTestDatabase('postgres', false) : null
  await database?.db.close()
  const prefix = `outage-${process.pid}`
  const instances: { server: ParleyServer; health: RedisHealth; redis: RedisDocuments }[] = []
  const start = async () => {
    const health = new RedisHealth(log)
    const documents = new RedisDocuments({ host: '127.0.0.1', port: redis.port, prefix }, health, log)
    const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'silent', ...(database ? { DATABASE_URL: database.url } : {}) })
    const server = await startServer(config, { log, extensions: [documents], redisHealth: health })
    instances.push({ server, health, redis: documents })
    return { server, health, redis: documents }
  }
  try {
    const a = await start()
    const b = await start()
    await bootstrapFirstRun(a.server.services.db, { email: 'owner@example.com', password: 'correct horse battery' })
    const token = (await api(a.server.url, 'POST', '/api/auth/sign-in', { email: 'owner@example.com', password: 'correct horse battery' })).body.token
    const owner = (await api(b.server.url, 'GET', '/api/auth/me', undefined, token)).body.agent
    const siteKey = (await api(a.server.url, 'GET', '/api/widgets', undefined, token)).body.items[0].siteKey
    // Agents answer here, not the bot.
    await api(a.server.url, 'PUT', '/api/settings/ai', { enabled: false }, token)
    const t = { url: a.server.url, siteKey } as Parameters<typeof startVisitorConversation>[0]
    const { visitorToken, conversationId } = await startVisitorConversation(t, 'Vera', { id: 'customer-before-1', text: 'Hello' })
    const name = formatConversationName(conversationId)
    const wsA = a.server.url.replace('http', 'ws') + '/sync'
    const wsB = b.server.url.replace('http', 'ws') + '/sync'
    const customer = connectPeer(wsA, name, visitorToken)
    const agent = connectPeer(wsB, name, token)
    await Promise.all([customer.ready, agent.ready])
    await waitFor(() => ids(agent).includes('customer-before-1'), 5000, 'the first message on B')
    // An agent app keeps the inbox open: it is told when its instance's link to the others is down, and when it is back.
    const workspaceId = (await api(b.server.url, 'GET', '/api/auth/me', undefined, token)).body.workspace.id
    const inbox = connectPeer(wsB, formatInboxName(workspaceId), token)
    const link: string[] = []
    inbox.provider.on('stateless', ({ payload }: { payload: string }) => { const m = JSON.parse(payload); if (m.type === 'server-link') link.push(m.state) })
    await inbox.ready

    await redis.stop()
    await waitFor(async () => a.health.isDown() && b.health.isDown() && (await api(a.server.url, 'GET', '/ready')).status === 503, 10_000, 'both instances to see Redis down')
    // Liveness stays 200 (the process is fine: restarting it would not bring Redis back); it says degraded, and readiness is 503.
    const health = await api(b.server.url, 'GET', '/health')
    assert.equal([health.status, health.body.status, health.body.redis], [200, 'degraded', 'down'])
    assert.is((await api(b.server.url, 'GET', '/ready')).status, 503)
    assert.match(await (await fetch(b.server.url + '/metrics')).text(), /parley_redis_up 0/)

    // Both sides write while the instances cannot reach each other.
    for (let i = 1; i <= 3; i += 1) {
      const sent = await api(a.server.url, 'POST', `/api/widget/conversations/${conversationId}/messages`, { id: `customer-during-${i}`, text: `Customer ${i}` }, visitorToken)
      assert.is(sent.status, 201, JSON.stringify(sent.body))
      appendMessage(agent.doc, { id: `agent-during-${i}`, author: { role: 'agent', id: owner.id, name: owner.name }, kind: 'message', text: `Agent ${i}`, attachments: [], createdAt: Date.now() })
      // Typing and "seen" are broadcast through Redis too (unawaited by Hocuspocus): they must not crash anything.
      agent.provider.sendStateless(JSON.stringify({ type: 'typing', typing: true }))
      customer.provider.sendStateless(JSON.stringify({ type: 'seen', count: i }))
    }
    // A conversation started on B meanwhile loads from the database at once (it does not wait for Redis).
    const startedOnB = await startVisitorConversation({ url: b.server.url, siteKey } as Parameters<typeof startVisitorConversation>[0], 'Otto', { id: 'customer-new-1', text: 'Started during the outage' })
    await waitFor(() => agent.provider.unsyncedChanges === 0 && ids(customer).includes('customer-during-3'), 5000, 'each side to have its own writes acknowledged')
    assert.not.ok(ids(customer).includes('agent-during-1'), 'the instances are apart while Redis is down')
    await waitFor(() => link.at(-1) === 'degraded', 5000, 'the agent on B to be told the link is down')
    // An agent app connecting during the outage is told at once.
    const late = connectPeer(wsB, inbox.provider.configuration.name, token)
    const lateLink: string[] = []
    late.provider.on('stateless', ({ payload }: { payload: string }) => { const m = JSON.parse(payload); if (m.type === 'server-link') lateLink.push(m.state) })
    await late.ready
    await waitFor(() => lateLink.includes('degraded'), 5000, 'an agent connecting during the outage to be told')
    late.destroy()

    const restarted = Date.now()
    await redis.start()
    const expected = ['customer-before-1', 'customer-during-1', 'customer-during-2', 'customer-during-3', 'agent-during-1', 'agent-during-2', 'agent-during-3'].sort()
    const same = (list: string[]) => JSON.stringify([...list].sort()) === JSON.stringify(expected)
    const loaded = (server: ParleyServer) => { const doc = server.services.hocuspocus.documents.get(name); return doc ? readMessages(doc).map((m) => m.id) : [] }
    await waitFor(() => same(ids(customer)) && same(ids(agent)) && same(loaded(a.server)) && same(loaded(b.server)), 5000, 'both instances and their clients to converge')
    const convergedMs = Date.now() - restarted
    // Fresh clients on each instance see the same, each message once.
    for (const url of [wsA, wsB]) {
      const fresh = connectPeer(url, name, token)
      await fresh.ready
      assert.ok(same(ids(fresh)), `fresh client: ${ids(fresh).join(', ')}`)
      fresh.destroy()
    }
    const other = connectPeer(wsA, formatConversationName(startedOnB.conversationId), token)
    await other.ready
    await waitFor(() => ids(other).includes('customer-new-1'), 5000, 'the conversation started on B during the outage, seen on A')
    other.destroy()
    await waitFor(async () => (await api(a.server.url, 'GET', '/health')).status === 200 && (await api(b.server.url, 'GET', '/health')).status === 200, 5000, 'health ok again')
    await waitFor(() => link.at(-1) === 'ok', 5000, 'the agent on B to be told the link is back')
    inbox.destroy()
    assert.is(a.health.outages, 1)
    assert.is(b.health.outages, 1)
    assert.equal(unhandled, [], 'no unhandled rejection')
    console.log(`  converged ${convergedMs} ms after Redis returned`)
    customer.destroy(); agent.destroy()
  } finally {
    for (const { server } of instances) await server.close()
    await redis.stop()
    process.off('unhandledRejection', onUnhandled)
    await database?.dispose()
    fs.rmSync(dataDir, { recursive: true, force: true })
  }
})

test('a customer question sent to A while Redis is down is answered once by the bot worker on B after it returns', async () => {
  const unhandled: unknown[] = []
  const onUnhandled = (error: unknown) => unhandled.push(error)
  process.on('unhandledRejection', onUnhandled)
  const redis = await startTestRedis()
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-outage-bot-'))
  const database = process.env.TEST_DATABASE_URL ? await createTestDatabase('postgres', false) : null
  await database?.db.close()
  const prefix = `outage-bot-${process.pid}`
  const closers: (() => Promise<void>)[] = []
  const start = async (withBot: boolean) => {
    const health = new RedisHealth(log)
    const documents = new RedisDocuments({ host: '127.0.0.1', port: redis.port, prefix: `${prefix}-docs` }, health, log)
    const jobs = new BullMqQueue({ redisUrl: redis.url, prefix, attempts: 5, backoffMs: 200, onError: (error) => health.note('jobs', error) })
    const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'silent', ...(database ? { DATABASE_URL: database.url } : {}) })
    let bot: RunningBot | null = null
    const server = await startServer(config, {
      log, extensions: [documents], redisHealth: health, jobs,
      beforeListen: withBot ? (services, s) => { bot = startBot({ jobs, db: services.db, url: s.url, serviceToken: s.serviceToken, openai: services.config.openai, attempts: 5, log, llm: null, triggerWaitMs: 300 }) } : undefined,
    })
    closers.unshift(async () => { await (bot as RunningBot | null)?.close(); await server.close() })
    return { server, health }
  }
  try {
    const a = await start(false)
    const b = await start(true)
    await bootstrapFirstRun(a.server.services.db, { email: 'owner@example.com', password: 'correct horse battery' })
    const token = (await api(a.server.url, 'POST', '/api/auth/sign-in', { email: 'owner@example.com', password: 'correct horse battery' })).body.token
    const siteKey = (await api(a.server.url, 'GET', '/api/widgets', undefined, token)).body.items[0].siteKey
    await api(a.server.url, 'PUT', '/api/settings/ai', { enabled: true, greeting: 'Hi, I am the assistant.' }, token)
    const { visitorToken, conversationId } = await startVisitorConversation({ url: a.server.url, siteKey } as Parameters<typeof startVisitorConversation>[0], 'Vera')
    const name = formatConversationName(conversationId)
    const customer = connectPeer(a.server.url.replace('http', 'ws') + '/sync', name, visitorToken)
    await customer.ready
    await waitFor(() => readMessages(customer.doc).some((m) => m.author.role === 'bot'), 10_000, 'the greeting from the worker on B')

    await redis.stop()
    await waitFor(() => a.health.isDown() && b.health.isDown(), 10_000, 'both instances to see Redis down')
    const sent = await api(a.server.url, 'POST', `/api/widget/conversations/${conversationId}/messages`, { id: 'customer-question-1', text: 'I want to talk to a person' }, visitorToken)
    assert.is(sent.status, 201, 'the send is accepted while Redis is down')
    await redis.start()

    const onB = connectPeer(b.server.url.replace('http', 'ws') + '/sync', name, token)
    await onB.ready
    const answered = (peer: Peer) => readMessages(peer.doc).filter((m) => m.id === replyIdFor('customer-question-1')).length === 1
    await waitFor(() => answered(customer) && answered(onB), 20_000, 'the answer on both instances')
    assert.is(readMeta(customer.doc).status, 'waiting', 'handed to a person, as asked')
    assert.is(readMessages(customer.doc).filter((m) => m.id === 'customer-question-1').length, 1)
    assert.equal(unhandled, [], 'no unhandled rejection')
    customer.destroy(); onB.destroy()
  } finally {
    for (const close of closers) await close()
    await redis.stop()
    process.off('unhandledRejection', onUnhandled)
    await database?.dispose()
    fs.rmSync(dataDir, { recursive: true, force: true })
  }
})

test.run()
