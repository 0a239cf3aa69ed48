import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { formatConversationName, getMeta, readMessages, readMeta } from '../protocol/index.ts'
import { getConversation } from '../db/conversation.repository.ts'
import { wakeDueSnoozed } from './snooze-waker.ts'
import { api, connectPeer, startTestServer, startVisitorConversation, waitFor } from './test-kit.ts'

test('a snoozed conversation comes back to the queue when its time comes, once', async () => {
  const t = await startTestServer()
  try {
    await api(t.url, 'PUT', '/api/settings/ai', { enabled: false, persona: '', greeting: '', confidenceThreshold: 0.5, businessHours: null }, t.ownerToken)
    const { conversationId } = await startVisitorConversation(t, 'Vera', { id: 'customer-msg-1', text: 'Ping me next week' })
    const agent = connectPeer(t.wsUrl, formatConversationName(conversationId), t.ownerToken)
    await agent.ready
    const until = Date.now() + 60_000
    agent.doc.transact(() => { getMeta(agent.doc).set('status', 'snoozed'); getMeta(agent.doc).set('snoozedUntil', until) })
    const db = t.server.services.db
    await waitFor(async () => (await getConversation(db, conversationId))?.snoozed_until === until, 5000, 'the snooze in SQL')

    assert.is(await wakeDueSnoozed(t.server.services, until - 1), 0, 'not yet')
    assert.is(readMeta(agent.doc).status, 'snoozed')
    assert.is(await wakeDueSnoozed(t.server.services, until + 1), 1)
    await waitFor(() => readMeta(agent.doc).status === 'waiting', 5000, 'the conversation back in the queue')
    assert.is(readMeta(agent.doc).snoozedUntil, null)
    assert.is(readMessages(agent.doc).at(-1)?.kind, 'event')
    await waitFor(async () => (await getConversation(db, conversationId))?.status === 'waiting', 5000, 'SQL to follow')
    assert.is(await wakeDueSnoozed(t.server.services, until + 2), 0, 'woken once')
  } finally { await t.close() }
})

test.run()
