/**
 * The three kinds of crafted update that got past the guard (issue 10), each built with Yjs and
 * sent through a real socket: deletes of clocks the server does not have, clock gaps and
 * missing dependencies (pending state), and deep nesting. Each is refused, changes nothing in
 * either document, leaves nothing in the update log, and every other client keeps being served.
 */
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import * as Y from 'yjs'
import { loadStoredDocument } from '../db/doc-log.repository.ts'
import {
  appendMessage, appendNote, createId, formatConversationName, formatInternalName, getInternalDrafts, getMessages, parseCloseReason, readMessages, readNotes, type Message,
} from '../protocol/index.ts'
import { HostileSocket, type Outcome } from '../bench/lib/hostile-socket.ts'
import { api, connectPeer, updateFrame, startTestServer, startVisitorConversation, waitFor, type Peer, type TestServer } from './test-kit.ts'

/** The attacks below send hundreds of refused updates as the owner: the strike limits are tested on their own. */
const UNLIMITED = { REFUSED_UPDATES_PER_SOCKET: '1000000', REFUSED_UPDATES_PER_ACCOUNT: '1000000' }

async function setup(env: Record<string, string> = UNLIMITED) {
  const t = await startTestServer({ env })
  const agentId = (await api(t.url, 'GET', '/api/auth/me', undefined, t.ownerToken)).body.agent.id as string
  const visitor = await startVisitorConversation(t, 'Vera', { id: 'customer-msg-1', text: 'My card was charged twice' })
  const say = (text: string, kind: 'message' | 'note' = 'message'): Message => ({ id: createId('m'), author: { role: 'agent', id: agentId, name: 'Owner' }, kind, text, attachments: [], createdAt: Date.now() })
  return { t, agentId, ...visitor, say }
}

const closedWith = (peer: Peer) => waitFor(() => peer.closes.map((c) => parseCloseReason(c.reason ?? '')).find(Boolean), 5000, 'the document connection to be closed')

const liveDoc = (t: TestServer, name: string): Y.Doc => {
  const doc = t.server.services.hocuspocus.documents.get(name)
  if (!doc) throw new Error(`${name} is not loaded`)
  return doc
}

/**
 * Sends `payload` on a fresh agent connection to `name` and asserts it is refused with `code`,
 * that the live document is exactly as before (state, content, no pending state) and that the
 * update log gained no row.
 */
async function expectRefused(t: TestServer, name: string, payload: Uint8Array, code: number, detail: RegExp) {
  const attacker = connectPeer(t.wsUrl, name, t.ownerToken)
  await attacker.ready
  const doc = liveDoc(t, name)
  const before = { state: Y.encodeStateVector(doc), content: JSON.stringify(doc.toJSON()), rows: (await loadStoredDocument(t.server.services.db, name)).updates.length }
  attacker.socket.send(updateFrame(name, payload))
  const closed = await closedWith(attacker)
  assert.is(closed.code, code, closed.detail)
  assert.match(closed.detail, detail)
  assert.equal(Y.encodeStateVector(doc), before.state)
  assert.is(JSON.stringify(doc.toJSON()), before.content)
  assert.is(doc.store.pendingStructs, null)
  assert.is(doc.store.pendingDs, null)
  assert.is((await loadStoredDocument(t.server.services.db, name)).updates.length, before.rows)
  attacker.destroy()
}

/**
 * A delete set, and nothing else, over clocks [from, from + count) of `client`: a doc writing as
 * that client makes the items and deletes them, and the diff against its own state keeps only
 * the deletes.
 */
function futureDeletes(client: number, from: number, count: number): Uint8Array {
  const fake = new Y.Doc()
  fake.clientID = client
  const junk = fake.getArray('junk')
  junk.push(Array.from({ length: from + count }, () => 0))
  junk.delete(from, count)
  return Y.diffUpdate(Y.encodeStateAsUpdate(fake), Y.encodeStateVector(fake))
}

/** An update of `client` whose only struct, a well-formed message, starts `gap` clocks after the server's state. */
function gapUpdate(doc: Y.Doc, client: number, gap: number, message: Message): Uint8Array {
  const fake = new Y.Doc()
  Y.applyUpdate(fake, Y.encodeStateAsUpdate(doc))
  // After the update: Yjs picks a new id for a doc that receives its own id's structs.
  fake.clientID = client
  const from = Y.getState(fake.store, client)
  fake.getArray('filler').push(Array.from({ length: gap }, () => 0))
  getMessages(fake).push([message])
  const sv = Y.encodeStateVector(doc)
  const full = Y.encodeStateAsUpdate(fake, sv)
  // Drop the filler: the server is sent the message alone, `gap` clocks ahead.
  return Y.diffUpdate(full, Y.encodeStateVector(new Map([...Y.decodeStateVector(sv), [client, from + gap]])))
}

const serverClientsOf = (doc: Y.Doc, except: number[]): number[] => [...doc.store.clients.keys()].filter((c) => !except.includes(c))

