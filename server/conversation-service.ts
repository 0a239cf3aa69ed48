/**
 * What the server itself writes into conversation documents: new conversations and the
 * customer send path (validated, appended once per message id, durable before it answers,
 * then the bot is asked). Customers never write documents themselves.
 */
import type { Hocuspocus } from '@hocuspocus/server'
import type * as Y from 'yjs'
import {
  CustomerMessageBody, ParleyError, appendMessage, createId, findMessage, formatConversationName, getMeta, initConversation,
  parseInput, readMeta, replyIdFor, updateMeta, type Attachment, type ContactSummary, type ConversationMeta, type ConversationStatus, type Message,
} from '../protocol/index.ts'
import type { Db } from '../db/database.ts'
import { getContact } from '../db/contact.repository.ts'
import { getConversation, insertConversation } from '../db/conversation.repository.ts'
import type { DurabilityExtension } from './extensions/durability.ts'
import type { JobQueue } from './job-queue.ts'
import type { AttachmentStore } from './storage/attachment-store.ts'

export const SERVER_ORIGIN = { source: 'local', context: { server: true } } as const

export interface SendResult { message: Message; duplicate: boolean }

export class ConversationService {
  constructor(
    private readonly db: Db,
    private readonly hocuspocus: Hocuspocus,
    private readonly durability: DurabilityExtension,
    private readonly jobs: JobQueue,
    private readonly botEnabled: (workspaceId: string) => Promise<boolean>,
    private readonly attachments: AttachmentStore,
  ) {}

  /** A customer's attachments must be uploads of this conversation; their description comes from the store, not the client. */
  private async resolveAttachments(conversationId: string, attachments: Attachment[]): Promise<Attachment[]> {
    return Promise.all(attachments.map(async (attachment, i) => {
      const stored = await this.attachments.get(`${conversationId}/${attachment.id}`).catch(() => null)
      if (!stored) throw new ParleyError('bad-request', `attachments.${i}.id: no upload with this id in this conversation`, `attachments.${i}.id`)
      return { id: attachment.id, name: stored.info.name, contentType: stored.info.contentType, size: stored.info.size, url: `/api/widget/conversations/${conversationId}/attachments/${attachment.id}` }
    }))
  }

  /** Runs `change` on the loaded document and resolves once what it wrote is durable. */
  async change<T>(conversationId: string, change: (doc: Y.Doc) => T): Promise<T> {
    const name = formatConversationName(conversationId)
    const connection = await this.hocuspocus.openDirectConnection(name, { internal: 'server' })
    try {
      let result!: T
      await connection.transact((doc) => { result = change(doc) })
      await this.durability.flush(name)
      return result
    } finally {
      await connection.disconnect({ unloadImmediately: false })
    }
  }

  /**
   * `id`, `assignee` and `subject` are given by the REST API (issue 16): a conversation the team
   * opens is theirs from the start, so the bot does not greet it.
   */
  async createConversation(input: { workspaceId: string; contactId: string; widgetId: string | null; page?: string; language?: string; id?: string; assignee?: string; subject?: string; noBot?: boolean }): Promise<string> {
    const contact = await getContact(this.db, input.workspaceId, input.contactId)
    if (!contact) throw new ParleyError('not-found', 'no such contact')
    const id = input.id ?? createId('c')
    const now = Date.now()
    const status: ConversationStatus = input.assignee ? 'open' : !input.noBot && (await this.botEnabled(input.workspaceId)) ? 'bot' : 'waiting'
    await insertConversation(this.db, {
      id, workspace_id: input.workspaceId, contact_id: contact.id, widget_id: input.widgetId, status, priority: 'normal',
      assignee_id: input.assignee ?? null, subject: input.subject ?? '', preview: '', labels: '[]', category: null, sentiment: null, language: null, escalation_reason: null,
      csat_rating: null, csat_comment: null, message_count: 0, waiting_since: status === 'waiting' ? now : null,
      created_at: now, updated_at: now, last_activity_at: now,
    })
    const summary: ContactSummary = { id: contact.id, ...(contact.name ? { name: contact.name } : {}), ...(contact.email ? { email: contact.email } : {}), ...(input.page ? { page: input.page } : {}), ...(input.language ? { language: input.language } : {}) }
    await this.change(id, (doc) => initConversation(doc, {
      workspaceId: input.workspaceId, contact: summary, status, widgetId: input.widgetId, waitingSince: status === 'waiting' ? now : null,
      ...(input.assignee ? { assignee: input.assignee } : {}), ...(input.subject ? { subject: input.subject } : {}),
    }, SERVER_ORIGIN))
    if (status === 'bot') await this.jobs.add({ kind: 'greet', conversationId: id, messageId: `greet-${id}`, workspaceId: input.workspaceId })
    return id
  }

