/**
 * Projects a conversation document into SQL rows (conversation summary, messages) and into
 * its workspace's inbox entry. Idempotent by message id; the documents stay the source of truth.
 */
import * as Y from 'yjs'
import { formatContactName, getMessages, readMeta, type Classification, type ConversationMeta, type InboxEntry, type Message } from '../protocol/index.ts'
import type { Db } from '../db/database.ts'
import { updateConversation } from '../db/conversation.repository.ts'
import { eventsOfProjection, recordWebhookEvents, type DeliveryStream } from './webhooks/webhook-events.ts'
import { hasEvents, insertEvents } from '../db/conversation-event.repository.ts'
import { getConversation } from '../db/conversation.repository.ts'
import { insertMessages } from '../db/message.repository.ts'
import type { ConversationEvent, MessageRow } from '../db/tables.ts'
import { deriveCreated, deriveMessageEvents, deriveTransitions, isHumanReply, stateOfRow, type TrackedState } from './events/derive-events.ts'

const PREVIEW_LENGTH = 160
/** How far back the preview looks for the customer's last words before it settles for the last message. */
const PREVIEW_LOOKBACK = 50

export function toMessageRow(conversationId: string, workspaceId: string, message: Message, seq: number): MessageRow {
  return {
    conversation_id: conversationId, id: message.id, workspace_id: workspaceId, seq,
    author_role: message.author.role, author_id: message.author.id, author_name: message.author.name,
    kind: message.kind, text: message.text, attachments: JSON.stringify(message.attachments), created_at: message.createdAt,
  }
}

/** The inbox summary of a conversation, derived from its document (and its category, which lives in the internal document). */
export function summarize(conversationId: string, doc: Y.Doc, category: string | null = null, meta: Partial<ConversationMeta> = readMeta(doc)): InboxEntry | null {
  if (!meta.workspaceId || !meta.status) return null
  const messages = getMessages(doc)
  // Notes live in the internal document, so the last message here is the last the customer saw.
  const last: Message | undefined = messages.length > 0 ? messages.get(messages.length - 1) : undefined
  return {
    id: conversationId,
    status: meta.status,
    priority: meta.priority ?? 'normal',
    assignee: meta.assignee ?? null,
    contactName: formatContactName(meta.contact),
    subject: meta.subject ?? '',
    // The customer's last words, not the bot's handover or our own reply: what the row and the
    // "waiting" notification should show an agent deciding what to pick up (issue 17).
    preview: (lastCustomerText(messages) ?? last?.text ?? '').slice(0, PREVIEW_LENGTH),
    lastActivityAt: Math.max(last?.createdAt ?? 0, meta.updatedAt ?? 0, meta.createdAt ?? 0),
    waitingSince: meta.waitingSince ?? null,
    lastMessageAuthor: last?.author.role ?? null,
    messageCount: messages.length,
    labels: meta.labels ?? [],
    category,
  }
}

function lastCustomerText(messages: Y.Array<Message>): string | null {
  // get(i) finds its place from Yjs' search markers: reading the tail does not walk the array.
  for (let i = messages.length - 1; i >= Math.max(0, messages.length - PREVIEW_LOOKBACK); i--) {
    const message = messages.get(i)
    if (message.author.role === 'customer' && message.kind === 'message' && message.text.trim()) return message.text
  }
  return null
}

/** What projecting one conversation writes: its inbox entry, new message rows, its row's columns, its events (db/conversation-event.repository.ts). */
export interface ConversationProjection { workspaceId: string; entry: InboxEntry; rows: MessageRow[]; columns: Parameters<typeof updateConversation>[2]; events: ConversationEvent[] }

/**
 * Plans the projection of a conversation: the rows of its messages from index `from` on (all of
 * them from 0; none when null), with their current place as `seq`.
 */
export function planProjection(conversationId: string, doc: Y.Doc, from: number | null, category: string | null = null, transitions: ConversationEvent[] = []): ConversationProjection | null {
  const meta = readMeta(doc)
  const entry = summarize(conversationId, doc, category, meta)
  if (!entry) return null
  const workspaceId = meta.workspaceId as string
  const messages = getMessages(doc)
  const rows: MessageRow[] = []
  const added: Message[] = []
  // get(i) finds its place from Yjs' search markers: reading the tail does not walk the array.
  if (from !== null) for (let seq = from; seq < messages.length; seq++) { const m = messages.get(seq); added.push(m); rows.push(toMessageRow(conversationId, workspaceId, m, seq)) }
  // Whether a human replied before `from`: a scan that stops at the first human reply, which comes early.
  let humanBefore = false
  for (let i = 0; from !== null && i < from && !humanBefore; i++) humanBefore = isHumanReply(messages.get(i))
  return {
    workspaceId,
    entry,
    rows,
    events: [...deriveCreated(conversationId, meta), ...deriveMessageEvents(conversationId, workspaceId, added, humanBefore), ...transitions],
    columns: {
      status: entry.status, priority: entry.priority, assignee_id: entry.assignee, subject: entry.subject, preview: entry.preview,
      labels: JSON.stringify(entry.labels), escalation_reason: meta.escalationReason ?? null,
      csat_rating: meta.csat?.rating ?? null, csat_comment: meta.csat?.comment ?? null,
      message_count: entry.messageCount, waiting_since: entry.waitingSince, snoozed_until: entry.status === 'snoozed' ? (meta.snoozedUntil ?? null) : null, updated_at: meta.updatedAt ?? Date.now(), last_activity_at: entry.lastActivityAt,
    },
  }
}

/**
 * Writes planned projections: all their message rows in as few statements as possible, then each
 * conversation row; and the webhook deliveries of their events (server/webhooks), in the same
 * transaction as the event log. Returns the webhook streams that got deliveries.
 */
export async function writeProjections(db: Db, projections: ConversationProjection[]): Promise<DeliveryStream[]> {
  await insertMessages(db, projections.flatMap((p) => p.rows))
  await insertEvents(db, projections.flatMap((p) => p.events))
  for (const p of projections) await updateConversation(db, p.entry.id, p.columns)
  return recordWebhookEvents(db, projections.flatMap((p) => eventsOfProjection(p)))
}

/**
 * Writes the conversation row, all its messages and its events. A change of status, assignee or
 * rating is found against the row as last projected: the document keeps no history of them.
 */
export async function projectConversation(db: Db, conversationId: string, doc: Y.Doc, category: string | null = null): Promise<InboxEntry | null> {
  const projection = planProjection(conversationId, doc, 0, category, deriveTransitions(conversationId, await transitionBaseline(db, conversationId), readMeta(doc)))
  if (!projection) return null
  await writeProjections(db, [projection])
  return projection.entry
}

/**
 * What a document's meta is compared against to find its changes: the row as last projected,
 * once the log holds events of the conversation. Before that (a conversation projected before
 * the event log existed, or a log that was lost) the current state is told from a new
 * conversation's, so a rebuild records the resolve, assignment and rating it can still see.
 */
export async function transitionBaseline(db: Db, conversationId: string): Promise<TrackedState | null> {
  const row = await getConversation(db, conversationId)
  return row && (await hasEvents(db, conversationId)) ? stateOfRow(row) : null
}

/** The AI's classification, from the internal document, into the conversation row. */
export async function projectClassification(db: Db, conversationId: string, classification: Classification): Promise<void> {
  await updateConversation(db, conversationId, { category: classification.category, sentiment: classification.sentiment, language: classification.language })
}