test('deleting the future: deletes of clocks the server does not have are refused, in both documents, and later messages and notes stay', async () => {
  const { t, say, visitorToken, conversationId } = await setup()
  try {
    const name = formatConversationName(conversationId)
    const witness = connectPeer(t.wsUrl, name, t.ownerToken)
    await witness.ready
    for (const client of serverClientsOf(liveDoc(t, name), [witness.doc.clientID])) {
      const have = Y.getState(liveDoc(t, name).store, client)
      await expectRefused(t, name, futureDeletes(client, have, 50), 4423, /deletes clocks of client/)
      await expectRefused(t, name, futureDeletes(client, have + 1000, 1), 4423, /deletes clocks of client/)
    }
    // The customer's next messages are acknowledged and stay, live and after a reload.
    for (const text of ['second question', 'third question']) {
      const sent = await api(t.url, 'POST', `/api/widget/conversations/${conversationId}/messages`, { id: createId('m'), text }, visitorToken)
      assert.is(sent.status, 201)
    }
    await waitFor(() => readMessages(witness.doc).filter((m) => m.text.endsWith('question')).length === 2, 5000, 'the later customer messages at the witness')
    const fresh = connectPeer(t.wsUrl, name, t.ownerToken)
    await fresh.ready
    assert.equal(readMessages(fresh.doc).map((m) => m.text), ['My card was charged twice', 'second question', 'third question'])

    // internal: another writer's future clocks; that writer's next note stays.
    const internal = formatInternalName(conversationId)
    const colleague = connectPeer(t.wsUrl, internal, t.ownerToken)
    await colleague.ready
    appendNote(colleague.doc, say('first note', 'note'))
    await waitFor(() => readNotes(liveDoc(t, internal)).length === 1, 5000, 'the first note on the server')
    const have = Y.getState(liveDoc(t, internal).store, colleague.doc.clientID)
    await expectRefused(t, internal, futureDeletes(colleague.doc.clientID, have, 20), 4423, /deletes clocks of client/)
    appendNote(colleague.doc, say('second note', 'note'))
    await waitFor(() => readNotes(liveDoc(t, internal)).length === 2, 5000, 'the second note on the server')
    const reader = connectPeer(t.wsUrl, internal, t.ownerToken)
    await reader.ready
    assert.equal(readNotes(reader.doc).map((n) => n.text), ['first note', 'second note'])
  } finally { await t.close() }
})

test('clock gaps and missing dependencies are refused, not kept pending: many of them leave the document and the log as they were', async () => {
  const { t, say, conversationId } = await setup()
  try {
    const name = formatConversationName(conversationId)
    const witness = connectPeer(t.wsUrl, name, t.ownerToken)
    await witness.ready
    const doc = liveDoc(t, name)
    // A new client starting far ahead; an existing client skipping clocks.
    await expectRefused(t, name, gapUpdate(doc, 0x7fff_0001, 1, say('one ahead')), 4422, /skips clocks/)
    await expectRefused(t, name, gapUpdate(doc, 0x7fff_0002, 100_000, say('far ahead')), 4422, /skips clocks/)
    const [server] = serverClientsOf(doc, [witness.doc.clientID])
    await expectRefused(t, name, gapUpdate(doc, server as number, 5, say('server clock gap')), 4422, /skips clocks/)

    // An item placed after another client's item that nobody sent the server.
    const other = new Y.Doc()
    Y.applyUpdate(other, Y.encodeStateAsUpdate(doc))
    appendMessage(other, say('never sent'))
    const dependent = new Y.Doc()
    Y.applyUpdate(dependent, Y.encodeStateAsUpdate(other))
    appendMessage(dependent, say('depends on it'))
    await expectRefused(t, name, Y.encodeStateAsUpdate(dependent, Y.encodeStateVector(other)), 4422, /depends on clocks of client/)

    // Many at once, from several sockets: all refused, nothing pending, the server keeps serving.
    const sockets = Array.from({ length: 5 }, () => connectPeer(t.wsUrl, name, t.ownerToken))
    await Promise.all(sockets.map((s) => s.ready))
    sockets.forEach((socket, i) => { for (let k = 0; k < 40; k++) socket.socket.send(updateFrame(name, gapUpdate(doc, 0x6000_0000 + i * 100 + k, 1 + k, say(`gap ${i}.${k}`)))) })
    await Promise.all(sockets.map((s) => closedWith(s)))
    assert.is(doc.store.pendingStructs, null)
    assert.is((await api(t.url, 'GET', '/health')).status, 200)
    appendMessage(witness.doc, say('still here'))
    const fresh = connectPeer(t.wsUrl, name, t.ownerToken)
    await fresh.ready
    await waitFor(() => readMessages(fresh.doc).some((m) => m.text === 'still here'), 5000, 'a later message at a fresh client')
    assert.equal(readMessages(fresh.doc).map((m) => m.text), ['My card was charged twice', 'still here'])
  } finally { await t.close() }
})

