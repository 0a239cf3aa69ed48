import { test } from 'uvu'
import * as assert from 'uvu/assert'
import * as Y from 'yjs'
import { appendMessage, initConversation, type Message } from '../protocol/index.ts'
import { summarize } from './projection.ts'

const message = (id: string, role: Message['author']['role'], text: string, at: number): Message =>
  ({ id, author: { role, id: role, name: role }, kind: 'message', text, attachments: [], createdAt: at })

test('the inbox row shows the customer\'s last words (not the bot\'s handover or our reply) and a stable visitor name', () => {
  const doc = new Y.Doc()
  initConversation(doc, { workspaceId: 'w1', contact: { id: 'visitor-42' }, status: 'waiting' })
  appendMessage(doc, message('m1', 'customer', 'My invoice is wrong', 1))
  appendMessage(doc, message('m2', 'system', "I'm handing this conversation to a person from our team", 2))
  const entry = summarize('c1', doc)!
  assert.is(entry.preview, 'My invoice is wrong')
  assert.match(entry.contactName, /^Visitor #\d{4}$/)
  assert.is(summarize('c1', doc)!.contactName, entry.contactName)
  assert.is(entry.lastMessageAuthor, 'system', 'who wrote last is still told apart (notifications use it)')

  appendMessage(doc, message('m3', 'agent', 'Looking into it', 3))
  appendMessage(doc, message('m4', 'customer', 'Thanks!', 4))
  assert.is(summarize('c1', doc)!.preview, 'Thanks!')
})

test('a conversation the customer has not written in yet previews its last message', () => {
  const doc = new Y.Doc()
  initConversation(doc, { workspaceId: 'w1', contact: { id: 'v', name: 'Vera' }, status: 'open' })
  appendMessage(doc, message('m1', 'agent', 'Hello from support', 1))
  const entry = summarize('c1', doc)!
  assert.is(entry.preview, 'Hello from support')
  assert.is(entry.contactName, 'Vera')
})

test.run()
