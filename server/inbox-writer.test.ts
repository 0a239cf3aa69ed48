/**
 * The inbox document holds the working set (issue 19): resolved conversations leave it once their
 * window has passed, so agent devices stop downloading them, and come back when reopened; the
 * Resolved view's older pages come from HTTP.
 */
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import * as Y from 'yjs'
import { formatInboxName, getInboxEntries, readInboxMovedTo, updateMeta } from '../protocol/index.ts'
import { runHousekeeping } from './housekeeping/housekeeping.ts'
import { api, connectPeer, startTestServer, startVisitorConversation, waitFor } from './test-kit.ts'

const DAY = 24 * 3600_000

test('resolved conversations leave the inbox after INBOX_RESOLVED_DAYS, open ones stay, a reopened one comes back', async () => {
  const t = await startTestServer({ env: { INBOX_RESOLVED_DAYS: '3' } })
  try {
    const { services } = t.server
    const open = await startVisitorConversation(t, 'Olga Open', { id: 'open-msg-00001', text: 'still need help' })
    const done = await startVisitorConversation(t, 'Rita Resolved', { id: 'done-msg-00001', text: 'thanks, solved' })
    const also = await startVisitorConversation(t, 'Rui Resolved', { id: 'also-msg-00001', text: 'all good' })
    for (const id of [done.conversationId, also.conversationId]) await services.conversations.change(id, (doc) => updateMeta(doc, { status: 'resolved', updatedAt: Date.now() }))

    const agent = connectPeer(t.wsUrl, formatInboxName(t.workspaceId), t.ownerToken)
    await agent.ready
    const entries = getInboxEntries(agent.doc)
    const ids = () => [...entries.keys()].sort()
    const all = [open.conversationId, done.conversationId, also.conversationId].sort()
    await waitFor(() => JSON.stringify(ids()) === JSON.stringify(all) && entries.get(done.conversationId)?.status === 'resolved' && entries.get(also.conversationId)?.status === 'resolved', 10_000, 'three entries, two resolved')

    // Within the window nothing leaves.
    assert.is((await runHousekeeping(services, Date.now() + 2 * DAY)).inboxEntriesRemoved, 0)
    // Past it the resolved ones leave the document, on this agent's device too.
    assert.is((await runHousekeeping(services, Date.now() + 4 * DAY)).inboxEntriesRemoved, 2)
    await waitFor(() => JSON.stringify(ids()) === JSON.stringify([open.conversationId]), 10_000, 'only the open conversation in the inbox')
    assert.is((await runHousekeeping(services, Date.now() + 4 * DAY)).inboxEntriesRemoved, 0, 'a second run finds nothing more')

    // They are still there over HTTP: the Resolved view's older pages and search read the tables.
    const resolved = await api(t.url, 'GET', '/api/conversations?status=resolved', undefined, t.ownerToken)
    assert.equal(resolved.body.items.map((c: { id: string }) => c.id).sort(), [done.conversationId, also.conversationId].sort())

    // A stale summary of an old resolved conversation is not written back.
    const stale = { ...entries.get(open.conversationId)!, id: also.conversationId, status: 'resolved' as const, lastActivityAt: Date.now() - 10 * DAY }
    await services.inbox.setMany(t.workspaceId, [stale])
    // Reopened, it is in the working set again.
    await services.conversations.change(done.conversationId, (doc) => updateMeta(doc, { status: 'waiting', waitingSince: Date.now(), updatedAt: Date.now() }))
    await waitFor(() => entries.get(done.conversationId)?.status === 'waiting', 10_000, 'the reopened conversation back in the inbox')
    assert.not.ok(entries.has(also.conversationId), 'the old resolved one stays out')
    agent.destroy()
  } finally { await t.close() }
})

