import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import * as Y from 'yjs'
import { appendMessage, formatConversationName, getMessages, readMessages, type Message } from '../protocol/index.ts'
import { appendUpdates, loadStoredDocument } from '../db/doc-log.repository.ts'
import { openDatabase } from '../db/database.ts'
import { startServer } from './app.ts'
import { loadConfig } from './config.ts'
import { RawPeer } from '../bench/lib/raw-peer.ts'
import { api, connectPeer, startTestServer, startVisitorConversation, waitFor } from './test-kit.ts'

const OWNER = { email: 'owner@example.com', password: 'correct horse battery' }

/** Runs `npm start`'s entry as a child process, as a self-hoster would, and waits for its URL. */
function startChild(dataDir: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'warn', PARLEY_OWNER_EMAIL: OWNER.email, PARLEY_OWNER_PASSWORD: OWNER.password, PARLEY_IN_PROCESS_BOT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  return new Promise((resolve, reject) => {
    let out = ''
    child.stdout!.on('data', (d) => {
      out += d
      const match = /(http:\/\/127\.0\.0\.1:\d+)\//.exec(out)
      if (match) resolve({ child, url: match[1] as string })
    })
    child.stderr!.on('data', (d) => (out += d))
    child.on('exit', (code) => reject(new Error(`server exited (${code}) before it listened:\n${out}`)))
  })
}

test('kill -9 mid-stream loses no acknowledged message: every one is there after restart, in order, exactly once', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-kill-'))
  let server = await startChild(dataDir)
  try {
    const token = (await api(server.url, 'POST', '/api/auth/sign-in', OWNER)).body.token
    const agentId = (await api(server.url, 'GET', '/api/auth/me', undefined, token)).body.agent.id
    await api(server.url, 'PUT', '/api/settings/ai', { enabled: false, persona: '', greeting: '', confidenceThreshold: 0.5, businessHours: null }, token)
    const siteKey = (await api(server.url, 'GET', '/api/widgets', undefined, token)).body.items[0].siteKey
    const visitor = (await api(server.url, 'POST', '/api/widget/session', { siteKey, name: 'Vera' })).body.token
    const conversationId = (await api(server.url, 'POST', '/api/widget/conversations', {}, visitor)).body.id
    const name = formatConversationName(conversationId)
    const wsUrl = server.url.replace('http', 'ws') + '/sync'

    const peer = connectPeer(wsUrl, name, token)
    await peer.ready
    // Acknowledgements arrive in order on one connection: acknowledged = sent - still unsynced.
    const sent: string[] = []
    let acknowledged = 0
    peer.provider.on('unsyncedChanges', ({ number }: { number: number }) => { acknowledged = Math.max(acknowledged, sent.length - number) })
    const killAt = 150
    let killed = false
    for (let i = 0; i < 500 && !killed; i++) {
      const message: Message = { id: `m-${String(i).padStart(4, '0')}`, author: { role: 'agent', id: agentId, name: 'Owner' }, kind: 'message', text: `message ${i}`, attachments: [], createdAt: Date.now() }
      sent.push(message.id)
      appendMessage(peer.doc, message)
      await new Promise((r) => setTimeout(r, 2))
      if (acknowledged >= killAt) {
        server.child.kill('SIGKILL')
        killed = true
      }
    }
    assert.ok(killed, `the kill happened mid-stream (acknowledged ${acknowledged} of ${sent.length})`)
    const acked = sent.slice(0, acknowledged)
    peer.destroy()
    await new Promise((r) => server.child.once('exit', r))

    server = await startChild(dataDir)
    const fresh = connectPeer(server.url.replace('http', 'ws') + '/sync', name, (await api(server.url, 'POST', '/api/auth/sign-in', OWNER)).body.token)
    await fresh.ready
    const ids = readMessages(fresh.doc).map((m) => m.id)
    assert.is(new Set(ids).size, ids.length, 'no message twice')
    const present = ids.filter((id) => acked.includes(id))
    assert.equal(present, acked, `all ${acked.length} acknowledged messages, in order`)
    assert.ok(acked.length >= killAt)
    fresh.destroy()
  } finally {
    server.child.kill('SIGKILL')
    fs.rmSync(dataDir, { recursive: true, force: true })
  }
})

