/**
 * Projects a conversation document into SQL rows (conversation summary, messages) and into
 * its workspace's inbox entry. Idempotent by message id; the documents stay the source of truth.
 */
import * as Y from 'yjs'
import { getMessages, readMeta, type Classification, type InboxEntry, type Message } from '../protocol/index.ts'
import type { Db } from '../db/database.ts'
import { updateConversation } from '../db/conversation.repository.ts'
import { insertMessages } from '../db/message.repository.ts'
import type { MessageRow } from '../db/tables.ts'

const PREVIEW_LENGTH = 160

export function toMessageRow(conversationId: string, workspaceId: string, message: Message, seq: number): MessageRow {
  return {
    conversation_id: conversationId, id: message.id, workspace_id: workspaceId, seq,
    author_role: message.author.role, author_id: message.author.id, author_name: message.author.name,
    kind: message.kind, text: message.text, attachments: JSON.stringify(message.attachments), created_at: message.createdAt,
  }
}

/** The inbox summary of a conversation, derived from its document (and its category, which lives in the internal document). */
export function summarize(conversationId: string, doc: Y.Doc, category: string | null = null): InboxEntry | null {
  const meta = readMeta(doc)
  if (!meta.workspaceId || !meta.status) return null
  const messages = getMessages(doc)
  // Notes live in the internal document, so the last message here is the last the customer saw.
  const last: Message | undefined = messages.length > 0 ? messages.get(messages.length - 1) : undefined
  return {
    id: conversationId,
    status: meta.status,
    priority: meta.priority ?? 'normal',
    assignee: meta.assignee ?? null,
    contactName: meta.contact?.name ?? meta.contact?.email ?? 'Visitor',
    subject: meta.subject ?? '',
    preview: (last?.text ?? '').slice(0, PREVIEW_LENGTH),
    lastActivityAt: Math.max(last?.createdAt ?? 0, meta.updatedAt ?? 0, meta.createdAt ?? 0),
    waitingSince: meta.waitingSince ?? null,
    lastMessageAuthor: last?.author.role ?? null,
    messageCount: messages.length,
    labels: meta.labels ?? [],
    category,
  }
}

/** Writes the conversation row and the given messages (all of them when `messages` is omitted). */
export async function projectConversation(db: Db, conversationId: string, doc: Y.Doc, messages?: Message[], category: string | null = null): Promise<InboxEntry | null> {
  const entry = summarize(conversationId, doc, category)
  if (!entry) return null
  const meta = readMeta(doc)
  const all = getMessages(doc).toArray()
  const wanted = messages ? new Set(messages.map((m) => m.id)) : null
  const rows: MessageRow[] = []
  all.forEach((message, seq) => {
    if (!wanted || wanted.has(message.id)) rows.push(toMessageRow(conversationId, meta.workspaceId as string, message, seq))
  })
  await insertMessages(db, rows)
  await updateConversation(db, conversationId, {
    status: entry.status, priority: entry.priority, assignee_id: entry.assignee, subject: entry.subject, preview: entry.preview,
    labels: JSON.stringify(entry.labels), escalation_reason: meta.escalationReason ?? null,
    csat_rating: meta.csat?.rating ?? null, csat_comment: meta.csat?.comment ?? null,
    message_count: entry.messageCount, waiting_since: entry.waitingSince, snoozed_until: entry.status === 'snoozed' ? (meta.snoozedUntil ?? null) : null, updated_at: meta.updatedAt ?? Date.now(), last_activity_at: entry.lastActivityAt,
  })
  return entry
}

/** The AI's classification, from the internal document, into the conversation row. */
export async function projectClassification(db: Db, conversationId: string, classification: Classification): Promise<void> {
  await updateConversation(db, conversationId, { category: classification.category, sentiment: classification.sentiment, language: classification.language })
}
