/**
 * The event log, derived from the documents (issue 14). Two sources:
 * - messages, which carry their author and time: bot replies, human replies, the first human reply;
 * - changes of meta (status, assignee, CSAT), found by comparing the state the projection last
 *   saw with the state now. Meta keeps only its current values and says neither who changed
 *   them nor when, so a change is dated by meta.updatedAt (the writer's clock: the agent app,
 *   the bot and the server set it with every change), an escalation by meta.waitingSince, and
 *   a status change names the assignee at the time as its actor_id only when the change
 *   itself is an assignment; otherwise actor_id is null because the document does not say.
 * Every key is made of what the document holds, so deriving again gives the same rows.
 */
import type { ConversationMeta, Message } from '../../protocol/index.ts'
import type { ConversationEvent, ConversationEventKind } from '../../db/tables.ts'

/** What a change is compared against: the conversation row the projection wrote last, or the meta seen last. */
export interface TrackedState { status: string | null; assignee: string | null; csatRating: number | null; csatComment: string | null }

export const stateOfMeta = (meta: Partial<ConversationMeta>): TrackedState => ({
  status: meta.status ?? null, assignee: meta.assignee ?? null, csatRating: meta.csat?.rating ?? null, csatComment: meta.csat?.comment ?? null,
})

export const stateOfRow = (row: { status: string; assignee_id: string | null; csat_rating: number | null; csat_comment: string | null }): TrackedState => ({
  status: row.status, assignee: row.assignee_id, csatRating: row.csat_rating, csatComment: row.csat_comment,
})

type EventFields = Partial<Omit<ConversationEvent, 'id' | 'workspace_id' | 'conversation_id' | 'kind' | 'at'>>

function event(conversationId: string, workspaceId: string, kind: ConversationEventKind, at: number, discriminator: string | null, fields: EventFields = {}): ConversationEvent {
  return {
    id: `${conversationId}:${kind}${discriminator === null ? '' : `:${discriminator}`}`,
    workspace_id: workspaceId, conversation_id: conversationId, kind, at,
    actor_id: null, assignee_id: null, from_assignee_id: null, priority: null, reason: null, rating: null, comment: null, until_at: null,
    ...fields,
  }
}

/** created: once per conversation, at meta.createdAt (no priority: the row holds the current one, and the first would be a guess). */
export function deriveCreated(conversationId: string, meta: Partial<ConversationMeta>): ConversationEvent[] {
  if (!meta.workspaceId || meta.createdAt === undefined) return []
  return [event(conversationId, meta.workspaceId, 'created', meta.createdAt, null)]
}

/**
 * Events of messages (pass them in document order). The first human reply is keyed by the
 * conversation alone; `humanBefore` says an earlier message (not passed) already was one.
 */
export function deriveMessageEvents(conversationId: string, workspaceId: string, messages: Iterable<Message>, humanBefore = false): ConversationEvent[] {
  const out: ConversationEvent[] = []
  let firstHuman = !humanBefore
  for (const m of messages) {
    if (m.kind !== 'message' || m.change) continue
    if (m.author.role === 'bot') out.push(event(conversationId, workspaceId, 'bot_replied', m.createdAt, m.id, { actor_id: m.author.id }))
    else if (isHumanReply(m)) {
      if (firstHuman) { out.push(event(conversationId, workspaceId, 'first_human_reply', m.createdAt, null, { actor_id: m.author.id })); firstHuman = false }
      out.push(event(conversationId, workspaceId, 'human_reply', m.createdAt, m.id, { actor_id: m.author.id }))
    }
  }
  return out
}

/** What changed from `before` to `meta`. With no `before` (a conversation never projected), it is compared against a new conversation: no assignee, no rating. */
export function deriveTransitions(conversationId: string, before: TrackedState | null, meta: Partial<ConversationMeta>): ConversationEvent[] {
  const workspaceId = meta.workspaceId
  if (!workspaceId || !meta.status) return []
  // A conversation merged into another is closed by the merge, not resolved (its `merged` event says so; issue 13).
  if (meta.mergedInto) return []
  const prev: TrackedState = before ?? { status: null, assignee: null, csatRating: null, csatComment: null }
  const now = stateOfMeta(meta)
  const at = meta.updatedAt ?? meta.createdAt ?? 0
  const priority = meta.priority ?? 'normal'
  const out: ConversationEvent[] = []
  const make = (kind: ConversationEventKind, when: number, fields: EventFields = {}, extra = '') =>
    out.push(event(conversationId, workspaceId, kind, when, `${when}${extra}`, { priority, assignee_id: now.assignee, ...fields }))
  if (now.status !== prev.status) {
    // The bot hands over by setting waiting with a reason; a conversation created waiting (no bot) was never escalated.
    if (now.status === 'waiting' && (prev.status === 'bot' || (prev.status === null && meta.escalationReason))) make('escalated', meta.waitingSince ?? at, { reason: meta.escalationReason ?? null })
    if (now.status === 'resolved') make('resolved', at)
    if (now.status === 'snoozed') make('snoozed', at, { until_at: meta.snoozedUntil ?? null })
    if (prev.status === 'resolved') make('reopened', at)
  }
  if (now.assignee !== prev.assignee) {
    if (now.assignee) make('assigned', at, { from_assignee_id: prev.assignee }, `:${now.assignee}`)
    else make('unassigned', at, { from_assignee_id: prev.assignee })
  }
  if (now.csatRating !== null && (now.csatRating !== prev.csatRating || now.csatComment !== prev.csatComment)) {
    make('csat', at, { rating: now.csatRating, comment: now.csatComment }, `:${now.csatRating}:${fnv1a(now.csatComment ?? '')}`)
  }
  return out
}

export const isHumanReply = (m: Message): boolean => m.kind === 'message' && !m.change && m.author.role === 'agent'

/** A short, stable fingerprint of a text (32-bit FNV-1a), so a rating re-given with another comment gets its own key. */
function fnv1a(text: string): string {
  let h = 0x811c9dc5
  for (let i = 0; i < text.length; i++) { h ^= text.charCodeAt(i); h = Math.imul(h, 0x01000193) }
  return (h >>> 0).toString(36)
}
