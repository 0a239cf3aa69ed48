import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { appendMessage, createId, formatConversationName, updateMeta, type Message } from '../../protocol/index.ts'
import { listConversationEvents } from '../../db/conversation-event.repository.ts'
import { testDialects } from '../../db/test-databases.ts'
import { rebuildProjection } from '../rebuild-projection.ts'
import { api, connectPeer, startTestServer, startVisitorConversation, waitFor, type Peer, type TestServer } from '../test-kit.ts'

const say = (role: 'agent' | 'bot', id: string, text: string, createdAt: number): Message =>
  ({ id: createId('m'), author: { role, id, name: id }, kind: 'message', text, attachments: [], createdAt })

/** Waits until the peer's changes are acknowledged and projected. */
async function settle(t: TestServer, peer: Peer): Promise<void> {
  await waitFor(() => peer.provider.unsyncedChanges === 0, 15000, 'the acknowledgement')
  await t.server.projection.flush()
}

const kinds = (events: { kind: string }[]) => events.map((e) => e.kind)

for (const dialect of testDialects()) {
  test(`${dialect}: a conversation's life is logged live, once, and a rebuild adds nothing`, async () => {
    const t = await startTestServer({ dialect })
    try {
      const me = (await api(t.url, 'GET', '/api/auth/me', undefined, t.ownerToken)).body.agent.id as string
      const { conversationId, visitorToken } = await startVisitorConversation(t, 'Vera', { id: 'customer-1', text: 'My parcel is late' })
      const bot = connectPeer(t.wsUrl, formatConversationName(conversationId), t.server.serviceToken)
      await bot.ready
      const t0 = 1_800_000_000_000
      appendMessage(bot.doc, say('bot', 'bot', 'Let me look at that.', t0 + 1000))
      bot.doc.transact(() => updateMeta(bot.doc, { status: 'waiting', priority: 'high', escalationReason: 'asks for a refund', waitingSince: t0 + 2000 }))
      await settle(t, bot)
      bot.destroy()

      const agent = connectPeer(t.wsUrl, formatConversationName(conversationId), t.ownerToken)
      await agent.ready
      // The assignee is the server's to set (routing, issue 12): the Take goes through it.
      assert.is((await api(t.url, 'POST', `/api/conversations/${conversationId}/take`, {}, t.ownerToken)).body.taken, true)
      await waitFor(() => agent.doc.getMap('meta').get('assignee') === me, 15000, 'the assignment')
      appendMessage(agent.doc, say('agent', me, 'Refunded.', t0 + 4000))
      appendMessage(agent.doc, say('agent', me, 'Anything else?', t0 + 5000))
      await settle(t, agent)
      updateMeta(agent.doc, { status: 'resolved', updatedAt: t0 + 6000 })
      await settle(t, agent)
      assert.is((await api(t.url, 'POST', `/api/widget/conversations/${conversationId}/csat`, { rating: 4, comment: 'quick' }, visitorToken)).status, 200)
      // The customer writes again: the conversation comes back (reopened), and is resolved again.
      assert.is((await api(t.url, 'POST', `/api/widget/conversations/${conversationId}/messages`, { id: 'customer-2', text: 'One more thing' }, visitorToken)).status < 300, true)
      await waitFor(() => agent.doc.getMap('meta').get('status') === 'open', 15000, 'the reopen')
      updateMeta(agent.doc, { status: 'resolved', updatedAt: Date.now() + 1 })
      await settle(t, agent)
      await waitFor(async () => kinds(await listConversationEvents(t.server.services.db, conversationId)).filter((k) => k === 'resolved').length === 2, 15000, 'the second resolve')

      const live = await listConversationEvents(t.server.services.db, conversationId)
      assert.equal(kinds(live).sort(), ['assigned', 'bot_replied', 'created', 'csat', 'escalated', 'first_human_reply', 'human_reply', 'human_reply', 'reopened', 'resolved', 'resolved'])
      const escalated = live.find((e) => e.kind === 'escalated')!
      assert.equal([escalated.at, escalated.reason, escalated.priority], [t0 + 2000, 'asks for a refund', 'high'])
      const assigned = live.find((e) => e.kind === 'assigned')!
      assert.equal([assigned.assignee_id, assigned.from_assignee_id], [me, null])
      assert.equal(live.filter((e) => e.kind === 'first_human_reply').map((e) => [e.at, e.actor_id]), [[t0 + 4000, me]])
      const csat = live.find((e) => e.kind === 'csat')!
      assert.equal([csat.rating, csat.comment], [4, 'quick'])

      // Projecting again, and rebuilding from the documents, write the same rows and no more.
      agent.destroy()
      assert.is(await rebuildProjection(t.server.services.db), 1)
      assert.equal(await listConversationEvents(t.server.services.db, conversationId), live)
    } finally { await t.close() }
  })

  test(`${dialect}: a lost event log rebuilt from the documents alone gets back what they still show, each row once`, async () => {
    const t = await startTestServer({ dialect })
    try {
      const me = (await api(t.url, 'GET', '/api/auth/me', undefined, t.ownerToken)).body.agent.id as string
      const { conversationId, visitorToken } = await startVisitorConversation(t, 'Vera', { id: 'customer-1', text: 'Hello' })
      const bot = connectPeer(t.wsUrl, formatConversationName(conversationId), t.server.serviceToken)
      await bot.ready
      const t0 = 1_800_000_000_000
      bot.doc.transact(() => updateMeta(bot.doc, { status: 'waiting', priority: 'low', escalationReason: 'wants a person', waitingSince: t0 }))
      await settle(t, bot)
      bot.destroy()
      const agent = connectPeer(t.wsUrl, formatConversationName(conversationId), t.ownerToken)
      await agent.ready
      assert.is((await api(t.url, 'POST', `/api/conversations/${conversationId}/take`, {}, t.ownerToken)).body.taken, true)
      await waitFor(() => agent.doc.getMap('meta').get('assignee') === me, 15000, 'the assignment')
      appendMessage(agent.doc, say('agent', me, 'Hi!', t0 + 20))
      await settle(t, agent)
      updateMeta(agent.doc, { status: 'resolved', updatedAt: t0 + 30 })
      await settle(t, agent)
      assert.is((await api(t.url, 'POST', `/api/widget/conversations/${conversationId}/csat`, { rating: 5 }, visitorToken)).status, 200)
      await waitFor(async () => (await listConversationEvents(t.server.services.db, conversationId)).some((e) => e.kind === 'csat'), 15000, 'the rating')
      // The last change the document shows: the rating, or the "resolved" event the server added after it.
      await waitFor(() => (agent.doc.getArray('messages').toArray() as Message[]).some((m) => m.kind === 'event' && m.text === 'This conversation was resolved'), 15000, 'the resolved event')
      await t.server.projection.flush()
      const lastChange = agent.doc.getMap('meta').get('updatedAt')
      agent.destroy()
      const live = await listConversationEvents(t.server.services.db, conversationId)

      await t.server.services.db.kysely.deleteFrom('conversation_events').execute()
      await rebuildProjection(t.server.services.db)
      const rebuilt = await listConversationEvents(t.server.services.db, conversationId)
      // Messages carry their time and author, so their events come back exactly; so do the
      // creation, the resolve and the rating, dated by meta.updatedAt as live.
      const byId = new Map(live.map((e) => [e.id, e]))
      for (const kind of ['created', 'first_human_reply', 'human_reply', 'resolved', 'csat']) {
        assert.equal(rebuilt.filter((e) => e.kind === kind), live.filter((e) => e.kind === kind), kind)
      }
      // Meta keeps no history: the escalation (its waiting state is gone) is lost, and the
      // assignment is dated by the last change the document shows. Nothing is doubled.
      assert.equal(kinds(rebuilt).sort(), ['assigned', 'created', 'csat', 'first_human_reply', 'human_reply', 'resolved'])
      assert.is(rebuilt.find((e) => e.kind === 'assigned')?.at, lastChange)
      assert.ok(!byId.has(rebuilt.find((e) => e.kind === 'assigned')!.id))
      await rebuildProjection(t.server.services.db)
      assert.equal(await listConversationEvents(t.server.services.db, conversationId), rebuilt)
    } finally { await t.close() }
  })
}

test.run()
