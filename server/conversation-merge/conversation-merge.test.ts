/**
 * Merging two conversations of one contact on a real server, while both sides keep writing:
 * the customer into the one being merged away, agents into both. Afterwards the survivor holds
 * every message exactly once, in time order, with the merged-away messages as their own Yjs
 * items; the other conversation is a pointer the customer follows.
 */
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { appendMessage, appendNote, createId, formatConversationName, formatInternalName, readMessages, readMeta, readNotes, type Message } from '../../protocol/index.ts'
import { listConversationEvents } from '../../db/conversation-event.repository.ts'
import { testDialects } from '../../db/test-databases.ts'
import { LIMITS_OFF, api, connectPeer, startTestServer, startVisitorConversation, waitFor, type Peer } from '../test-kit.ts'
import { elementsOf } from './merge-documents.ts'

const say = (me: string, text: string): Message => ({ id: createId('m'), author: { role: 'agent', id: me, name: 'Owner' }, kind: 'message', text, attachments: [], createdAt: Date.now() })
const acked = (peer: Peer) => waitFor(() => peer.provider.unsyncedChanges === 0, 20000, 'the agent\'s writes acknowledged')

for (const dialect of testDialects()) test(`${dialect}: two conversations merge into one while both sides write: nothing lost, nothing doubled, in time order`, async () => {
  // The customer sends more than a person would in ten seconds: the widget limits are not under test here.
  const t = await startTestServer({ dialect, env: LIMITS_OFF })
  try {
    const me = (await api(t.url, 'GET', '/api/auth/me', undefined, t.ownerToken)).body.agent.id as string
    const { visitorToken, contactId, conversationId: intoId } = await startVisitorConversation(t, 'Mara Merge', { id: 'first-question', text: 'first conversation' })
    const second = await api(t.url, 'POST', '/api/widget/conversations', { siteKey: t.siteKey, message: { id: 'second-question', text: 'second conversation' } }, visitorToken)
    const fromId = second.body.id as string
    assert.ok(fromId && fromId !== intoId)
    const send = (conversationId: string, id: string) => api(t.url, 'POST', `/api/widget/conversations/${conversationId}/messages`, { id, text: id }, visitorToken)
    for (let i = 0; i < 3; i++) { await send(intoId, `into-before-${i}`); await send(fromId, `from-before-${i}`) }

    const agentInto = connectPeer(t.wsUrl, formatConversationName(intoId), t.ownerToken)
    const agentFrom = connectPeer(t.wsUrl, formatConversationName(fromId), t.ownerToken)
    const notesFrom = connectPeer(t.wsUrl, formatInternalName(fromId), t.ownerToken)
    await Promise.all([agentInto.ready, agentFrom.ready, notesFrom.ready])
    appendNote(notesFrom.doc, { id: 'note-on-from', author: { role: 'agent', id: me, name: 'Owner' }, kind: 'note', text: 'VIP', attachments: [], createdAt: Date.now() })
    await acked(notesFrom)

    // Refusals first: bad body, itself, a viewer, another contact's conversation.
    assert.is((await api(t.url, 'POST', `/api/conversations/${fromId}/merge`, { into: 'bad id!' }, t.ownerToken)).body.error.field, 'into')
    assert.is((await api(t.url, 'POST', `/api/conversations/${fromId}/merge`, { into: fromId }, t.ownerToken)).status, 400)
    const stranger = await startVisitorConversation(t, 'Somebody Else', { id: 'stranger-question', text: 'hi' })
    assert.is((await api(t.url, 'POST', `/api/conversations/${fromId}/merge`, { into: stranger.conversationId }, t.ownerToken)).status, 409)
    await api(t.url, 'POST', '/api/agents', { email: 'v@example.com', name: 'Viewer', role: 'viewer', password: 'viewer password 1' }, t.ownerToken)
    const viewer = (await api(t.url, 'POST', '/api/auth/sign-in', { email: 'v@example.com', password: 'viewer password 1' })).body.token as string
    assert.is((await api(t.url, 'POST', `/api/conversations/${fromId}/merge`, { into: intoId }, viewer)).status, 403)

    // Both sides write while the merge runs.
    const written = { customer: [] as string[], agentInto: [] as string[], agentFrom: [] as string[] }
    let merged: { status: number; body: any } | undefined
    const merging = (async () => {
      await waitFor(() => written.customer.length >= 2, 20000, 'some writing before the merge')
      merged = await api(t.url, 'POST', `/api/conversations/${fromId}/merge`, { into: intoId }, t.ownerToken)
    })()
    const customer = (async () => {
      for (let i = 0; i < 12; i++) {
        const id = `during-${i}`
        const sent = await send(fromId, id)
        assert.ok(sent.status < 300, JSON.stringify(sent.body))
        written.customer.push(id)
      }
    })()
    const writeAs = (peer: Peer, list: string[], label: string) => (async () => {
      for (let i = 0; i < 8; i++) {
        const message = say(me, `${label}-${i}`)
        appendMessage(peer.doc, message)
        list.push(message.id)
        await acked(peer)
      }
    })()
    await Promise.all([merging, customer, writeAs(agentInto, written.agentInto, 'agent-into'), writeAs(agentFrom, written.agentFrom, 'agent-from')])
    assert.is(merged?.status, 200, JSON.stringify(merged?.body))
    assert.is(merged?.body.survivorId, intoId)

    const expected = new Set([
      'first-question', 'second-question', ...[0, 1, 2].flatMap((i) => [`into-before-${i}`, `from-before-${i}`]),
      ...written.customer, ...written.agentInto, ...written.agentFrom,
    ])
    const transcript = async () => (await api(t.url, 'GET', `/api/conversations/${intoId}/transcript`, undefined, t.ownerToken)).body.messages as Message[]
    const customerMessages = (list: Message[]) => list.filter((m) => m.author.role !== 'bot' && m.author.role !== 'system')
    const settled = await waitFor(async () => {
      const list = customerMessages(await transcript())
      return [...expected].every((id) => list.some((m) => m.id === id)) ? list : null
    }, 30000, 'every message in the survivor')
    // Nothing doubled, every one there, and in time order.
    assert.is(new Set(settled.map((m) => m.id)).size, settled.length)
    assert.equal(new Set(settled.map((m) => m.id)), expected)
    const everything = await waitFor(async () => {
      const list = await transcript()
      return list.every((m, i) => i === 0 || (list[i - 1] as Message).createdAt <= m.createdAt) ? list : null
    }, 30000, 'the survivor in time order')
    assert.ok(everything.length >= expected.size)

    // A Yjs merge: the merged-away customer messages are the merged-away document's own items.
    const survivorDoc = t.server.services.hocuspocus.documents.get(formatConversationName(intoId))
    const fromDoc = t.server.services.hocuspocus.documents.get(formatConversationName(fromId))
    if (survivorDoc && fromDoc) {
      const clientOf = new Map(elementsOf(survivorDoc.getArray<Message>('messages')).map((e) => [e.value.id, e.id.client]))
      assert.is(clientOf.get('from-before-1'), fromDoc.clientID)
    }

    // The merged-away conversation is a pointer, resolved; its note is in the survivor's notes.
    await waitFor(() => readMeta(agentFrom.doc).mergedInto === intoId, 10000, 'the pointer at the agent')
    assert.is(readMeta(agentFrom.doc).status, 'resolved')
    await waitFor(() => (readMeta(agentInto.doc).mergedFrom ?? []).includes(fromId), 10000, 'the survivor knows what was merged into it')
    const notesInto = connectPeer(t.wsUrl, formatInternalName(intoId), t.ownerToken)
    await notesInto.ready
    await waitFor(() => readNotes(notesInto.doc).some((n) => n.id === 'note-on-from'), 10000, 'the note carried over')
    // The customer's widget, still on the old conversation, writes into the survivor.
    const late = await send(fromId, 'after-merge')
    assert.ok(late.status < 300, JSON.stringify(late.body))
    await waitFor(() => readMessages(agentInto.doc).some((m) => m.id === 'after-merge'), 10000, 'a later customer message in the survivor')
    // And may open the survivor's document: it is their own conversation.
    const widget = connectPeer(t.wsUrl, formatConversationName(intoId), visitorToken)
    await widget.ready
    assert.ok(readMessages(widget.doc).some((m) => m.id === 'from-before-0'))

    // A retry is harmless; the reverse merge (a cycle) is refused; both are in the event log and the audit.
    const again = await api(t.url, 'POST', `/api/conversations/${fromId}/merge`, { into: intoId }, t.ownerToken)
    assert.is(again.status, 200)
    assert.is(again.body.alreadyMerged, true)
    assert.is(again.body.messages, 0)
    assert.is((await api(t.url, 'POST', `/api/conversations/${intoId}/merge`, { into: fromId }, t.ownerToken)).status, 409)
    assert.ok((await listConversationEvents(t.server.services.db, intoId)).some((e) => e.kind === 'merged' && e.actor_id === me))
    // Closed by the merge, not resolved: reports do not count a resolution.
    await t.server.projection.flush()
    const fromEvents = await listConversationEvents(t.server.services.db, fromId)
    assert.ok(fromEvents.some((e) => e.kind === 'merged'))
    assert.not.ok(fromEvents.some((e) => e.kind === 'resolved'))
    const row = (await api(t.url, 'GET', `/api/conversations/${fromId}`, undefined, t.ownerToken)).body
    assert.is(row.mergedInto, intoId)
    const log = (await api(t.url, 'GET', `/api/contacts/${contactId}/privacy-log`, undefined, t.ownerToken)).body.items
    assert.equal(log.map((e: { action: string }) => e.action), ['conversations-merged'])
  } finally {
    await t.close()
  }
})

for (const dialect of testDialects()) test(`${dialect}: two agents merging A into B and B into A at once: one wins, no cycle`, async () => {
  const t = await startTestServer({ dialect })
  try {
    const a = await startVisitorConversation(t, 'Cy Cycle', { id: 'cycle-first-a', text: 'a' })
    const b = (await api(t.url, 'POST', '/api/widget/conversations', { siteKey: t.siteKey, message: { id: 'cycle-first-b', text: 'b' } }, a.visitorToken)).body.id as string
    const [ab, ba] = await Promise.all([
      api(t.url, 'POST', `/api/conversations/${a.conversationId}/merge`, { into: b }, t.ownerToken),
      api(t.url, 'POST', `/api/conversations/${b}/merge`, { into: a.conversationId }, t.ownerToken),
    ])
    assert.equal([ab.status, ba.status].sort(), [200, 409], JSON.stringify([ab.body, ba.body]))
    const rows = await Promise.all([a.conversationId, b].map(async (id) => (await api(t.url, 'GET', `/api/conversations/${id}`, undefined, t.ownerToken)).body.mergedInto))
    assert.is(rows.filter(Boolean).length, 1)
  } finally {
    await t.close()
  }
})

test.run()
