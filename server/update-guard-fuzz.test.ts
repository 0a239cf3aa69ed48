/**
 * Fuzzes the update guard through real sockets (issue 10): real updates made with Yjs, then
 * truncated, bit-flipped, moved to other clients and clocks, given delete sets over unknown
 * ranges, or nested deep. After every batch: /health answers within a second, a witness still
 * syncs, and no acknowledged message has disappeared (live, and replayed from what is stored).
 * Bounded (a few thousand frames); the seed is printed so a failure can be replayed with FUZZ_SEED.
 */
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import * as Y from 'yjs'
import { loadStoredDocument } from '../db/doc-log.repository.ts'
import { appendMessage, createId, formatConversationName, getMessages, readMessages, type Message } from '../protocol/index.ts'
import { makeHostileUpdate, seededRandom } from '../bench/lib/hostile-updates.ts'
import { HostileSocket } from '../bench/lib/hostile-socket.ts'
import { api, connectPeer, startTestServer, startVisitorConversation, waitFor } from './test-kit.ts'

const FRAMES = Number(process.env.FUZZ_FRAMES ?? 2000)
const BATCH = 300
const SOCKETS = 8
const seed = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31))
// Printed first: a crash (out of memory, say) ends the process before uvu prints the test's name.
console.log(`fuzz seed ${seed} (replay with FUZZ_SEED=${seed})`)

test(`fuzzed updates never stall the server, break a witness or lose an acknowledged message (seed ${seed})`, async () => {
  const rand = seededRandom(seed)
  // Every frame inspected: the strike limits (tested in update-guard-attacks.test.ts) would refuse most unread.
  const t = await startTestServer({ env: { REFUSED_UPDATES_PER_SOCKET: '1000000', REFUSED_UPDATES_PER_ACCOUNT: '1000000' } })
  try {
    const agentId = (await api(t.url, 'GET', '/api/auth/me', undefined, t.ownerToken)).body.agent.id as string
    const { visitorToken, conversationId } = await startVisitorConversation(t, 'Vera', { id: 'customer-first', text: 'first question' })
    const name = formatConversationName(conversationId)
    const witness = connectPeer(t.wsUrl, name, t.ownerToken)
    await witness.ready
    const acknowledged = new Set<string>(['first question'])
    const say = (text: string): Message => ({ id: createId('m'), author: { role: 'agent', id: agentId, name: 'Owner' }, kind: 'message', text, attachments: [], createdAt: Date.now() })

    const makeFrame = () => makeHostileUpdate(witness.doc, rand, say)

    /** Frames go out on SOCKETS sockets, each frame on its own document connection (a refusal closes it). */
    const sockets = await Promise.all(Array.from({ length: SOCKETS }, async () => { const s = new HostileSocket(t.wsUrl, name, t.ownerToken); await s.open(); return s }))
    const sendFrame = async (socket: HostileSocket, frame: Uint8Array) => {
      if (!socket.isOpen()) await socket.open()
      await socket.send(frame)
    }

    let sent = 0
    while (sent < FRAMES) {
      const frames = Array.from({ length: BATCH }, makeFrame)
      sent += frames.length
      await Promise.all(sockets.map(async (socket) => { for (let f = frames.shift(); f; f = frames.shift()) await sendFrame(socket, f) }))

      const health = await fetch(`${t.url}/health`, { signal: AbortSignal.timeout(1000) })
      assert.is(health.status, 200, `seed ${seed}: /health after ${sent} frames`)
      const customer = `customer after ${sent}`
      const posted = await api(t.url, 'POST', `/api/widget/conversations/${conversationId}/messages`, { id: createId('m'), text: customer }, visitorToken)
      assert.is(posted.status, 201, `seed ${seed}: ${JSON.stringify(posted.body)}`)
      acknowledged.add(customer)
      const agent = `witness after ${sent}`
      appendMessage(witness.doc, say(agent))
      await waitFor(() => witness.provider.unsyncedChanges === 0 && readMessages(witness.doc).some((m) => m.text === customer), 5000, `seed ${seed}: the witness to sync after ${sent} frames`)
      acknowledged.add(agent)
      const live = t.server.services.hocuspocus.documents.get(name) as Y.Doc
      assert.is(live.store.pendingStructs, null, `seed ${seed}: pending structs after ${sent} frames`)
      assert.is(live.store.pendingDs, null, `seed ${seed}: pending deletes after ${sent} frames`)
      const texts = new Set(readMessages(live).map((m) => m.text))
      for (const text of acknowledged) assert.ok(texts.has(text), `seed ${seed}: "${text}" disappeared after ${sent} frames`)
    }

    for (const socket of sockets) socket.close()
    // What is stored replays to the same: every acknowledged message, nothing pending.
    await waitFor(async () => {
      const stored = await loadStoredDocument(t.server.services.db, name)
      const replayed = new Y.Doc()
      if (stored.snapshot) Y.applyUpdate(replayed, stored.snapshot.data)
      for (const entry of stored.updates) Y.applyUpdate(replayed, entry.data)
      const texts = new Set(readMessages(replayed).map((m) => m.text))
      return replayed.store.pendingStructs === null && replayed.store.pendingDs === null && [...acknowledged].every((text) => texts.has(text))
    }, 10_000, `seed ${seed}: the stored document to hold every acknowledged message`)
    assert.ok(getMessages(witness.doc).length >= acknowledged.size)
  } finally { await t.close() }
})

test.run()