  /** Told when a customer's message reopened a resolved conversation (routing writes it into the transcript and restarts the SLA). */
  onCustomerReopened: (conversationId: string, message: Message) => void = () => {}

  /** The customer send path. Idempotent by message id: a retry returns the stored message. */
  async sendCustomerMessage(visitor: { workspaceId: string; contactId: string; name: string }, conversationId: string, input: unknown): Promise<SendResult> {
    const body = parseInput(CustomerMessageBody, input)
    let row = await getConversation(this.db, conversationId)
    if (!row || row.workspace_id !== visitor.workspaceId || row.contact_id !== visitor.contactId) {
      throw new ParleyError('forbidden-conversation', 'that conversation belongs to someone else')
    }
    if (body.text.trim() === '' && (body.attachments ?? []).length === 0) throw new ParleyError('bad-request', 'text: must not be empty', 'text')
    // Files were uploaded where the widget was: the conversation it named.
    const attachments = await this.resolveAttachments(conversationId, body.attachments ?? [])
    // A merged-away conversation is a pointer (issue 13): the customer writes on in its survivor.
    // One that races the merge lands in the old document and is carried over (server/conversation-merge/).
    for (let hops = 0; row?.merged_into && hops < 20; hops++) row = await getConversation(this.db, row.merged_into)
    if (!row || row.contact_id !== visitor.contactId) throw new ParleyError('forbidden-conversation', 'that conversation belongs to someone else')
    conversationId = row.id
    const { message, duplicate, status } = await this.change(conversationId, (doc) => {
      const existing = findMessage(doc, body.id)
      if (existing) {
        if (existing.author.role !== 'customer' || existing.author.id !== visitor.contactId) throw new ParleyError('conflict', 'that message id is taken', 'id')
        return { message: existing, duplicate: true, status: readMeta(doc).status }
      }
      const message: Message = {
        id: body.id, author: { role: 'customer', id: visitor.contactId, name: visitor.name }, kind: 'message',
        text: body.text, attachments, createdAt: Date.now(),
      }
      let status: ConversationStatus | undefined
      const before = readMeta(doc).status
      doc.transact(() => {
        appendMessage(doc, message)
        status = reopen(doc)
      }, SERVER_ORIGIN)
      if (before === 'resolved' && status !== 'resolved') this.onCustomerReopened(conversationId, message)
      return { message, duplicate: false, status }
    })
    // Enqueued after the message is durable; also on a duplicate, in case the first attempt
    // stopped between the two. The job is idempotent: it replies at most once per trigger.
    if (status === 'bot') {
      const replied = duplicate && (await this.change(conversationId, (doc) => findMessage(doc, replyIdFor(message.id)) !== undefined))
      if (!replied) await this.jobs.add({ kind: 'reply', conversationId, messageId: message.id, workspaceId: visitor.workspaceId })
    }
    return { message, duplicate }
  }
}

/** A customer writing into a resolved or snoozed conversation brings it back to the team. */
function reopen(doc: Y.Doc): ConversationStatus | undefined {
  const meta = readMeta(doc)
  const now = Date.now()
  const patch: Partial<ConversationMeta> = {}
  if (meta.status === 'resolved') Object.assign(patch, meta.assignee ? { status: 'open' } : { status: 'waiting', waitingSince: now })
  else if (meta.status === 'snoozed') Object.assign(patch, { status: meta.assignee ? 'open' : 'waiting', snoozedUntil: null, ...(meta.assignee ? {} : { waitingSince: now }) })
  if (Object.keys(patch).length > 0) updateMeta(doc, patch)
  return (getMeta(doc).get('status') as ConversationStatus | undefined) ?? meta.status
}