test('a torn final entry in the update log does not stop a restart; everything before it survives', async () => {
  const t = await startTestServer({ env: { COMPACT_EVERY: '100000' } })
  const dataDir = t.dataDir
  const agentId = (await api(t.url, 'GET', '/api/auth/me', undefined, t.ownerToken)).body.agent.id
  const session = await api(t.url, 'POST', '/api/widget/session', { siteKey: t.siteKey, name: 'Vera' })
  const conversationId = (await api(t.url, 'POST', '/api/widget/conversations', {}, session.body.token)).body.id
  const name = formatConversationName(conversationId)
  const say = (id: string, text: string): Message => ({ id, author: { role: 'agent', id: agentId, name: 'Owner' }, kind: 'message', text, attachments: [], createdAt: Date.now() })
  const peer = connectPeer(t.wsUrl, name, t.ownerToken)
  await peer.ready
  for (let i = 0; i < 5; i++) appendMessage(peer.doc, say(`before-${i}`, `before ${i}`))
  await waitFor(() => peer.provider.unsyncedChanges === 0, 5000, 'acknowledgements')
  const copy = new Y.Doc()
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(peer.doc))
  peer.destroy()
  // Close without touching the data directory (the server compacts on unload, as after a clean stop).
  await t.server.close()

  // Then, as after a crash mid-write: valid entries followed by a truncated one.
  const db = openDatabase(path.join(dataDir, 'parley.sqlite'))
  const updates: Uint8Array[] = []
  copy.on('update', (u: Uint8Array) => updates.push(u))
  getMessages(copy).push([say('after-1', 'after 1')])
  getMessages(copy).push([say('after-2', 'after 2')])
  getMessages(copy).push([say('torn', 'this write was torn')])
  const torn = (updates[2] as Uint8Array).slice(0, (updates[2] as Uint8Array).length - 7)
  await appendUpdates(db, [{ docName: name, data: updates[0] as Uint8Array }, { docName: name, data: updates[1] as Uint8Array }, { docName: name, data: torn }])
  assert.is((await loadStoredDocument(db, name)).updates.length, 3)
  await db.close()

  const server = await startServer(loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'silent' }))
  try {
    const token = (await api(server.url, 'POST', '/api/auth/sign-in', OWNER)).body.token
    const fresh = connectPeer(server.url.replace('http', 'ws') + '/sync', name, token)
    await fresh.ready
    assert.equal(readMessages(fresh.doc).map((m) => m.id), ['before-0', 'before-1', 'before-2', 'before-3', 'before-4', 'after-1', 'after-2'])
    // …and the document takes new writes.
    appendMessage(fresh.doc, say('after-restart', 'after restart'))
    await waitFor(() => fresh.provider.unsyncedChanges === 0, 5000, 'the new write to be acknowledged')
    fresh.destroy()
  } finally {
    await server.close()
    fs.rmSync(dataDir, { recursive: true, force: true })
  }
})

test('an update resent over a new connection before its ack is acknowledged only once its first append is durable', async () => {
  const t = await startTestServer()
  let release = () => {}
  try {
    const { conversationId } = await startVisitorConversation(t)
    const name = formatConversationName(conversationId)
    const agentId = (await api(t.url, 'GET', '/api/auth/me', undefined, t.ownerToken)).body.agent.id
    const log = t.server.updateLog
    const append = log.append.bind(log)
    const disk = new Promise<void>((resolve) => { release = resolve })
    const doc = new Y.Doc()
    const first = new RawPeer({ url: t.wsUrl, protocol: 'hocuspocus', name, token: t.ownerToken, doc })
    await first.connect()
    log.append = (d, data) => disk.then(() => append(d, data))
    let update: Uint8Array | null = null
    doc.once('update', (u: Uint8Array) => { update = u })
    appendMessage(doc, { id: 'resent', author: { role: 'agent', id: agentId, name: 'Owner' }, kind: 'message', text: 'resent', attachments: [], createdAt: Date.now() })
    // Applied by the server (so a resend brings it nothing new), its append still on the slow disk.
    await waitFor(() => t.server.services.hocuspocus.documents.get(name) && readMessages(t.server.services.hocuspocus.documents.get(name)!).some((m) => m.id === 'resent'), 5000, 'applied on the server')
    first.cut()
    let acked = 0
    const second = new RawPeer({ url: t.wsUrl, protocol: 'hocuspocus', name, token: t.ownerToken, doc, onAck: () => { acked += 1 } })
    await second.connect()
    second.sendUpdate(update!)
    await new Promise((r) => setTimeout(r, 300))
    assert.is(acked, 0, 'not acknowledged while the first append is in flight')
    release()
    await waitFor(() => acked === 1, 5000, 'acknowledged once durable')
    second.close()
  } finally { release(); await t.close() }
})

