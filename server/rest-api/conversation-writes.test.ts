/**
 * REST writes land in the documents like the app's own: each shows live in a connected agent's
 * and the customer's copy, a retry with the same id changes nothing, and the guard's rules hold.
 */
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { formatConversationName, formatInternalName, getNotes, readMessages, readMeta } from '../../protocol/index.ts'
import { api, connectPeer, startTestServer, startVisitorConversation, waitFor } from '../test-kit.ts'

test('every write shows live to a connected agent and customer, once, as if an agent had typed it', async () => {
  const t = await startTestServer()
  try {
    const { conversationId, visitorToken, contactId } = await startVisitorConversation(t, 'Vera', { id: 'customer-first-1', text: 'My order is late' })
    const key = (await api(t.url, 'POST', '/api/api-keys', { name: 'CRM', scope: 'write' }, t.ownerToken)).body.token
    const owner = (await api(t.url, 'GET', '/api/auth/me', undefined, t.ownerToken)).body.agent
    const ann = (await api(t.url, 'POST', '/api/agents', { email: 'ann@example.com', name: 'Ann', password: 'long enough password', role: 'agent' }, t.ownerToken)).body
    const annId = ann.id ?? ann.agent?.id
    const customer = connectPeer(t.wsUrl, formatConversationName(conversationId), visitorToken)
    const agent = connectPeer(t.wsUrl, formatConversationName(conversationId), t.ownerToken)
    const agentInternal = connectPeer(t.wsUrl, formatInternalName(conversationId), t.ownerToken)
    await Promise.all([customer.ready, agent.ready, agentInternal.ready])

    // A reply: the customer sees the agent's name, as if typed in the app; the conversation is taken.
    const reply = await api(t.url, 'POST', `/api/conversations/${conversationId}/messages`, { id: 'crm-reply-0001', text: 'It ships **today**.' }, key)
    assert.is(reply.status, 201)
    const seen = await waitFor(() => readMessages(customer.doc).find((m) => m.id === 'crm-reply-0001'), 10_000, 'the reply in the customer\'s document')
    assert.equal(seen.author, { role: 'agent', id: owner.id, name: owner.name })
    assert.is(seen.kind, 'message')
    await waitFor(() => readMessages(agent.doc).some((m) => m.id === 'crm-reply-0001') && readMeta(agent.doc).assignee === owner.id, 10_000, 'the reply and the take in the agent\'s document')
    assert.is(readMeta(customer.doc).status, 'open')
    // A retry of the same id: 200, the same message, nothing added.
    const again = await api(t.url, 'POST', `/api/conversations/${conversationId}/messages`, { id: 'crm-reply-0001', text: 'It ships **today**.' }, key)
    assert.is(again.status, 200)
    assert.is(again.body.duplicate, true)
    assert.is(readMessages(customer.doc).filter((m) => m.id === 'crm-reply-0001').length, 1)

    // A private note: in the team's internal document, never in the customer's.
    assert.is((await api(t.url, 'POST', `/api/conversations/${conversationId}/messages`, { id: 'crm-note-00001', text: 'VIP customer', kind: 'note' }, key)).status, 201)
    await waitFor(() => getNotes(agentInternal.doc).toArray().some((n) => n.id === 'crm-note-00001'), 10_000, 'the note for the agent')
    assert.not.ok(JSON.stringify(customer.doc.toJSON()).includes('VIP customer'))

    // Transfer to Ann, priority, labels, snooze, status, resolve: each live on both sides.
    const steps: [string, string, unknown, (m: ReturnType<typeof readMeta>) => boolean][] = [
      ['POST', 'assign', { id: 'crm-assign-001', assignee: annId }, (m) => m.assignee === annId],
      ['POST', 'priority', { id: 'crm-prio-0001', priority: 'high' }, (m) => m.priority === 'high'],
      ['PUT', 'labels', { id: 'crm-labels-01', labels: ['billing', 'vip', 'billing'] }, (m) => JSON.stringify(m.labels) === '["billing","vip"]'],
      ['POST', 'snooze', { id: 'crm-snooze-01', until: Date.now() + 3600_000 }, (m) => m.status === 'snoozed' && typeof m.snoozedUntil === 'number'],
      ['POST', 'status', { id: 'crm-status-01', status: 'open' }, (m) => m.status === 'open' && !m.snoozedUntil],
      ['POST', 'resolve', { id: 'crm-resolve-1' }, (m) => m.status === 'resolved'],
    ]
    for (const [method, action, body, check] of steps) {
      const res = await api(t.url, method, `/api/conversations/${conversationId}/${action}`, body, key)
      assert.is(res.status, 200, `${action}: ${JSON.stringify(res.body)}`)
      await waitFor(() => check(readMeta(customer.doc)) && check(readMeta(agent.doc)), 10_000, `${action} in both documents`)
    }
    // A retried action answers as the first time and changes nothing (the conversation is resolved now).
    const retried = await api(t.url, 'POST', `/api/conversations/${conversationId}/assign`, { id: 'crm-assign-001', assignee: annId }, key)
    assert.is(retried.status, 200)
    assert.is(readMeta(agent.doc).status, 'resolved')
    // The same id for another action is a conflict.
    assert.is((await api(t.url, 'POST', `/api/conversations/${conversationId}/priority`, { id: 'crm-assign-001', priority: 'low' }, key)).status, 409)

    // A new conversation for the contact, opened with a message: the customer's list has it, with the message.
    const created = await api(t.url, 'POST', '/api/conversations', { id: 'crm-conv-0001', contactId, message: { text: 'Your refund went out.' } }, key)
    assert.is(created.status, 201)
    assert.is((await api(t.url, 'POST', '/api/conversations', { id: 'crm-conv-0001', contactId, message: { text: 'Your refund went out.' } }, key)).status, 200)
    const second = connectPeer(t.wsUrl, formatConversationName('crm-conv-0001'), visitorToken)
    await second.ready
    await waitFor(() => readMessages(second.doc).some((m) => m.text === 'Your refund went out.' && m.author.role === 'agent'), 10_000, 'the first message in the customer\'s new conversation')
    assert.is(readMeta(second.doc).status, 'open')
  } finally {
    await t.close()
  }
})

