/**
 * SLA (issue 12): per inbox a first-response target (from queueing to the first human reply)
 * and a resolution target (from queueing to resolved). Each conversation carries its due times
 * in its routing row; a periodic sweep marks each breach once (a conditional write, so two
 * instances sweeping at once mark it once) and records an `sla_breached` event for the reports.
 */
import type { Db } from '../../db/database.ts'
import { insertEvents } from '../../db/conversation-event.repository.ts'
import { listDueForBreach, markBreach, updateRouting } from '../../db/routing.repository.ts'
import type { Inbox } from '../../db/tables.ts'

export function dueTimes(inbox: Pick<Inbox, 'first_response_minutes' | 'resolution_minutes'>, queuedAt: number): { first_response_due_at: number | null; resolution_due_at: number | null } {
  return {
    first_response_due_at: inbox.first_response_minutes ? queuedAt + inbox.first_response_minutes * 60_000 : null,
    resolution_due_at: inbox.resolution_minutes ? queuedAt + inbox.resolution_minutes * 60_000 : null,
  }
}

/** Marks what is overdue now; returns the workspaces whose routing view changed. */
export async function sweepBreaches(db: Db, now: number): Promise<Set<string>> {
  const changed = new Set<string>()
  for (const row of await listDueForBreach(db, now)) {
    // What the event log already knows settles a target met before its due time.
    const events = await db.kysely.selectFrom('conversation_events').select(['kind', 'at']).where('conversation_id', '=', row.conversation_id)
      .where('kind', 'in', ['first_human_reply', 'resolved']).orderBy('at').execute()
    const firstReply = events.find((e) => e.kind === 'first_human_reply' && e.at >= (row.queued_at ?? 0))?.at ?? null
    const resolved = row.status === 'resolved' ? events.filter((e) => e.kind === 'resolved').at(-1)?.at ?? now : null
    if (firstReply !== null && row.first_response_at === null) await updateRouting(db, row.conversation_id, { first_response_at: firstReply })
    if (resolved !== null && row.resolved_at === null) await updateRouting(db, row.conversation_id, { resolved_at: resolved })
    const checks: ['first_response' | 'resolution', number | null, number | null, number | null][] = [
      ['first_response', row.first_response_due_at, firstReply, row.first_response_breached_at],
      ['resolution', row.resolution_due_at, resolved, row.resolution_breached_at],
    ]
    for (const [which, due, metAt, marked] of checks) {
      if (due === null || marked !== null || due > now || (metAt !== null && metAt <= due)) continue
      if (!(await markBreach(db, row.conversation_id, which, now))) continue
      changed.add(row.workspace_id)
      await insertEvents(db, [{
        id: `${row.conversation_id}:sla_breached:${which}:${due}`, workspace_id: row.workspace_id, conversation_id: row.conversation_id, kind: 'sla_breached', at: due,
        actor_id: null, assignee_id: row.assignee_id, from_assignee_id: null, priority: null, reason: which, rating: null, comment: null, until_at: null,
      }])
    }
  }
  return changed
}

/** A reopened conversation is on the clock again for resolution; a new queueing for first response. */
export const clearResolved = (db: Db, conversationId: string): Promise<void> => updateRouting(db, conversationId, { resolved_at: null })
