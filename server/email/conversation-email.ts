/**
 * Email from a conversation: an agent's reply to a visitor who left an email and is gone, and
 * the transcript a customer asks for. A reply's Message-ID is made from the conversation and
 * the chat message (`<reply.<conversation>.<message>@domain>`), so sending it again is the same
 * email (one delivery), and its In-Reply-To / References name the conversation's earlier emails
 * (ours and the customer's), so mail clients keep one thread.
 */
import { ParleyError, customerEmailLanguage, findMessage, readMessages, emailMessage, type Message } from '../../protocol/index.ts'
import { getContact } from '../../db/contact.repository.ts'
import type { Conversation, EmailDelivery } from '../../db/tables.ts'
import { getWorkspace } from '../../db/workspace.repository.ts'
import type { Services } from '../services.ts'
import { renderEmail, templates } from './templates.ts'

const REFERENCES_KEPT = 20

async function contactEmail(services: Services, conversation: Conversation): Promise<string | null> {
  const contact = await getContact(services.db, conversation.workspace_id, conversation.contact_id)
  return contact?.email ?? null
}

/** The Message-IDs of the conversation's thread so far, oldest first: our emails and the customer's. */
async function threadIds(services: Services, conversationId: string): Promise<string[]> {
  const [ours, theirs] = await Promise.all([
    services.db.kysely.selectFrom('email_deliveries').select(['message_id', 'created_at']).where('conversation_id', '=', conversationId).where('kind', '=', 'reply').execute(),
    services.db.kysely.selectFrom('inbound_emails').select(['message_id', 'created_at']).where('conversation_id', '=', conversationId).execute(),
  ])
  return [...ours, ...theirs].sort((a, b) => a.created_at - b.created_at).map((r) => r.message_id)
}

export async function emailReply(services: Services, conversation: Conversation, messageId: string): Promise<{ delivery: EmailDelivery; duplicate: boolean }> {
  const to = await contactEmail(services, conversation)
  if (!to) throw new ParleyError('bad-request', 'the customer left no email address', 'messageId')
  const ourId = services.email.messageId('reply', conversation.id, messageId)
  const existing = await services.db.kysely.selectFrom('email_deliveries').selectAll().where('message_id', '=', ourId).executeTakeFirst()
  if (existing) return { delivery: existing, duplicate: true }
  const { message, original, language } = await services.conversations.change(conversation.id, (doc) => {
    const message = findMessage(doc, messageId)
    const all = readMessages(doc)
    const before = all.slice(0, Math.max(0, all.findIndex((m) => m.id === messageId)))
    const original = [...before].reverse().find((m) => m.author.role === 'customer' && m.kind === 'message') ?? null
    return { message, original, language: conversation.language }
  })
  if (!message || message.kind !== 'message' || message.author.role !== 'agent') throw new ParleyError('bad-request', 'messageId: no reply of an agent has this id in the conversation', 'messageId')
  const workspace = await getWorkspace(services.db, conversation.workspace_id)
  const lang = customerEmailLanguage(language)
  const thread = await threadIds(services, conversation.id)
  const delivery = await services.email.queue({
    workspaceId: conversation.workspace_id, kind: 'reply', to, conversationId: conversation.id, agentId: message.author.id, messageId: ourId,
    inReplyTo: thread.at(-1) ?? null, references: thread.length > 0 ? thread.slice(-REFERENCES_KEPT).join(' ') : null,
    email: renderEmail(templates.reply({
      workspace: workspace?.name ?? 'Parley', agent: message.author.name, language: lang, text: withAttachments(message, lang),
      original: original ? original.text : null, replyByEmail: Boolean(workspace?.inbound_token_hash),
    }), lang),
  })
  return { delivery, duplicate: false }
}

export async function emailTranscript(services: Services, conversation: Conversation, to: string | null): Promise<EmailDelivery> {
  const recipient = to ?? (await contactEmail(services, conversation))
  if (!recipient) throw new ParleyError('bad-request', 'email: is required (no email is known for you)', 'email')
  const { messages, language } = await services.conversations.change(conversation.id, (doc) => ({ messages: readMessages(doc), language: conversation.language }))
  const lang = customerEmailLanguage(language)
  const workspace = await getWorkspace(services.db, conversation.workspace_id)
  const lines = messages.filter((m) => m.kind === 'message' && !m.change).map((m) => ({
    who: m.author.role === 'customer' ? emailMessage('you', lang) : m.author.name, at: m.createdAt, text: withAttachments(m, lang),
  }))
  return services.email.queue({
    workspaceId: conversation.workspace_id, kind: 'transcript', to: recipient, conversationId: conversation.id,
    email: renderEmail(templates.transcript({ workspace: workspace?.name ?? 'Parley', language: lang, lines }), lang),
  })
}

const withAttachments = (m: Message, lang: string): string =>
  [m.text, ...m.attachments.map((a) => `[${emailMessage('attachment', lang)}: ${a.name}]`)].filter(Boolean).join('\n')
