/**
 * The audit trail (issue 14): who did what to which conversation, read from the event log
 * (`conversation_events`, written by the projection from the documents). `GET /api/audit`,
 * owners and admins; the Audit page in the agent app.
 */
import * as v from 'valibot'

const day = v.pipe(v.string(), v.isoDate('must be a date like 2026-12-01'))
const id = v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be an id'))

export const AuditQuery = v.strictObject({
  /** Events an agent did (their replies, takes, transfers …) or that were assigned to them. */
  agent: v.optional(id),
  conversation: v.optional(id),
  kind: v.optional(v.pipe(v.string(), v.regex(/^[a-z_]{1,40}$/, 'must be an event kind'))),
  /** First and last day, inclusive, in the workspace's time zone. */
  from: v.optional(day),
  to: v.optional(day),
  cursor: v.optional(v.pipe(v.string(), v.maxLength(200))),
  limit: v.optional(v.pipe(v.string(), v.regex(/^\d{1,3}$/, 'must be a whole number'), v.transform(Number), v.minValue(1, 'must be at least 1'), v.maxValue(200, 'must be at most 200'))),
})
export type AuditQueryInput = v.InferOutput<typeof AuditQuery>

export interface AuditEntry {
  id: string
  at: number
  kind: string
  conversationId: string
  /** Who did it, when the document says (a reply's author, the agent who took it). */
  actorId: string | null
  assigneeId: string | null
  fromAssigneeId: string | null
  priority: string | null
  reason: string | null
  rating: number | null
  untilAt: number | null
}

export interface AuditPage { items: AuditEntry[]; nextCursor: string | null; kinds: string[] }
