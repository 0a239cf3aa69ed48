import { test } from 'uvu'
import * as assert from 'uvu/assert'
import * as Y from 'yjs'
import { AI_DRAFT_KEY, appendNote, formatConversationName, formatInternalName, getInternalDrafts, getNotes, isDraftShared, parseCloseReason, readNotes, setDraftShared } from '../protocol/index.ts'
import { api, connectPeer, startTestServer, startVisitorConversation, waitFor } from './test-kit.ts'

test('notes and drafts live in the internal document: the team shares them, the customer never receives them', async () => {
  const t = await startTestServer()
  try {
    const agentId = (await api(t.url, 'GET', '/api/auth/me', undefined, t.ownerToken)).body.agent.id
    const { visitorToken, conversationId } = await startVisitorConversation(t, 'Vera', { id: 'customer-msg-1', text: 'Refund please' })
    const customer = connectPeer(t.wsUrl, formatConversationName(conversationId), visitorToken)
    const a = connectPeer(t.wsUrl, formatInternalName(conversationId), t.ownerToken)
    const b = connectPeer(t.wsUrl, formatInternalName(conversationId), t.ownerToken)
    await Promise.all([customer.ready, a.ready, b.ready])

    const secret = 'Customer is a known fraudster, do not refund'
    appendNote(a.doc, { id: 'note-00000001', author: { role: 'agent', id: agentId, name: 'Owner' }, kind: 'note', text: secret, attachments: [], createdAt: Date.now() })
    a.doc.transact(() => { const draft = new Y.Text(); getInternalDrafts(a.doc).set(agentId, draft); draft.insert(0, 'Dear Vera, ') })
    await waitFor(() => readNotes(b.doc).length === 1 && getInternalDrafts(b.doc).get(agentId)?.toString() === 'Dear Vera, ', 5000, 'the note and draft at the second device')
    getInternalDrafts(b.doc).get(agentId)!.insert(11, 'your refund is on its way.')
    await waitFor(() => getInternalDrafts(a.doc).get(agentId)?.toString() === 'Dear Vera, your refund is on its way.', 5000, 'the draft edited on two devices')

    // The note is searchable by the team…
    const found = await waitFor(async () => (await api(t.url, 'GET', '/api/search?q=fraudster', undefined, t.ownerToken)).body.items[0], 5000, 'the note in search')
    assert.is(found.kind, 'note')
    // …and nothing of it ever reached the customer's document.
    const bytes = Buffer.from(Y.encodeStateAsUpdate(customer.doc)).toString('latin1')
    assert.not.ok(bytes.includes('fraudster') || bytes.includes('Dear Vera'))

    // The customer cannot open the internal document, and a note cannot be deleted.
    const snoop = connectPeer(t.wsUrl, formatInternalName(conversationId), visitorToken)
    const refusal = await snoop.ready.then(() => null, (e: Error) => parseCloseReason(e.message))
    assert.equal(refusal && { code: refusal.code, name: refusal.name }, { code: 4404, name: 'forbidden-conversation' })
    getNotes(b.doc).delete(0, 1)
    const closed = await waitFor(() => b.closes.map((c) => parseCloseReason(c.reason ?? '')).find(Boolean), 5000, 'the refusal')
    assert.is(closed.name, 'history-rewrite')
    assert.is(readNotes(a.doc).length, 1)
  } finally { await t.close() }
})

