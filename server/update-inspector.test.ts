import { test } from 'uvu'
import * as assert from 'uvu/assert'
import * as Y from 'yjs'
import { initConversation, updateMeta } from '../protocol/index.ts'
import { inspectUpdate } from './update-inspector.ts'
import { checkUpdate } from './update-policy.ts'

const agent = { kind: 'agent', workspaceId: 'ws1', agentId: 'a1', role: 'agent', name: 'Ann', tokenHash: 'h' } as const
const name = { kind: 'conversation', id: 'c1' } as const

test('a sync step 2 repeating changes the server already applied (a meta key set twice) is accepted', () => {
  const server = new Y.Doc()
  initConversation(server, { workspaceId: 'ws1', contact: { id: 'v1' }, status: 'waiting' })
  const client = new Y.Doc({ gc: false })
  Y.applyUpdate(client, Y.encodeStateAsUpdate(server))
  const before = Y.encodeStateVector(server)

  // Offline: one action that sets updatedAt twice (the second overwrites the first).
  client.transact(() => {
    updateMeta(client, { updatedAt: 1 })
    updateMeta(client, { priority: 'high', status: 'open', updatedAt: 2 })
  })
  const incremental = Y.encodeStateAsUpdate(client, before)
  checkUpdate(agent, name, server, inspectUpdate(server, incremental))
  Y.applyUpdate(server, incremental)

  // Reconnecting, the client answers the server's sync step 1 with everything since `before`.
  const step2 = Y.encodeStateAsUpdate(client, before)
  const inspection = inspectUpdate(server, step2)
  assert.equal(inspection.deletes, [])
  checkUpdate(agent, name, server, inspection)
  assert.is(server.getMap('meta').get('updatedAt'), 2)
})

test('deleting a meta key without setting it is still refused', () => {
  const server = new Y.Doc()
  initConversation(server, { workspaceId: 'ws1', contact: { id: 'v1' }, status: 'waiting' })
  const client = new Y.Doc()
  Y.applyUpdate(client, Y.encodeStateAsUpdate(server))
  const before = Y.encodeStateVector(server)
  client.getMap('meta').delete('updatedAt')
  assert.throws(() => checkUpdate(agent, name, server, inspectUpdate(server, Y.encodeStateAsUpdate(client, before))), /cannot be removed/)
})

test('inspection is linear: 20,000 levels of nesting are refused at once, with the depth named', () => {
  const server = new Y.Doc()
  const attacker = new Y.Doc()
  attacker.transact(() => {
    let level = attacker.getMap('drafts') as Y.Map<unknown>
    for (let i = 0; i < 20_000; i++) { const inner = new Y.Map(); level.set('x', inner); level = inner }
  })
  // Cubic before (depth 4,000 took 40 s); a linear pass answers in milliseconds.
  assert.throws(() => inspectUpdate(server, Y.encodeStateAsUpdate(attacker)), /nests types \d+ levels deep/)
})

test('a long burst typed offline (50,000 characters, each placed before the last) is inspected without overflow, all in its draft', () => {
  const server = new Y.Doc()
  const client = new Y.Doc()
  const text = new Y.Text()
  client.getMap('drafts').set('a1', text)
  Y.applyUpdate(server, Y.encodeStateAsUpdate(client))
  const before = Y.encodeStateVector(server)
  client.transact(() => { for (let i = 0; i < 50_000; i++) text.insert(0, 'x') })
  const inspection = inspectUpdate(server, Y.encodeStateAsUpdate(client, before))
  assert.ok(inspection.inserts.length > 0)
  assert.ok(inspection.inserts.every((insert) => insert.root === 'drafts' && insert.key === 'a1' && insert.nested))
})

test('a client written twice in one update (Yjs would keep only the last run) or clocks that do not follow on are malformed', () => {
  const server = new Y.Doc()
  const section = (doc: Y.Doc) => { const u = Y.encodeStateAsUpdate(doc); return [...u.slice(1, u.length - 1)] } // v1: [clients][section][empty delete set]
  const a = new Y.Doc()
  a.getArray('messages').push([1])
  const b = new Y.Doc()
  b.getArray('messages').push([2])
  inspectUpdate(server, Uint8Array.from([2, ...section(a), ...section(b), 0]))
  assert.throws(() => inspectUpdate(server, Uint8Array.from([3, ...section(a), ...section(b), ...section(a), 0])), /appears twice/)
  assert.throws(() => inspectUpdate(server, Uint8Array.from([2, ...section(a), ...section(a), 0])), /not consecutive/)
})

test.run()
