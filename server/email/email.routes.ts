/** HTTP routes of email: settings, the delivery log, replies and transcripts by email, email in. */
import { EmailDeliveryQuery, EmailReplyBody, ParleyError, TranscriptRequestBody, parseInput } from '../../protocol/index.ts'
import { getDelivery, listDeliveries } from '../../db/email-delivery.repository.ts'
import type { EmailDelivery } from '../../db/tables.ts'
import { getWorkspace, setInboundTokenHash } from '../../db/workspace.repository.ts'
import { getContact, updateContact } from '../../db/contact.repository.ts'
import { createSecret, hashToken } from '../auth/tokens.ts'
import { conversationFor } from '../http/conversation-access.ts'
import { agentOf, visitorOf } from '../http/principal.ts'
import { Reply, type Router } from '../http/router.ts'
import { widgetCallerOf } from '../http/widget-caller.ts'
import type { Services } from '../services.ts'
import { recordContactEvent } from '../webhooks/contact-events.ts'
import { emailReply, emailTranscript } from './conversation-email.ts'
import { assertInboundToken, readRaw, receiveEmail } from './inbound.ts'

/** A delivery as the log shows it: never its body (an invitation or reset email holds a live link). */
export const publicDelivery = (d: EmailDelivery) => ({
  id: d.id, kind: d.kind, to: d.recipient, subject: d.subject, status: d.status, attempts: d.attempts, error: d.last_error,
  conversationId: d.conversation_id, messageId: d.message_id, createdAt: d.created_at, updatedAt: d.updated_at, sentAt: d.sent_at,
})
const CONVERSATION_KINDS = new Set(['reply', 'transcript'])

export function addEmailRoutes(router: Router, services: Services): void {
  router.add('GET', '/api/settings/email', async (ctx) => {
    const me = await agentOf(services, ctx, 'admin')
    const workspace = await getWorkspace(services.db, me.workspaceId)
    return {
      configured: services.email.configured,
      inbound: { configured: Boolean(workspace?.inbound_token_hash), url: `${services.publicUrl()}/api/email/inbound/${me.workspaceId}` },
    }
  }, { summary: 'Whether email is configured, and the inbound email address', tag: 'Email', auth: 'admin' })

  /** A new inbound token (shown once; the old one stops working). */
  router.add('POST', '/api/settings/email/inbound-token', async (ctx) => {
    const me = await agentOf(services, ctx, 'admin')
    const token = `pin_${createSecret(32)}`
    await setInboundTokenHash(services.db, me.workspaceId, hashToken(token))
    return new Reply(201, { token, url: `${services.publicUrl()}/api/email/inbound/${me.workspaceId}` })
  }, { summary: 'A new inbound email token (shown once; the old one stops working)', tag: 'Email', auth: 'admin', status: 201 })

  /** The log: admins see all of it; agents the emails of one conversation (`?conversation=`). */
  router.add('GET', '/api/email/deliveries', async (ctx) => {
    const { conversation, status } = parseInput(EmailDeliveryQuery, ctx.query)
    if (conversation) {
      const me = await agentOf(services, ctx)
      await conversationFor(services, me, conversation)
      const items = await listDeliveries(services.db, { workspaceId: me.workspaceId, conversationId: conversation, ...(status ? { status } : {}) })
      return { items: items.filter((d) => CONVERSATION_KINDS.has(d.kind)).map(publicDelivery) }
    }
    const me = await agentOf(services, ctx, 'admin')
    return { items: (await listDeliveries(services.db, { workspaceId: me.workspaceId, ...(status ? { status } : {}) })).map(publicDelivery) }
  }, { summary: 'The email log: one conversation\'s emails (`conversation`, any agent of it), or all of them (admins)', tag: 'Email', auth: 'viewer', query: EmailDeliveryQuery })

  router.add('POST', '/api/email/deliveries/:id/retry', async (ctx) => {
    const me = await agentOf(services, ctx, 'agent')
    const row = await getDelivery(services.db, ctx.params.id as string)
    if (!row || row.workspace_id !== me.workspaceId) throw new ParleyError('not-found', 'no such email')
    // Agents send a conversation's email again; the rest of the log is the admins'.
    if (!CONVERSATION_KINDS.has(row.kind) && me.role !== 'admin' && me.role !== 'owner') throw new ParleyError('forbidden', 'needs the admin role or higher')
    return publicDelivery(await services.email.retry(me.workspaceId, row.id))
  }, { summary: 'Send an email again (a conversation\'s: agents; any other: admins)', tag: 'Email', auth: 'agent' })

  router.add('POST', '/api/conversations/:id/email-reply', async (ctx) => {
    const me = await agentOf(services, ctx, 'agent')
    const conversation = await conversationFor(services, me, ctx.params.id as string, 'agent')
    const body = parseInput(EmailReplyBody, await ctx.body())
    const { delivery, duplicate } = await emailReply(services, conversation, body.messageId)
    return new Reply(duplicate ? 200 : 202, publicDelivery(delivery))
  }, { summary: 'Email a reply of the conversation to its customer (idempotent by message)', tag: 'Email', auth: 'agent', body: EmailReplyBody, status: 202 })

  router.add('POST', '/api/widget/conversations/:id/transcript', async (ctx) => {
    const visitor = await visitorOf(services, ctx)
    await services.widgetLimits.take('forms', widgetCallerOf(services, ctx, visitor))
    const conversation = await conversationFor(services, visitor, ctx.params.id as string)
    const body = parseInput(TranscriptRequestBody, await ctx.body())
    const contact = await getContact(services.db, visitor.workspaceId, visitor.contactId)
    // Only to the visitor's own address: the one they left, or, when they left none, the one given now (kept as theirs).
    if (body.email && contact?.email && body.email !== contact.email.toLowerCase()) throw new ParleyError('forbidden', 'email: the transcript goes only to the address you left with us', 'email')
    const to = contact?.email ?? body.email ?? null
    if (!to) throw new ParleyError('bad-request', 'email: is required (no email is known for you)', 'email')
    await services.accountLimits.transcript(visitor.workspaceId, to.toLowerCase())
    if (contact && !contact.email) {
      const updated = await updateContact(services.db, visitor.workspaceId, visitor.contactId, { email: to })
      if (updated) await recordContactEvent(services, 'contact.updated', updated, contact)
    }
    const delivery = await emailTranscript(services, conversation, to)
    return new Reply(202, { id: delivery.id, to: delivery.recipient, status: delivery.status })
  }, { summary: 'Email the visitor the conversation\'s transcript (only to their own address)', tag: 'Widget', auth: 'visitor', body: TranscriptRequestBody, status: 202 })

  router.add('POST', '/api/email/inbound/:workspaceId', async (ctx) => {
    const workspaceId = ctx.params.workspaceId as string
    await assertInboundToken(services, workspaceId, ctx.bearer())
    const result = await receiveEmail(services, workspaceId, await readRaw(ctx.req))
    return new Reply(result.duplicate ? 200 : 201, result)
  }, { summary: 'Email in: a customer\'s reply (the raw MIME message, RFC 5322, as the body) joins its conversation; idempotent by Message-ID', tag: 'Email', auth: 'inbound', consumes: 'message/rfc822', status: 201 })
}
