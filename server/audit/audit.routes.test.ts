/** The audit trail: who did what, from the event log, for owners and admins only, filtered and paged. */
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { appendMessage, createId, formatConversationName, updateMeta } from '../../protocol/index.ts'
import { api, connectPeer, startTestServer, startVisitorConversation, waitFor } from '../test-kit.ts'

test('the audit trail lists who did what, newest first, filtered by agent, conversation, kind and day, and pages', async () => {
  const t = await startTestServer()
  try {
    const me = (await api(t.url, 'GET', '/api/auth/me', undefined, t.ownerToken)).body.agent as { id: string; name: string }
    const first = await startVisitorConversation(t, 'Ada Audit', { id: 'audit-msg-0001', text: 'where is my parcel?' })
    const second = await startVisitorConversation(t, 'Ben Audit', { id: 'audit-msg-0002', text: 'cancel my order' })
    // The owner takes the first conversation, replies and resolves it.
    const peer = connectPeer(t.wsUrl, formatConversationName(first.conversationId), t.ownerToken)
    await peer.ready
    // Taking goes through the server (routing decides who has a conversation).
    assert.is((await api(t.url, 'POST', `/api/conversations/${first.conversationId}/take`, {}, t.ownerToken)).body.taken, true)
    appendMessage(peer.doc, { id: createId('m'), author: { role: 'agent', id: me.id, name: me.name }, kind: 'message', text: 'It left the warehouse today.', attachments: [], createdAt: Date.now() })
    await waitFor(() => peer.provider.unsyncedChanges === 0, 10_000, 'the reply stored')
    updateMeta(peer.doc, { status: 'resolved', updatedAt: Date.now() })
    await waitFor(() => peer.provider.unsyncedChanges === 0, 10_000, 'the resolve stored')
    await t.server.projection.flush()

    const audit = (query = '') => api(t.url, 'GET', `/api/audit${query}`, undefined, t.ownerToken)
    const all = await waitFor(async () => { const r = await audit(); return r.body.items.some((e: { kind: string }) => e.kind === 'resolved') ? r : null }, 15_000, 'the resolve in the audit trail')
    assert.is(all.status, 200)
    const ats = all.body.items.map((e: { at: number }) => e.at)
    assert.equal(ats, [...ats].sort((a: number, b: number) => b - a), 'newest first')
    const kinds = new Set(all.body.items.map((e: { kind: string }) => e.kind))
    for (const kind of ['created', 'assigned', 'first_human_reply', 'resolved']) assert.ok(kinds.has(kind), `${kind} in ${[...kinds].join(', ')}`)

    // By agent: what the owner did or was given; none of the second conversation, which nobody touched.
    const mine = (await audit(`?agent=${me.id}`)).body.items as { conversationId: string; actorId: string | null; assigneeId: string | null }[]
    assert.ok(mine.length >= 2)
    assert.ok(mine.every((e) => e.conversationId === first.conversationId && (e.actorId === me.id || e.assigneeId === me.id)))
    // By conversation and by kind.
    assert.ok((await audit(`?conversation=${second.conversationId}`)).body.items.every((e: { conversationId: string }) => e.conversationId === second.conversationId))
    const created = (await audit('?kind=created')).body.items.map((e: { conversationId: string }) => e.conversationId).sort()
    assert.equal(created, [first.conversationId, second.conversationId].sort())
    // By day: today has them, a day long ago has none.
    const today = new Date().toISOString().slice(0, 10)
    assert.ok((await audit(`?from=${today}&to=${today}`)).body.items.length >= all.body.items.length - 1)
    assert.equal((await audit('?from=2020-01-01&to=2020-01-02')).body.items, [])

    // Paging one at a time visits every event once.
    const seen: string[] = []
    let cursor: string | null = ''
    while (cursor !== null) {
      const page = await audit(`?limit=1${cursor ? `&cursor=${cursor}` : ''}`)
      seen.push(...page.body.items.map((e: { id: string }) => e.id))
      cursor = page.body.nextCursor
    }
    assert.equal(seen, all.body.items.map((e: { id: string }) => e.id))

    // Bad input gets a 400 naming the field; agents and viewers are refused.
    assert.is((await audit('?kind=nonsense')).body.error.field, 'kind')
    assert.is((await audit('?from=yesterday')).body.error.field, 'from')
    assert.is((await audit('?limit=5000')).body.error.field, 'limit')
    assert.is((await audit('?cursor=garbage')).body.error.field, 'cursor')
    const agent = await api(t.url, 'POST', '/api/agents', { email: 'agent.audit@example.com', name: 'Aga', role: 'agent', password: 'a long password 1' }, t.ownerToken)
    assert.ok(agent.status < 300, JSON.stringify(agent.body))
    const agentToken = (await api(t.url, 'POST', '/api/auth/sign-in', { email: 'agent.audit@example.com', password: 'a long password 1' })).body.token
    assert.is((await api(t.url, 'GET', '/api/audit', undefined, agentToken)).status, 403)
    peer.destroy()
  } finally { await t.close() }
})

test.run()
