/** The inspector's `resendsDeleted`: an old copy of erased content is told apart from ordinary sync traffic. */
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import * as Y from 'yjs'
import { getMessages, type Message } from '../../protocol/index.ts'
import { inspectUpdate } from '../update-inspector.ts'
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

  // The offline copy's whole state, sent again: flagged.
  assert.ok(inspectUpdate(server, Y.encodeStateAsUpdate(offline)).resendsDeleted)
  // What a returning client's sync step 2 holds (the diff against the server's state vector): not flagged, and empty.
  const step2 = Y.encodeStateAsUpdate(offline, Y.encodeStateVector(server))
  const inspection = inspectUpdate(server, step2)
  assert.not.ok(inspection.resendsDeleted)
  assert.ok(inspection.empty)
  // An agent's new message: not flagged.
  const agent = new Y.Doc()
  Y.applyUpdate(agent, Y.encodeStateAsUpdate(server))
  const before = Y.encodeStateVector(agent)
  getMessages(agent).push([say('m-3', 'hello', 'agent')])
  assert.not.ok(inspectUpdate(server, Y.encodeStateAsUpdate(agent, before)).resendsDeleted)
})

test.run()