test('a burst of updates is folded into the snapshot: once its peers leave, the log holds nothing of the document', async () => {
  const t = await startTestServer({ env: { COMPACT_EVERY: '600', RATE_LIMIT_PER_SECOND: '100000' } })
  try {
    const { conversationId } = await startVisitorConversation(t)
    const name = formatConversationName(conversationId)
    const agentId = (await api(t.url, 'GET', '/api/auth/me', undefined, t.ownerToken)).body.agent.id
    const peer = connectPeer(t.wsUrl, name, t.ownerToken)
    await peer.ready
    // A slow disk: the appends are still in flight when the 600th update has been applied.
    const log = t.server.updateLog
    const append = log.append.bind(log)
    const slow = new Promise((resolve) => setTimeout(resolve, 500))
    log.append = (doc, data) => slow.then(() => append(doc, data))
    for (let i = 0; i < 600; i++) appendMessage(peer.doc, { id: `burst-${i}`, author: { role: 'agent', id: agentId, name: 'Owner' }, kind: 'message', text: `burst ${i}`, attachments: [], createdAt: Date.now() })
    await waitFor(() => peer.provider.unsyncedChanges === 0, 10_000, 'every update acknowledged')
    peer.destroy()
    const stored = await waitFor(async () => {
      const s = await loadStoredDocument(t.server.services.db, name)
      return s.updates.length === 0 && s.snapshot ? s : null
    }, 10_000, 'the log folded into the snapshot after the unload')
    const copy = new Y.Doc()
    Y.applyUpdate(copy, stored.snapshot!.data)
    assert.is(readMessages(copy).filter((m) => m.id.startsWith('burst-')).length, 600)
  } finally { await t.close() }
})

test('an update reaches the other peers at once, is acknowledged only once durable, and a failed write is never acknowledged', async () => {
  const t = await startTestServer()
  try {
    const { conversationId, visitorToken } = await startVisitorConversation(t)
    const name = formatConversationName(conversationId)
    const agentId = (await api(t.url, 'GET', '/api/auth/me', undefined, t.ownerToken)).body.agent.id
    const say = (id: string): Message => ({ id, author: { role: 'agent', id: agentId, name: 'Owner' }, kind: 'message', text: id, attachments: [], createdAt: Date.now() })
    const writer = connectPeer(t.wsUrl, name, t.ownerToken)
    const customer = connectPeer(t.wsUrl, name, visitorToken)
    await Promise.all([writer.ready, customer.ready])
    const log = t.server.updateLog
    const append = log.append.bind(log)

    // The disk is slow: the customer sees the message, the agent is not told it is saved yet.
    let release!: () => void
    const disk = new Promise<void>((resolve) => { release = resolve })
    log.append = (doc, data) => disk.then(() => append(doc, data))
    appendMessage(writer.doc, say('held'))
    await waitFor(() => readMessages(customer.doc).some((m) => m.id === 'held'), 5000, 'delivery before the commit')
    await new Promise((r) => setTimeout(r, 100))
    assert.is(writer.provider.unsyncedChanges, 1, 'not acknowledged before it is durable')
    release()
    await waitFor(() => writer.provider.unsyncedChanges === 0, 5000, 'the acknowledgement after the commit')

    // The write fails: no acknowledgement, the connection is closed, and the update is kept by its sender.
    log.append = () => Promise.reject(new Error('disk full'))
    appendMessage(writer.doc, say('failed'))
    await waitFor(() => writer.closes.length > 0, 5000, 'the connection closed')
    assert.match(writer.closes[0]?.reason ?? '', /storage-failed/)
    assert.ok(writer.provider.unsyncedChanges > 0, 'never acknowledged')
    writer.destroy()

    // Back to a working disk, the same client state reconnects and its update is stored.
    log.append = append
    const again = connectPeer(t.wsUrl, name, t.ownerToken, writer.doc)
    await again.ready
    await waitFor(() => again.provider.unsyncedChanges === 0, 5000, 'acknowledged after the reconnect')
    const stored = await loadStoredDocument(t.server.services.db, name)
    const copy = new Y.Doc()
    if (stored.snapshot) Y.applyUpdate(copy, stored.snapshot.data)
    for (const u of stored.updates) Y.applyUpdate(copy, u.data)
    assert.ok(readMessages(copy).some((m) => m.id === 'failed'), 'the update that failed once is in the log now')
  } finally { await t.close() }
})

test.run()
