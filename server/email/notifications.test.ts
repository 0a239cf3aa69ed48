/** Agent notification emails through a real SMTP server: sent when away, each switchable, never twice. */
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { formatConversationName, formatInboxName, updateMeta } from '../../protocol/index.ts'
import { api, connectPeer, startTestServer, startVisitorConversation, waitFor } from '../test-kit.ts'
import { startTestSmtp } from './test-smtp.ts'

test('assigned to you and customer replied: emailed to an away agent as they chose, never to one in the app', async () => {
  const smtp = await startTestSmtp()
  const t = await startTestServer({ env: { SMTP_URL: smtp.url, EMAIL_FROM: 'Acme Support <support@acme.test>' } })
  try {
    const ann = (await api(t.url, 'POST', '/api/agents', { email: 'ann@example.com', name: 'Ann', role: 'agent', password: 'anns long password' }, t.ownerToken)).body
    const annToken = (await api(t.url, 'POST', '/api/auth/sign-in', { email: 'ann@example.com', password: 'anns long password' })).body.token as string
    assert.equal((await api(t.url, 'GET', '/api/me/notifications', undefined, annToken)).body, { assigned: true, customerReplied: true, slaWarning: true, emailConfigured: true })
    const toAnn = () => smtp.received.filter((m) => JSON.stringify(m.to).includes('ann@example.com'))
    // Assigning goes through routing (the server decides who has a conversation; issue 12).
    const assign = async (conversationId: string) => {
      const moved = await api(t.url, 'POST', `/api/conversations/${conversationId}/transfer`, { agentId: ann.id }, t.ownerToken)
      assert.is(moved.status, 200, JSON.stringify(moved.body))
    }
    const say = (c: { conversationId: string; visitorToken: string }, id: string, text: string) =>
      api(t.url, 'POST', `/api/widget/conversations/${c.conversationId}/messages`, { id, text }, c.visitorToken)

    const first = await startVisitorConversation(t, 'Vera', { id: 'vera-message-1', text: 'Where is my parcel?' })
    await assign(first.conversationId)
    const assigned = await waitFor(() => toAnn().find((m) => m.subject?.includes('Assigned to you')), 20000, 'the assignment email')
    assert.match(assigned.subject ?? '', /^\[My workspace\] Assigned to you: /)
    assert.match(assigned.text ?? '', new RegExp(`/inbox/mine/${first.conversationId}`))
    assert.is((await say(first, 'vera-message-2', 'Any news?')).status, 201)
    const replied = await waitFor(() => toAnn().find((m) => m.subject?.includes('Vera replied')), 20000, 'the customer-replied email')
    assert.match(replied.text ?? '', /> Any news\?/, replied.text)

    // Ann turns "assigned" off: the next assignment sends nothing, the customer's reply still does.
    assert.equal((await api(t.url, 'PUT', '/api/me/notifications', { assigned: false }, annToken)).body, { assigned: false, customerReplied: true, slaWarning: true })
    assert.is((await api(t.url, 'PUT', '/api/me/notifications', { assigned: 'no' }, annToken)).status, 400)
    const second = await startVisitorConversation(t, 'Theo', { id: 'theo-message-1', text: 'Hello' })
    await assign(second.conversationId)
    await say(second, 'theo-message-2', 'Still there?')
    await waitFor(() => toAnn().find((m) => m.subject?.includes('Theo replied')), 20000, 'Theo\'s reply email')
    assert.is(toAnn().filter((m) => m.subject?.includes('Assigned to you')).length, 1, 'no second assignment email')

    // In the app (connected), Ann is not emailed; turned off, neither.
    const online = connectPeer(t.wsUrl, formatInboxName(t.workspaceId), annToken)
    await online.ready
    await say(first, 'vera-message-3', 'Hello again?')
    await waitFor(async () => (await t.server.services.db.kysely.selectFrom('messages').select('id').where('id', '=', 'vera-message-3').executeTakeFirst()), 20000, 'the message projected')
    await t.server.projection.flush()
    online.destroy()
    await api(t.url, 'PUT', '/api/me/notifications', { customerReplied: false }, annToken)
    await say(second, 'theo-message-3', 'Hello??')
    await api(t.url, 'PUT', '/api/me/notifications', { customerReplied: true }, annToken)
    await say(second, 'theo-message-4', 'Last try')
    await waitFor(() => toAnn().find((m) => m.text?.includes('Last try')), 20000, 'the control email')
    const texts = toAnn().map((m) => m.text ?? '')
    assert.not.ok(texts.some((text) => text.includes('Hello again?')), 'not emailed while in the app')
    assert.not.ok(texts.some((text) => text.includes('Hello??')), 'not emailed with the setting off')
    assert.is(toAnn().length, 4)
  } finally { await t.close(); await smtp.close() }
})

test.run()