test('the working set keeps the inbox document small however long the history grows', async () => {
  const t = await startTestServer({ env: { INBOX_RESOLVED_DAYS: '7' } })
  try {
    const { services } = t.server
    const live = await startVisitorConversation(t, 'Lia Live', { id: 'live-msg-00001', text: 'hello' })
    const base = { status: 'resolved' as const, priority: 'normal' as const, assignee: null, contactName: 'Visitor', subject: 'An old question about invoices', preview: 'Thanks, that solved it.', waitingSince: null, lastMessageAuthor: 'customer', messageCount: 6, labels: [], category: null }
    // 3,000 conversations resolved over the last months, written as the projection writes them.
    const now = Date.now()
    for (let batch = 0; batch < 30; batch++) {
      await services.inbox.setMany(t.workspaceId, Array.from({ length: 100 }, (_, i) => ({ ...base, id: `c_history_${batch}_${i}`, lastActivityAt: now - (8 + batch) * DAY })))
    }
    const agent = connectPeer(t.wsUrl, formatInboxName(t.workspaceId), t.ownerToken)
    await agent.ready
    const entries = getInboxEntries(agent.doc)
    await waitFor(() => entries.has(live.conversationId), 10_000, 'the live conversation')
    assert.is(entries.size, 1, 'none of the old resolved conversations reached the device')
    agent.destroy()
  } finally { await t.close() }
})

test('a rotated inbox starts a fresh generation without the tombstones; readers follow movedTo; exactly one rotation when two race', async () => {
  const t = await startTestServer({ env: { INBOX_RESOLVED_DAYS: '7', INBOX_ROTATE_TOMBSTONES: '1000' } })
  try {
    const { services } = t.server
    const live = await startVisitorConversation(t, 'Lia Live', { id: 'live-msg-00002', text: 'hello again' })
    const base = { status: 'resolved' as const, priority: 'normal' as const, assignee: null, contactName: 'Visitor', subject: 'An old question about invoices', preview: 'Thanks, that solved it.', waitingSince: null, lastMessageAuthor: 'customer', messageCount: 6, labels: [], category: null }
    // 3,000 conversations that were in the inbox and have left it since.
    const now = Date.now()
    for (let batch = 0; batch < 30; batch++) await services.inbox.setMany(t.workspaceId, Array.from({ length: 100 }, (_, i) => ({ ...base, id: `c_left_${batch}_${i}`, lastActivityAt: now })))
    const before = connectPeer(t.wsUrl, formatInboxName(t.workspaceId), t.ownerToken)
    await before.ready
    await waitFor(() => getInboxEntries(before.doc).has(live.conversationId), 10_000, 'the live conversation')

    const run = await runHousekeeping(services, now + 8 * DAY)
    assert.equal([run.inboxEntriesRemoved, run.inboxesRotated], [3000, 1])
    const oldBytes = Y.encodeStateAsUpdate(before.doc).length
    // The device on the old generation is told where the inbox went.
    await waitFor(() => readInboxMovedTo(before.doc) === formatInboxName(t.workspaceId, 1), 10_000, 'movedTo in the old inbox')
    const me = await api(t.url, 'GET', '/api/auth/me', undefined, t.ownerToken)
    assert.is(me.body.inboxDocument, `inbox:${t.workspaceId}.1`)

    const after = connectPeer(t.wsUrl, me.body.inboxDocument, t.ownerToken)
    await after.ready
    const entries = getInboxEntries(after.doc)
    await waitFor(() => entries.has(live.conversationId), 10_000, 'the live conversation in the new generation')
    assert.is(entries.size, 1)
    const newBytes = Y.encodeStateAsUpdate(after.doc).length
    assert.ok(newBytes * 20 < oldBytes, `the new generation is small (${newBytes} bytes against ${oldBytes})`)

    // New work lands in the new generation only.
    const next = await startVisitorConversation(t, 'Nia New', { id: 'next-msg-00001', text: 'a new question' })
    await waitFor(() => entries.has(next.conversationId), 10_000, 'a new conversation in the new generation')
    assert.not.ok(getInboxEntries(before.doc).has(next.conversationId), 'nothing more is written to the old generation')
    assert.is((await runHousekeeping(services, now + 8 * DAY)).inboxesRotated, 0, 'nothing to rotate again')

    // Two rotations at once: the database decides, exactly one happens, both end on it.
    const raced = await Promise.all([services.inbox.rotate(t.workspaceId), services.inbox.rotate(t.workspaceId)])
    assert.equal(raced.filter(Boolean).length, 1)
    assert.is(await services.inbox.documentName(t.workspaceId), `inbox:${t.workspaceId}.2`)
    assert.equal((await services.inbox.size(t.workspaceId)).live, 2)
    before.destroy()
    after.destroy()
  } finally { await t.close() }
})

test.run()
