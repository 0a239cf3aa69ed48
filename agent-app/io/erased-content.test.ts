import { test } from 'uvu'
import * as assert from 'uvu/assert'
import * as Y from 'yjs'
import { getMessages, type Message } from '../../protocol/index.ts'
import { eraseConversationDocument } from '../../server/privacy/erase-document.ts'
import { dropErasedContent } from './erased-content.ts'

const say = (id: string, text: string): Message => ({ id, author: { role: 'customer', id: 'k1', name: 'Nell' }, kind: 'message', text, attachments: [], createdAt: 1 })
const holds = (doc: Y.Doc, text: string) => new TextDecoder().decode(Y.encodeStateAsUpdate(doc)).includes(text)

test('an erase that reaches an agent device (gc off) leaves no copy of the text once dropped', () => {
  const server = new Y.Doc()
  getMessages(server).push([say('m-1', 'NELLSECRET one'), say('m-2', 'two')])
  const device = new Y.Doc({ gc: false })
  Y.applyUpdate(device, Y.encodeStateAsUpdate(server))
  server.on('update', (update: Uint8Array) => Y.applyUpdate(device, update))
  server.transact(() => eraseConversationDocument(server, 'k1', []))
  assert.equal(getMessages(device).toArray().map((m) => m.text), ['[erased]', '[erased]'])
  assert.ok(holds(device, 'NELLSECRET'), 'with gc off the device still holds it')
  assert.ok(dropErasedContent(device))
  assert.not.ok(holds(device, 'NELLSECRET'))
  assert.not.ok(dropErasedContent(device), 'nothing left to drop')
  // The device still syncs with the server: same state.
  assert.equal(Y.encodeStateVector(device), Y.encodeStateVector(server))
})

test.run()
