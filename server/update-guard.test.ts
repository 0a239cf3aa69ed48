import { test } from 'uvu'
import * as assert from 'uvu/assert'
import * as Y from 'yjs'
import { appendMessage, createId, formatConversationName, getMessages, getMeta, parseCloseReason, readMessages, readMeta, type Message } from '../protocol/index.ts'
import { api, connectPeer, updateFrame, startTestServer, startVisitorConversation, waitFor, type Peer, type TestServer } from './test-kit.ts'

async function setup(env: Record<string, string> = {}) {
  const t = await startTestServer({ env })
  const agentId = (await api(t.url, 'GET', '/api/auth/me', undefined, t.ownerToken)).body.agent.id as string
  const { conversationId } = await startVisitorConversation(t, 'Vera', { id: 'customer-msg-1', text: 'My card was charged twice' })
  const name = formatConversationName(conversationId)
  const writer = connectPeer(t.wsUrl, name, t.ownerToken)
  const witness = connectPeer(t.wsUrl, name, t.ownerToken)
  await Promise.all([writer.ready, witness.ready])
  const say = (text: string): Message => ({ id: createId('m'), author: { role: 'agent', id: agentId, name: 'Owner' }, kind: 'message', text, attachments: [], createdAt: Date.now() })
  return { t, agentId, name, writer, witness, say }
}

const closedWith = (peer: Peer) => waitFor(() => peer.closes.map((c) => parseCloseReason(c.reason ?? '')).find(Boolean), 5000, 'the document connection to be closed')

/** The server kept serving: a fresh peer can write and the witness sees it. */
async function stillServing(t: TestServer, name: string, witness: Peer, say: (text: string) => Message) {
  const fresh = connectPeer(t.wsUrl, name, t.ownerToken)
  await fresh.ready
  appendMessage(fresh.doc, say('still here'))
  await waitFor(() => readMessages(witness.doc).some((m) => m.text === 'still here'), 5000, 'a later message to reach the witness')
  return fresh
}

test('an agent\'s change that deletes a sent message is refused and changes nothing', async () => {
  const { t, name, writer, witness, say } = await setup()
  try {
    getMessages(writer.doc).delete(0, 1)
    assert.equal(await closedWith(writer), { code: 4424, name: 'history-rewrite', detail: 'a sent message cannot be deleted or rewritten; add an edit or a redaction that refers to it' })
    const fresh = await stillServing(t, name, witness, say)
    assert.equal(readMessages(fresh.doc).map((m) => m.text), ['My card was charged twice', 'still here'])
  } finally { await t.close() }
})

test('rewriting a sent message (delete and insert a changed copy) is refused', async () => {
  const { t, name, writer, witness, say } = await setup()
  try {
    writer.doc.transact(() => {
      const messages = getMessages(writer.doc)
      const original = messages.get(0)
      messages.delete(0, 1)
      messages.insert(0, [{ ...original, text: 'I was never charged' }])
    })
    assert.is((await closedWith(writer)).name, 'history-rewrite')
    const fresh = await stillServing(t, name, witness, say)
    assert.is(readMessages(fresh.doc)[0]?.text, 'My card was charged twice')
  } finally { await t.close() }
})

test('schema violations are refused with a clear reason: a message over 10,000 characters, a bad status, a server-only field, an unknown part', async () => {
  const cases: [string, (doc: Y.Doc, say: (text: string) => Message) => void, string][] = [
    ['too long', (doc, say) => { getMessages(doc).push([say('x'.repeat(10_001))]) }, 'message.text: must be at most 10000 characters'],
    ['bad status', (doc) => { getMeta(doc).set('status', 'deleted') }, 'meta.status'],
    ['server-only', (doc) => { getMeta(doc).set('workspaceId', 'someone-else') }, 'meta.workspaceId is set by the server only'],
    ['impersonation', (doc, say) => { getMessages(doc).push([{ ...say('hi'), author: { role: 'customer', id: 'c', name: 'C' } }]) }, 'an agent writes as themselves'],
    ['unknown part', (doc) => { doc.getMap('secrets').set('a', 1) }, 'unknown part "secrets"'],
    ['note in the customer\'s document', (doc, say) => { getMessages(doc).push([{ ...say('internal only'), kind: 'note' }]) }, 'notes go to the internal document'],
    ['draft in the customer\'s document', (doc) => { doc.getMap('drafts').set('reply', new Y.Text('hi')) }, 'unknown part "drafts"'],
  ]
  for (const [label, change, expected] of cases) {
    const { t, name, writer, witness, say } = await setup()
    try {
      change(writer.doc, say)
      const closed = await closedWith(writer)
      assert.is(closed.code, 4423, label)
      assert.ok(closed.detail.includes(expected), `${label}: ${closed.detail}`)
      const fresh = await stillServing(t, name, witness, say)
      assert.is(readMeta(fresh.doc).status, 'bot', label)
      assert.is(readMeta(fresh.doc).workspaceId, t.workspaceId, label)
      assert.equal(readMessages(fresh.doc).map((m) => m.text), ['My card was charged twice', 'still here'], label)
    } finally { await t.close() }
  }
})

test('edits made offline merge on reconnect, including meta values overwritten while offline', async () => {
  const { t, name, writer, witness, say } = await setup()
  try {
    const offline = new Y.Doc()
    Y.applyUpdate(offline, Y.encodeStateAsUpdate(writer.doc))
    writer.destroy()
    getMeta(offline).set('priority', 'high')
    getMeta(offline).set('priority', 'low')
    appendMessage(offline, say('written offline'))
    const back = connectPeer(t.wsUrl, name, t.ownerToken, offline)
    await back.ready
    await waitFor(() => readMeta(witness.doc).priority === 'low' && readMessages(witness.doc).some((m) => m.text === 'written offline'), 5000, 'the offline edits at the witness')
    assert.is(back.closes.length, 0)
  } finally { await t.close() }
})

test('a malformed Yjs update is refused, changes nothing, and other clients keep being served', async () => {
  const { t, name, writer, witness, say } = await setup()
  try {
    const valid = Y.encodeStateAsUpdate((() => { const d = new Y.Doc(); getMessages(d).push([say('smuggled')]); return d })())
    const torn = valid.slice(0, Math.floor(valid.length / 2))
    writer.socket.send(updateFrame(name, torn))
    assert.is((await closedWith(writer)).name, 'malformed-update')
    const fresh = await stillServing(t, name, witness, say)
    assert.equal(readMessages(fresh.doc).map((m) => m.text), ['My card was charged twice', 'still here'])
  } finally { await t.close() }
})

test('a frame over the size limit is refused by the socket (1009) and other clients keep being served', async () => {
  const { t, name, writer, witness, say } = await setup({ MAX_FRAME_BYTES: String(64 * 1024) })
  try {
    const closed = new Promise<number>((resolve) => writer.socket.on('close', ({ event }: { event: { code: number } }) => resolve(event.code)))
    writer.socket.send(updateFrame(name, new Uint8Array(100 * 1024)))
    assert.is(await closed, 1009)
    const fresh = await stillServing(t, name, witness, say)
    assert.equal(readMessages(fresh.doc).map((m) => m.text), ['My card was charged twice', 'still here'])
  } finally { await t.close() }
})

test.run()
