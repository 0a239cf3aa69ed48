/**
 * The inbox document (`inbox:<workspace>`), written only by the server: one summary per
 * conversation under `conversations`, so agents sync their inbox like any document and keep it offline.
 */
import * as Y from 'yjs'
import type { ConversationStatus, Priority } from './conversation.ts'

export const INBOX_ROOT = 'conversations'

export interface InboxEntry {
  id: string
  status: ConversationStatus
  priority: Priority
  assignee: string | null
  contactName: string
  subject: string
  preview: string
  lastActivityAt: number
  /** Set while the conversation waits for a human: the queue is ordered by priority, then this. */
  waitingSince: number | null
  lastMessageAuthor: string | null
  messageCount: number
  labels: string[]
  category: string | null
}

export const getInboxEntries = (doc: Y.Doc): Y.Map<InboxEntry> => doc.getMap<InboxEntry>(INBOX_ROOT)

/** Written by the server into an inbox document that has been rotated: the name of its successor. */
export const INBOX_META_ROOT = 'inboxMeta'
export const getInboxMeta = (doc: Y.Doc): Y.Map<string> => doc.getMap<string>(INBOX_META_ROOT)
/** The document this inbox moved to, or null while it is the current one. */
export const readInboxMovedTo = (doc: Y.Doc): string | null => getInboxMeta(doc).get('movedTo') ?? null

export const readInbox = (doc: Y.Doc): InboxEntry[] => [...getInboxEntries(doc).values()]

/**
 * In the inbox document, a map the server writes when an erase rewrote entries (privacy.ts, issue
 * 13): devices that keep the inbox offline (the agent app) store their copy again from its current
 * state, so the overwritten entries (a name, a preview) do not live on in the updates they stored before.
 */
export const INBOX_PRIVACY_ROOT = 'privacy'
export const INBOX_ERASED_AT = 'erasedAt'

const PRIORITY_RANK: Record<Priority, number> = { high: 0, normal: 1, low: 2 }

/** The waiting queue: high before normal before low, oldest first. */
export function sortQueue(entries: InboxEntry[]): InboxEntry[] {
  return entries
    .filter((entry) => entry.status === 'waiting')
    .sort((a, b) => PRIORITY_RANK[a.priority] - PRIORITY_RANK[b.priority] || (a.waitingSince ?? 0) - (b.waitingSince ?? 0))
}

/** 1-based place of a conversation in its workspace's queue, or null when it is not waiting. */
export function queuePosition(entries: InboxEntry[], conversationId: string): number | null {
  const index = sortQueue(entries).findIndex((entry) => entry.id === conversationId)
  return index < 0 ? null : index + 1
}
