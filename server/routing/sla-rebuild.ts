/**
 * The SLA rebuilt from the documents (`npm run rebuild-projection`; issue 12): the cycles the
 * internal document recorded, the human replies and the resolves the transcript holds, judged by
 * the same rule as the live sweep (server/routing/sla.ts#evaluateCycle), give the routing row's
 * SLA columns and every cycle's `sla_breached` event, keyed as the live ones are.
 */
import type * as Y from 'yjs'
import { readMessages, readMeta, readSlaCycles } from '../../protocol/index.ts'
import type { Db } from '../../db/database.ts'
import { insertEvents } from '../../db/conversation-event.repository.ts'
import { ensureRouting, updateRouting } from '../../db/routing.repository.ts'
import { isHumanReply } from '../events/derive-events.ts'
import { breachEvent, judgeCycles } from './sla.ts'

/** The id prefix of the customer's "This conversation was resolved", written once per resolve at its time (routing-service.ts). */
const RESOLVED_EVENT_PREFIX = 'ev-resolved-'

export async function rebuildConversationSla(db: Db, conversationId: string, doc: Y.Doc, internal: Y.Doc, now: number): Promise<boolean> {
  const meta = readMeta(doc)
  const cycles = readSlaCycles(internal)
  if (!meta.workspaceId || cycles.length === 0) return false
  const messages = readMessages(doc)
  const replies = messages.filter(isHumanReply).map((m) => m.createdAt)
  const resolves = messages.filter((m) => m.kind === 'event' && m.author.role === 'system' && m.id.startsWith(RESOLVED_EVENT_PREFIX)).map((m) => m.createdAt)
  // Resolved, and its notice not written yet: the resolve is the last change.
  const lastStart = Math.max(...cycles.map((c) => c.startedAt))
  if (meta.status === 'resolved' && !resolves.some((at) => at >= lastStart) && meta.updatedAt !== undefined) resolves.push(meta.updatedAt)
  const judged = judgeCycles(cycles, replies, resolves, now)!
  const { last, lastStretch } = judged
  const row = await ensureRouting(db, { conversation_id: conversationId, workspace_id: meta.workspaceId, inbox_id: lastStretch.inboxId, assignee_id: meta.assignee ?? null, queued_at: last.startedAt })
  await updateRouting(db, conversationId, {
    sla_started_at: last.startedAt, inbox_id: lastStretch.inboxId, first_response_due_at: lastStretch.firstResponseDueAt, resolution_due_at: lastStretch.resolutionDueAt,
    first_response_at: last.firstResponseAt, resolved_at: last.resolvedAt, first_response_breached_at: last.firstResponseBreachedAt, resolution_breached_at: last.resolutionBreachedAt,
  })
  // Idempotent by id: breaches the log still holds keep their rows (and the assignee they were recorded with).
  await insertEvents(db, judged.breaches.map((b) => breachEvent(row, b.which, b.due)))
  return true
}
