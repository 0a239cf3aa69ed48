/**
 * "Leave a message": when nobody can answer, the widget takes the visitor's email so the team
 * can reply later. Stored on the contact, in the conversation's contact summary, and as an event
 * in the conversation so agents see it where they work.
 */
import { createHash } from 'node:crypto'
import { LeaveEmailBody, ParleyError, appendMessage, parseInput, readMeta, updateMeta } from '../../protocol/index.ts'
import { getContact, updateContact } from '../../db/contact.repository.ts'
import { recordContactEvent } from '../webhooks/contact-events.ts'
import { SERVER_ORIGIN } from '../conversation-service.ts'
import type { Services } from '../services.ts'
import { conversationFor } from './conversation-access.ts'
import { visitorOf } from './principal.ts'
import type { Router } from './router.ts'
import { widgetCallerOf } from './widget-caller.ts'

export function addLeaveMessageRoutes(router: Router, services: Services): void {
  router.add('POST', '/api/widget/conversations/:id/contact', async (ctx) => {
    const visitor = await visitorOf(services, ctx)
    await services.widgetLimits.take('forms', widgetCallerOf(services, ctx, visitor))
    const conversation = await conversationFor(services, visitor, ctx.params.id as string)
    const body = parseInput(LeaveEmailBody, await ctx.body())
    const before = await getContact(services.db, visitor.workspaceId, visitor.contactId)
    const contact = await updateContact(services.db, visitor.workspaceId, visitor.contactId, { email: body.email, ...(body.name ? { name: body.name } : {}) })
    if (!contact) throw new ParleyError('not-found', 'no such contact')
    await recordContactEvent(services, 'contact.updated', contact, before)
    // One event per address: sending the same email twice changes nothing.
    const eventId = `email-${createHash('sha256').update(body.email).digest('hex').slice(0, 24)}`
    await services.conversations.change(conversation.id, (doc) => {
      const summary = readMeta(doc).contact ?? { id: contact.id }
      doc.transact(() => {
        updateMeta(doc, { contact: { ...summary, email: body.email, ...(body.name ? { name: body.name } : {}) } })
        appendMessage(doc, {
          id: eventId, author: { role: 'system', id: 'parley', name: 'Parley' }, kind: 'event',
          text: `Nobody was available; the visitor asked for a reply by email to ${body.email}`, attachments: [], createdAt: Date.now(),
        })
      }, SERVER_ORIGIN)
    })
    return { email: body.email }
  }, { summary: 'Leave an email to be answered later', tag: 'Widget', auth: 'visitor', body: LeaveEmailBody })
}