test('bad input is a 400 naming the field and changes nothing; a read key or a stranger cannot write', async () => {
  const t = await startTestServer()
  try {
    const { conversationId } = await startVisitorConversation(t, 'Vera', { id: 'customer-first-1', text: 'Hi' })
    const write = (await api(t.url, 'POST', '/api/api-keys', { name: 'CRM', scope: 'write' }, t.ownerToken)).body.token
    const read = (await api(t.url, 'POST', '/api/api-keys', { name: 'BI', scope: 'read' }, t.ownerToken)).body.token
    const empty = await api(t.url, 'POST', `/api/conversations/${conversationId}/messages`, { id: 'crm-reply-0002', text: '   ' }, write)
    assert.is(empty.status, 400)
    assert.is(empty.body.error.field, 'text')
    const badAssignee = await api(t.url, 'POST', `/api/conversations/${conversationId}/assign`, { id: 'crm-assign-002', assignee: 'nobody' }, write)
    assert.is(badAssignee.status, 400)
    assert.is(badAssignee.body.error.field, 'assignee')
    const past = await api(t.url, 'POST', `/api/conversations/${conversationId}/snooze`, { id: 'crm-snooze-02', until: 1000 }, write)
    assert.is(past.body.error.field, 'until')
    assert.is((await api(t.url, 'POST', `/api/conversations/${conversationId}/resolve`, { id: 'crm-resolve-2' }, read)).status, 403)
    assert.is((await api(t.url, 'POST', `/api/conversations/${conversationId}/messages`, { id: 'crm-reply-0003', text: 'hi' }, read)).status, 403)
    const transcript = (await api(t.url, 'GET', `/api/conversations/${conversationId}/transcript`, undefined, t.ownerToken)).body
    assert.equal(transcript.messages.map((m: any) => m.text), ['Hi'])
    assert.is(transcript.conversation.meta.status === 'resolved', false)
  } finally {
    await t.close()
  }
})

test.run()