test('drafts are per agent: another agent cannot write mine until I open it for editing together; the AI suggestion is the bot\'s', async () => {
  const t = await startTestServer()
  try {
    const ownerId = (await api(t.url, 'GET', '/api/auth/me', undefined, t.ownerToken)).body.agent.id
    const created = await api(t.url, 'POST', '/api/agents', { email: 'bea@example.com', name: 'Bea Agent', role: 'agent', password: 'another good password' }, t.ownerToken)
    assert.is(created.status, 201, JSON.stringify(created.body))
    const beaToken = (await api(t.url, 'POST', '/api/auth/sign-in', { email: 'bea@example.com', password: 'another good password' })).body.token
    const { conversationId } = await startVisitorConversation(t, 'Vera', { id: 'customer-msg-1', text: 'Refund please' })
    const name = formatInternalName(conversationId)
    const owner = connectPeer(t.wsUrl, name, t.ownerToken)
    const bea = connectPeer(t.wsUrl, name, beaToken)
    await Promise.all([owner.ready, bea.ready])
    const refusal = async (peer: typeof bea) => (await waitFor(() => peer.closes.map((c) => parseCloseReason(c.reason ?? '')).find(Boolean), 5000, 'the refusal')).name

    owner.doc.transact(() => { const draft = new Y.Text(); getInternalDrafts(owner.doc).set(ownerId, draft); draft.insert(0, 'Dear Vera') })
    await waitFor(() => getInternalDrafts(bea.doc).get(ownerId)?.toString() === 'Dear Vera', 5000, 'the owner\'s draft, readable by Bea')

    // Bea typing into the owner's draft is refused and changes nothing.
    getInternalDrafts(bea.doc).get(ownerId)!.insert(9, ' (Bea)')
    assert.is(await refusal(bea), 'schema-violation')
    const serverDraft = async () => {
      const c = await t.server.services.hocuspocus.openDirectConnection(name, { internal: 'test' })
      let text = ''
      try { await c.transact((doc) => { text = getInternalDrafts(doc).get(ownerId)?.toString() ?? '' }) } finally { await c.disconnect() }
      return text
    }
    assert.is(await serverDraft(), 'Dear Vera')
    bea.destroy()

    // Bea may not open the owner's draft herself, nor write the AI suggestion.
    const bea2 = connectPeer(t.wsUrl, name, beaToken)
    await bea2.ready
    setDraftShared(bea2.doc, ownerId, true)
    assert.is(await refusal(bea2), 'schema-violation')
    bea2.destroy()
    const bea3 = connectPeer(t.wsUrl, name, beaToken)
    await bea3.ready
    bea3.doc.transact(() => getInternalDrafts(bea3.doc).set(AI_DRAFT_KEY, new Y.Text('Refund approved')))
    assert.is(await refusal(bea3), 'schema-violation')
    bea3.destroy()

    // Once the owner opens co-editing, Bea's text goes into the owner's draft.
    setDraftShared(owner.doc, ownerId, true)
    const bea4 = connectPeer(t.wsUrl, name, beaToken)
    await bea4.ready
    await waitFor(() => isDraftShared(bea4.doc, ownerId), 5000, 'the sharing at Bea')
    getInternalDrafts(bea4.doc).get(ownerId)!.insert(9, ', your refund is on its way.')
    await waitFor(() => getInternalDrafts(owner.doc).get(ownerId)?.toString() === 'Dear Vera, your refund is on its way.', 5000, 'the co-edited draft')
    assert.is(bea4.closes.length, 0)
    // …but she still cannot replace the draft itself.
    bea4.doc.transact(() => getInternalDrafts(bea4.doc).set(ownerId, new Y.Text('gone')))
    assert.is(await refusal(bea4), 'schema-violation')
    assert.is(await serverDraft(), 'Dear Vera, your refund is on its way.')

    // The bot writes the suggestion; an agent discards it.
    const bot = connectPeer(t.wsUrl, name, t.server.serviceToken)
    await bot.ready
    bot.doc.transact(() => getInternalDrafts(bot.doc).set(AI_DRAFT_KEY, new Y.Text('You can ask for a refund.')))
    await waitFor(() => getInternalDrafts(owner.doc).get(AI_DRAFT_KEY)?.toString() === 'You can ask for a refund.', 5000, 'the suggestion at the owner')
    const suggestion = getInternalDrafts(owner.doc).get(AI_DRAFT_KEY)!
    suggestion.delete(0, suggestion.length)
    await waitFor(() => getInternalDrafts(bot.doc).get(AI_DRAFT_KEY)?.toString() === '', 5000, 'the discarded suggestion at the bot')
    assert.is(owner.closes.length, 0)
    // The bot writes nobody's reply draft.
    getInternalDrafts(bot.doc).get(ownerId)!.insert(0, 'x')
    assert.is(await refusal(bot), 'schema-violation')
  } finally { await t.close() }
})

test.run()