test('deep nesting is refused with 4423 before it costs anything, and the server keeps serving', async () => {
  const { t, say, conversationId } = await setup()
  try {
    const internal = formatInternalName(conversationId)
    const witness = connectPeer(t.wsUrl, internal, t.ownerToken)
    await witness.ready
    for (const depth of [5, 1000, 4000]) {
      const attacker = new Y.Doc()
      Y.applyUpdate(attacker, Y.encodeStateAsUpdate(liveDoc(t, internal)))
      attacker.transact(() => {
        let level: Y.Map<unknown> = new Y.Map()
        getInternalDrafts(attacker).set('reply', level as unknown as Y.Text)
        for (let i = 1; i < depth; i++) { const inner = new Y.Map(); level.set('x', inner); level = inner }
      })
      await expectRefused(t, internal, Y.encodeStateAsUpdate(attacker, Y.encodeStateVector(liveDoc(t, internal))), 4423, /nests types|a draft/)
    }
    appendNote(witness.doc, say('served', 'note'))
    const fresh = connectPeer(t.wsUrl, internal, t.ownerToken)
    await fresh.ready
    await waitFor(() => readNotes(fresh.doc).some((n) => n.text === 'served'), 5000, 'a note written after the attacks')
  } finally { await t.close() }
})

test('a document whose log already holds pending state loads without it, and compaction drops it for good', async () => {
  const { t, say, conversationId } = await setup()
  try {
    const name = formatConversationName(conversationId)
    const reader = connectPeer(t.wsUrl, name, t.ownerToken)
    await reader.ready
    const doc = liveDoc(t, name)
    const poison = gapUpdate(doc, 0x7ab0_0001, 10, say('pending forever'))
    reader.destroy()
    await waitFor(() => !t.server.services.hocuspocus.documents.has(name), 10_000, 'the document to unload')
    // As a log written before the guard knew better would hold it.
    await t.server.updateLog.append(name, poison)
    const back = connectPeer(t.wsUrl, name, t.ownerToken)
    await back.ready
    const loaded = liveDoc(t, name)
    assert.is(loaded.store.pendingStructs, null)
    assert.equal(readMessages(back.doc).map((m) => m.text), ['My card was charged twice'])
    await t.server.durability.compact(loaded as Y.Doc & { name: string })
    const stored = await loadStoredDocument(t.server.services.db, name)
    const replayed = new Y.Doc()
    if (stored.snapshot) Y.applyUpdate(replayed, stored.snapshot.data)
    for (const entry of stored.updates) Y.applyUpdate(replayed, entry.data)
    assert.is(replayed.store.pendingStructs, null)
    assert.equal(readMessages(replayed).map((m) => m.text), ['My card was charged twice'])
  } finally { await t.close() }
})

test('an account that keeps sending refused updates is cut off (4429): its socket after 5, all its updates after 50, others unaffected', async () => {
  const { t, say, conversationId } = await setup({})
  try {
    const name = formatConversationName(conversationId)
    await api(t.url, 'POST', '/api/agents', { email: 'mallory@example.com', name: 'Mallory', password: 'mallory password 1', role: 'agent' }, t.ownerToken)
    const mallory = (await api(t.url, 'POST', '/api/auth/sign-in', { email: 'mallory@example.com', password: 'mallory password 1' })).body.token as string
    const bad = () => futureDeletes(0x7100_0000, 10, 5)

    // One socket, five refused updates (each on a new document connection): the socket is closed.
    const socket = new HostileSocket(t.wsUrl, name, mallory)
    await socket.open()
    const outcomes: Outcome[] = []
    while (socket.isOpen() && outcomes.length < 10) outcomes.push(await socket.send(bad()))
    assert.equal(outcomes.slice(0, 4).map((o) => o.kind), ['refused', 'refused', 'refused', 'refused'])
    assert.is(outcomes.length, 5)
    await waitFor(() => !socket.isOpen(), 5000, 'the socket to close')

    // Fifty in all: the account's next update, a valid one, is refused unread.
    for (let i = 5; i < 50; i++) {
      const peer = connectPeer(t.wsUrl, name, mallory)
      await peer.ready
      peer.socket.send(updateFrame(name, bad()))
      await closedWith(peer)
      peer.destroy()
    }
    const benched = connectPeer(t.wsUrl, name, mallory)
    await benched.ready
    appendMessage(benched.doc, { ...say('valid but benched'), author: { role: 'agent', id: 'whoever', name: 'Mallory' } })
    assert.is((await closedWith(benched)).code, 4429)

    // The owner writes as before.
    const owner = connectPeer(t.wsUrl, name, t.ownerToken)
    await owner.ready
    appendMessage(owner.doc, say('owner still writes'))
    await waitFor(() => readMessages(liveDoc(t, name)).some((m) => m.text === 'owner still writes'), 5000, "the owner's message on the server")
    assert.not.ok(readMessages(owner.doc).some((m) => m.text === 'valid but benched'))
  } finally { await t.close() }
})

test.run()
