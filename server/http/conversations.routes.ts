import { ConversationListQuery, SearchQuery, ParleyError, formatContactName, parseInput, readMessages, readMeta } from '../../protocol/index.ts'
import { getContact } from '../../db/contact.repository.ts'
import { getConversation, listConversations } from '../../db/conversation.repository.ts'
import { searchMessages } from '../../db/message.repository.ts'
import type { Contact, Conversation } from '../../db/tables.ts'
import { toContactRecord } from '../contacts/contact-service.ts'
import type { Services } from '../services.ts'
import { agentOf } from './principal.ts'
import type { Router } from './router.ts'

export const publicConversation = (c: Conversation) => ({
  id: c.id, workspaceId: c.workspace_id, contactId: c.contact_id, widgetId: c.widget_id, status: c.status, priority: c.priority,
  assignee: c.assignee_id, subject: c.subject, preview: c.preview, labels: JSON.parse(c.labels) as string[],
  classification: c.category ? { category: c.category, sentiment: c.sentiment, language: c.language } : null,
  escalationReason: c.escalation_reason, csat: c.csat_rating ? { rating: c.csat_rating, comment: c.csat_comment } : null,
  messageCount: c.message_count, waitingSince: c.waiting_since, createdAt: c.created_at, updatedAt: c.updated_at, lastActivityAt: c.last_activity_at,
  /** Set when this conversation was merged into another: open that one instead (issue 13). */
  mergedInto: c.merged_into ?? null,
})

export function addConversationRoutes(router: Router, services: Services): void {
  const ownConversation = async (workspaceId: string, id: string) => {
    const conversation = await getConversation(services.db, id)
    if (!conversation || conversation.workspace_id !== workspaceId) throw new ParleyError('not-found', 'no such conversation')
    return conversation
  }

  router.add('GET', '/api/conversations', async (ctx) => {
    const me = await agentOf(services, ctx)
    const query = parseInput(ConversationListQuery, ctx.query)
    const page = await listConversations(services.db, { workspaceId: me.workspaceId, ...query })
    // The name each row goes by, as the inbox shows it (pages past the inbox's working set are read from here).
    const contactIds = [...new Set(page.items.map((c) => c.contact_id))]
    const contacts = contactIds.length === 0 ? [] : await services.db.kysely.selectFrom('contacts').select(['id', 'name', 'email']).where('workspace_id', '=', me.workspaceId).where('id', 'in', contactIds).execute()
    const names = new Map(contacts.map((c) => [c.id, formatContactName({ id: c.id, ...(c.name ? { name: c.name } : {}), ...(c.email ? { email: c.email } : {}) })]))
    return { items: page.items.map((c) => ({ ...publicConversation(c), contactName: names.get(c.contact_id) ?? formatContactName({ id: c.contact_id }) })), nextCursor: page.nextCursor }
    }, { summary: 'List conversations, filtered and paged', tag: 'Conversations', auth: 'viewer', query: ConversationListQuery })

  router.add('GET', '/api/conversations/:id', async (ctx) => {
    const me = await agentOf(services, ctx)
    const conversation = await ownConversation(me.workspaceId, ctx.params.id as string)
    const contact = await getContact(services.db, me.workspaceId, conversation.contact_id)
    return { ...publicConversation(conversation), contact: contact ? publicContact(contact) : null }
  }, { summary: 'One conversation with its contact', tag: 'Conversations', auth: 'viewer' })

  /** The transcript, read from the document itself (the source of truth), as JSON. */
  router.add('GET', '/api/conversations/:id/transcript', async (ctx) => {
    const me = await agentOf(services, ctx)
    const conversation = await ownConversation(me.workspaceId, ctx.params.id as string)
    const contact = await getContact(services.db, me.workspaceId, conversation.contact_id)
    const { meta, messages } = await services.conversations.change(conversation.id, (doc) => ({ meta: readMeta(doc), messages: readMessages(doc) }))
    ctx.res.setHeader('content-disposition', `attachment; filename="conversation-${conversation.id}.json"`)
    return { exportedAt: new Date().toISOString(), conversation: { ...publicConversation(conversation), meta }, contact: contact ? publicContact(contact) : null, messages }
  }, { summary: 'The transcript, read from the document, as a JSON file', tag: 'Conversations', auth: 'viewer' })

  router.add('GET', '/api/search', async (ctx) => {
    const me = await agentOf(services, ctx)
    const { q } = parseInput(SearchQuery, ctx.query)
    const hits = await searchMessages(services.db, me.workspaceId, q)
    return { items: hits.map((m) => ({ conversationId: m.conversation_id, id: m.id, text: m.text, authorRole: m.author_role, authorName: m.author_name, kind: m.kind, createdAt: m.created_at })) }
  }, { summary: 'Full-text search of messages', tag: 'Conversations', auth: 'viewer', query: SearchQuery })
}

/** The conversation's contact, as the contacts API answers it (server/contacts/). */
export const publicContact = (c: Contact) => toContactRecord(c)
