/** The inspector's `resentDeleted` and the policy's `checkResent`: an old copy of erased content is told apart from ordinary sync traffic. */
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import * as Y from 'yjs'
import { getMessages, type Message } from '../../protocol/index.ts'
import { inspectUpdate } from '../update-inspector.ts'
import { checkResent } from '../update-policy.ts'
import { eraseConversationDocument } from './erase-document.ts'

const say = (id: string, text: string, role: 'customer' | 'agent' = 'customer'): Message => ({ id, author: { role, id: role === 'customer' ? 'k1' : 'a1', name: 'N' }, kind: 'message', text, attachments: [], createdAt: 1 })

test('an update carrying content the server erased is flagged; ordinary updates and sync steps are not', () => {
  const server = new Y.Doc()
  getMessages(server).push([say('m-1', 'secret words'), say('m-2', 'more secrets')])
  const offline = new Y.Doc()
  Y.applyUpdate(offline, Y.encodeStateAsUpdate(server))
  server.transact(() => eraseConversationDocument(server, 'k1', ['secret words']))
  assert.not.ok(JSON.stringify(getMessages(server).toArray()).includes('secret'))
  assert.not.ok(new TextDecoder().decode(Y.encodeStateAsUpdate(server)).includes('secret'), 'the erased text is gone from the encoded state')

  const name = { kind: 'conversation', id: 'c1' } as const
  // The offline copy's whole state, sent again: flagged where the erased messages were, and refused.
  const resent = inspectUpdate(server, Y.encodeStateAsUpdate(offline))
  assert.ok(resent.resentDeleted.some((place) => place.root === 'messages'))
  assert.throws(() => checkResent(name, resent), /erased/)
  // What a returning client's sync step 2 holds (the diff against the server's state vector): not flagged, and empty.
  const step2 = Y.encodeStateAsUpdate(offline, Y.encodeStateVector(server))
  const inspection = inspectUpdate(server, step2)
  assert.equal(inspection.resentDeleted, [])
  assert.ok(inspection.empty)
  // An agent's new message: not flagged.
  const agent = new Y.Doc()
  Y.applyUpdate(agent, Y.encodeStateAsUpdate(server))
  const before = Y.encodeStateVector(agent)
  getMessages(agent).push([say('m-3', 'hello', 'agent')])
  assert.equal(inspectUpdate(server, Y.encodeStateAsUpdate(agent, before)).resentDeleted, [])
})

test('an overwritten meta value sent again is not refused (Yjs skips it; nothing was erased)', () => {
  const server = new Y.Doc()
  server.getMap('meta').set('priority', 'high')
  const old = new Y.Doc()
  Y.applyUpdate(old, Y.encodeStateAsUpdate(server))
  server.getMap('meta').set('priority', 'low')
  const inspection = inspectUpdate(server, Y.encodeStateAsUpdate(old))
  assert.ok(inspection.resentDeleted.some((place) => place.root === 'meta' && place.key === 'priority'))
  checkResent({ kind: 'conversation', id: 'c1' }, inspection)
})

test.run()
