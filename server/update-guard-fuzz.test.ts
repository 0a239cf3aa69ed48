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
import { appendMessage, createId, formatConversationName, getInternalDrafts, getMessages, getMeta, readMessages, type Message } from '../protocol/index.ts'
import { RawPeer } from '../bench/lib/raw-peer.ts'
import { api, connectPeer, startTestServer, startVisitorConversation, waitFor } from './test-kit.ts'

const FRAMES = Number(process.env.FUZZ_FRAMES ?? 2000)
const BATCH = 300
const SOCKETS = 8
const seed = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31))

/** mulberry32: small, seedable, good enough to pick mutations. */
function random(seedValue: number): () => number {
  let a = seedValue >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

test(`fuzzed updates never stall the server, break a witness or lose an acknowledged message (seed ${seed})`, async () => {
  const rand = random(seed)
  const int = (n: number) => Math.floor(rand() * n)
  const t = await startTestServer()
  try {
    const agentId = (await api(t.url, 'GET', '/api/auth/me', undefined, t.ownerToken)).body.agent.id as string
    const { visitorToken, conversationId } = await startVisitorConversation(t, 'Vera', { id: 'customer-first', text: 'first question' })
    const name = formatConversationName(conversationId)
    const witness = connectPeer(t.wsUrl, name, t.ownerToken)
    await witness.ready
    const acknowledged = new Set<string>(['first question'])
    const say = (text: string): Message => ({ id: createId('m'), author: { role: 'agent', id: agentId, name: 'Owner' }, kind: 'message', text, attachments: [], createdAt: Date.now() })

    /** One frame: a real update of some kind, then perhaps mutated at the byte level. */
    const makeFrame = (): Uint8Array => {
      const base = witness.doc
      const sv = Y.encodeStateVector(base)
      const fork = new Y.Doc()
      Y.applyUpdate(fork, Y.encodeStateAsUpdate(base))
      const clients = [...base.store.clients.keys()]
      let update: Uint8Array
      switch (int(6)) {
        case 0: appendMessage(fork, say(`fuzz ${int(1e9)}`)); update = Y.encodeStateAsUpdate(fork, sv); break
        case 1: getMeta(fork).set('priority', ['high', 'low', 'normal', 'urgent'][int(4)] as 'high'); update = Y.encodeStateAsUpdate(fork, sv); break
        case 2: { // clocks moved ahead: the update skips clocks
          const client = clients.length && rand() < 0.5 ? clients[int(clients.length)] as number : 1 + int(2 ** 30)
          const from = Y.getState(fork.store, client)
          fork.clientID = client
          const gap = 1 + int(2 ** int(20))
          fork.getArray('filler').push(Array.from({ length: Math.min(gap, 5000) }, () => 0))
          appendMessage(fork, say('ahead'))
          update = Y.diffUpdate(Y.encodeStateAsUpdate(fork, sv), Y.encodeStateVector(new Map([...Y.decodeStateVector(sv), [client, from + Math.min(gap, 5000)]])))
          break
        }
        case 3: { // a delete set over ranges the server may not have, of any client
          const client = clients.length && rand() < 0.7 ? clients[int(clients.length)] as number : 1 + int(2 ** 30)
          const fake = new Y.Doc()
          fake.clientID = client
          const have = Y.getState(base.store, client)
          const from = Math.max(0, have - int(3)) + int(50)
          const count = 1 + int(100)
          fake.getArray('junk').push(Array.from({ length: from + count }, () => 0))
          fake.getArray('junk').delete(from, count)
          update = Y.diffUpdate(Y.encodeStateAsUpdate(fake), Y.encodeStateVector(fake))
          break
        }
        case 4: { // nesting, from shallow to very deep, in any root
          const depth = 1 + int(2 ** (1 + int(12)))
          fork.transact(() => {
            let level = (rand() < 0.5 ? fork.getMap('streams') : getInternalDrafts(fork)) as unknown as Y.Map<unknown>
            for (let i = 0; i < depth; i++) { const inner = new Y.Map(); level.set('k', inner); level = inner }
          })
          update = Y.encodeStateAsUpdate(fork, sv)
          break
        }
        default: { // a valid update sent twice, or merged with an old one
          appendMessage(fork, say('merged'))
          update = Y.mergeUpdates([Y.encodeStateAsUpdate(fork, sv), Y.encodeStateAsUpdate(fork)])
        }
      }
      if (rand() < 0.5) {
        const bytes = update.slice()
        switch (int(3)) {
          case 0: return bytes.slice(0, int(bytes.length))
          case 1: { for (let i = 0, n = 1 + int(4); i < n; i++) { const at = int(bytes.length); bytes[at] = (bytes[at] as number) ^ (1 << int(8)) }; return bytes }
          default: { const at = int(bytes.length); return Uint8Array.from([...bytes.slice(0, at), int(256), ...bytes.slice(at)]) }
        }
      }
      return update
    }

    /** Sends one frame on a fresh document connection and waits for its answer: an ack or a close. */
    const sendFrame = async (frame: Uint8Array) => {
      let settle!: () => void
      const answered = new Promise<void>((resolve) => { settle = resolve })
      const peer = new RawPeer({ url: t.wsUrl, protocol: 'hocuspocus', name, token: t.ownerToken, onAck: (_ms, _applied) => settle(), onDocumentClose: () => settle(), onClose: () => settle() })
      await peer.connect()
      peer.sendUpdate(frame)
      await answered
      peer.close()
    }

    let sent = 0
    while (sent < FRAMES) {
      const frames = Array.from({ length: BATCH }, makeFrame)
      sent += frames.length
      await Promise.all(Array.from({ length: SOCKETS }, async () => { for (let f = frames.shift(); f; f = frames.shift()) await sendFrame(f) }))

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
