import { test } from 'uvu'
import * as Y from 'yjs'
import * as assert from 'uvu/assert'
import { appendMessage, createId, formatConversationName, formatInboxName, getInboxEntries, readMessages, type Message } from '../protocol/index.ts'
import { listMessages } from '../db/message.repository.ts'
import { testDialects } from '../db/test-databases.ts'
import { api, connectPeer, startTestServer, startVisitorConversation, waitFor } from './test-kit.ts'

const agentMessage = (agentId: string, text: string, kind: Message['kind'] = 'message'): Message => ({
  id: createId('m'), author: { role: 'agent', id: agentId, name: 'Owner' }, kind, text, attachments: [], createdAt: Date.now(),
})

for (const dialect of testDialects()) {
  test(`${dialect}: two peers on one conversation see each other's messages, and the projection rows appear`, async () => {
    const t = await startTestServer({ dialect })
    try {
      const me = await api(t.url, 'GET', '/api/auth/me', undefined, t.ownerToken)
      const agentId = me.body.agent.id
      const { conversationId } = await startVisitorConversation(t, 'Vera', { id: 'first-message-1', text: 'Hello, my export is stuck' })
      const name = formatConversationName(conversationId)
      const a = connectPeer(t.wsUrl, name, t.ownerToken)
      const b = connectPeer(t.wsUrl, name, t.ownerToken)
      await Promise.all([a.ready, b.ready])
      assert.equal(readMessages(b.doc).map((m) => m.text), ['Hello, my export is stuck'])

      appendMessage(a.doc, agentMessage(agentId, 'Looking into it now'))
      appendMessage(b.doc, agentMessage(agentId, 'We will check the export queue'))
      await waitFor(() => readMessages(b.doc).length === 3 && readMessages(a.doc).length === 3, 5000, 'both peers to hold 3 messages')
      assert.equal(new Set(readMessages(a.doc).map((m) => m.text)), new Set(readMessages(b.doc).map((m) => m.text)))

      const rows = await waitFor(async () => {
        const r = await listMessages(t.server.services.db, conversationId)
        return r.length === 3 ? r : null
      }, 5000, 'projected rows')
      assert.equal(rows.map((r) => r.text), readMessages(a.doc).map((m) => m.text))
      const list = await api(t.url, 'GET', '/api/conversations', undefined, t.ownerToken)
      assert.is(list.body.items[0].id, conversationId)
      assert.ok(list.body.items[0].widgetId, 'the conversation knows the widget it came from')
      assert.is(list.body.items[0].messageCount, 3)
      const found = await api(t.url, 'GET', '/api/search?q=export%20queue', undefined, t.ownerToken)
      assert.equal(found.body.items.map((m: { text: string }) => m.text), ['We will check the export queue'])
      a.destroy(); b.destroy()
    } finally { await t.close() }
  })

  test(`${dialect}: a message that arrives late but belongs earlier moves the rows after it: SQL keeps the document's order`, async () => {
    const t = await startTestServer({ dialect })
    try {
      const agentId = (await api(t.url, 'GET', '/api/auth/me', undefined, t.ownerToken)).body.agent.id
      const { conversationId } = await startVisitorConversation(t, 'Vera', { id: 'first-message-1', text: 'Hello' })
      const name = formatConversationName(conversationId)
      // Two agents write "at the same time" after Hello; B was offline, so its message arrives
      // after A's was projected. Yjs puts the lower client id first: B's message goes before A's.
      const online = new Y.Doc()
      online.clientID = 2_000_000_000
      const a = connectPeer(t.wsUrl, name, t.ownerToken, online)
      await a.ready
      const offline = new Y.Doc()
      offline.clientID = 1
      Y.applyUpdate(offline, Y.encodeStateAsUpdate(online))
      appendMessage(offline, agentMessage(agentId, 'from B, written first'))
      appendMessage(online, agentMessage(agentId, 'from A'))
      await waitFor(async () => (await listMessages(t.server.services.db, conversationId)).length === 2, 5000, "A's message projected")
      const b = connectPeer(t.wsUrl, name, t.ownerToken, offline)
      await b.ready
      await waitFor(() => readMessages(online).length === 3, 5000, "B's message reaching A")
      assert.equal(readMessages(online).map((m) => m.text), ['Hello', 'from B, written first', 'from A'])
      const rows = await waitFor(async () => {
        const r = await listMessages(t.server.services.db, conversationId)
        return r.length === 3 && r.at(-1)?.text === 'from A' ? r : null
      }, 5000, 'the rows in the document order')
      assert.equal(rows.map((r) => [r.text, r.seq]), [['Hello', 0], ['from B, written first', 1], ['from A', 2]])
      a.destroy(); b.destroy()
    } finally { await t.close() }
  })

  test(`${dialect}: the customer send path appends once per message id, reopens, and updates the inbox live`, async () => {
    const t = await startTestServer({ dialect })
    try {
      const { visitorToken, conversationId } = await startVisitorConversation(t)
      const inbox = connectPeer(t.wsUrl, formatInboxName(t.workspaceId), t.ownerToken)
      await inbox.ready
      const send = (id: string, text: string) => api(t.url, 'POST', `/api/widget/conversations/${conversationId}/messages`, { id, text }, visitorToken)
      const first = await send('msg-00000001', 'Where is my invoice?')
      assert.is(first.status, 201)
      const again = await send('msg-00000001', 'Where is my invoice?')
      assert.is(again.status, 200)
      assert.is(again.body.duplicate, true)
      const tooLong = await send('msg-00000002', 'x'.repeat(10_001))
      assert.is(tooLong.status, 400)
      assert.is(tooLong.body.error.field, 'text')

      // The entry exists from the conversation's creation on; the preview follows with the
      // projection's next batch. Wait for the preview itself, not for the entry.
      const entry = await waitFor(() => {
        const e = getInboxEntries(inbox.doc).get(conversationId)
        return e?.preview === 'Where is my invoice?' ? e : null
      }, 5000, 'the inbox preview of the first message')
      assert.is(entry.contactName, 'Vera Visitor')

      // Over the socket as a stateless message: same path, same idempotency.
      const visitor = connectPeer(t.wsUrl, formatConversationName(conversationId), visitorToken)
      await visitor.ready
      const results: any[] = []
      visitor.provider.on('stateless', ({ payload }: { payload: string }) => results.push(JSON.parse(payload)))
      for (let i = 0; i < 2; i++) visitor.provider.sendStateless(JSON.stringify({ type: 'customer-message', message: { id: 'msg-00000003', text: 'Sent over the socket' } }))
      await waitFor(() => results.filter((r) => r.type === 'customer-message-result').length === 2, 5000, 'two results')
      assert.equal(results.filter((r) => r.type === 'customer-message-result').map((r) => r.duplicate), [false, true])
      await waitFor(() => readMessages(visitor.doc).length === 2, 5000, 'visitor sees both messages')
      assert.equal(readMessages(visitor.doc).map((m) => m.text), ['Where is my invoice?', 'Sent over the socket'])
      await waitFor(() => getInboxEntries(inbox.doc).get(conversationId)?.messageCount === 2, 5000, 'inbox count 2')
      inbox.destroy(); visitor.destroy()
    } finally { await t.close() }
  })
}

test.run()
