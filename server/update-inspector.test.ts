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
    updateMeta(client, { assignee: 'a1', status: 'open', updatedAt: 2 })
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

test.run()
