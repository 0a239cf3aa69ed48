// The SLA part of the rebuild (due times, breaches, with the routing rows lost too) is tested on a test clock in server/routing/sla.test.ts.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { appendMessage, createId, formatConversationName } from '../protocol/index.ts'
import { listMessages } from '../db/message.repository.ts'
import { getConversation } from '../db/conversation.repository.ts'
import { rebuildProjection } from './rebuild-projection.ts'
import { api, connectPeer, startTestServer, startVisitorConversation, waitFor } from './test-kit.ts'

test('the projection is rebuilt from the documents after its rows are lost', async () => {
  const t = await startTestServer()
  try {
    const agentId = (await api(t.url, 'GET', '/api/auth/me', undefined, t.ownerToken)).body.agent.id
    const { conversationId } = await startVisitorConversation(t, 'Vera', { id: 'customer-msg-1', text: 'Where is my invoice?' })
    const peer = connectPeer(t.wsUrl, formatConversationName(conversationId), t.ownerToken)
    await peer.ready
    appendMessage(peer.doc, { id: createId('m'), author: { role: 'agent', id: agentId, name: 'Owner' }, kind: 'message', text: 'Sent it again just now', attachments: [], createdAt: Date.now() })
    await waitFor(() => peer.provider.unsyncedChanges === 0, 5000, 'the acknowledgement')
    peer.destroy()
    const db = t.server.services.db
    await waitFor(async () => (await listMessages(db, conversationId)).length === 2, 5000, 'the first projection')

    // The SQL side is lost (a bad migration, a restore of an old backup…).
    await db.kysely.deleteFrom('messages').execute()
    await db.kysely.updateTable('conversations').set({ message_count: 0, preview: '' }).execute()
    assert.is((await listMessages(db, conversationId)).length, 0)

    assert.is(await rebuildProjection(db), 1)
    assert.equal((await listMessages(db, conversationId)).map((m) => m.text), ['Where is my invoice?', 'Sent it again just now'])
    const row = await getConversation(db, conversationId)
    assert.is(row?.message_count, 2)
    assert.is(row?.preview, 'Where is my invoice?', "the preview is the customer's last words, not our reply (issue 17)")
    assert.equal((await api(t.url, 'GET', '/api/search?q=invoice', undefined, t.ownerToken)).body.items.map((m: { text: string }) => m.text), ['Where is my invoice?'])
  } finally { await t.close() }
})

test.run()
