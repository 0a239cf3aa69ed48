import { test } from 'uvu'
import * as assert from 'uvu/assert'
import * as Y from 'yjs'
import { appendNote, formatConversationName, formatInternalName, getInternalDrafts, getNotes, parseCloseReason, readNotes } from '../protocol/index.ts'
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
    a.doc.transact(() => { const draft = new Y.Text(); getInternalDrafts(a.doc).set('reply', draft); draft.insert(0, 'Dear Vera, ') })
    await waitFor(() => readNotes(b.doc).length === 1 && getInternalDrafts(b.doc).get('reply')?.toString() === 'Dear Vera, ', 5000, 'the note and draft at the second agent')
    getInternalDrafts(b.doc).get('reply')!.insert(11, 'your refund is on its way.')
    await waitFor(() => getInternalDrafts(a.doc).get('reply')?.toString() === 'Dear Vera, your refund is on its way.', 5000, 'the co-edited draft')

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

test.run()
