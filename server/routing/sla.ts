/**
 * SLA (issue 12): per inbox a first-response target (from the start of the cycle to the first
 * human reply, or to a resolve, which leaves nothing to answer) and a resolution target (from the
 * start to resolved). Each conversation carries its due times in its routing row; a periodic
 * sweep marks each breach once (a conditional write, so two instances sweeping at once mark it
 * once) and records an `sla_breached` event, dated at the due time, for the reports.
 *
 * What a support desk expects, and what this does:
 * - A cycle starts when the conversation first queues for a person.
 * - A reopen (by an agent, or by the customer writing into a resolved conversation) ends the
 *   cycle and starts a new one at the reopen, with its inbox's targets: the customer is waiting
 *   for an answer again, and the old cycle's met or breached targets stay as they were.
 * - A transfer to a team whose inbox has other targets moves the conversation to that inbox and
 *   gives it that inbox's targets, counted from the same cycle start: the customer's wait does
 *   not restart because we passed them around (else transferring would dodge a breach). What was
 *   already breached stays breached; the rest is judged against the new targets from then on.
 * - A transfer to an agent changes nothing (same inbox, same targets).
 * Every cycle (and each change of its targets) is also written to the internal document's `sla`
 * map, so `npm run rebuild-projection` computes the same due times and breaches from the
 * documents alone (`evaluateCycle` is the one rule, for the sweep and the rebuild).
 */
import type { Db } from '../../db/database.ts'
import { insertEvents } from '../../db/conversation-event.repository.ts'
import { getRouting, listDueForBreach, markBreach, updateRouting } from '../../db/routing.repository.ts'
import type { ConversationRouting, Inbox } from '../../db/tables.ts'
import type { SlaCycle } from '../../protocol/index.ts'

export type SlaTarget = 'first_response' | 'resolution'

export function dueTimes(inbox: Pick<Inbox, 'first_response_minutes' | 'resolution_minutes'>, startedAt: number): { first_response_due_at: number | null; resolution_due_at: number | null } {
  return {
    first_response_due_at: inbox.first_response_minutes ? startedAt + inbox.first_response_minutes * 60_000 : null,
    resolution_due_at: inbox.resolution_minutes ? startedAt + inbox.resolution_minutes * 60_000 : null,
  }
}

export interface CycleOutcome { firstResponseAt: number | null; resolvedAt: number | null; firstResponseBreachedAt: number | null; resolutionBreachedAt: number | null }

/**
 * One cycle judged: its stretches (same start, oldest first), when it ended (the next cycle's
 * start, or Infinity), the times of human replies and resolves, and now. A breach is dated at
 * its due time, so judging again, live or in a rebuild, gives the same answer.
 */
export function evaluateCycle(stretches: SlaCycle[], until: number, replies: number[], resolves: number[], now: number): CycleOutcome {
  const startedAt = stretches[0]!.startedAt
  const first = (times: number[]) => { const inside = times.filter((at) => at >= startedAt && at < until); return inside.length > 0 ? Math.min(...inside) : null }
  const firstResponseAt = first(replies)
  const resolvedAt = first(resolves)
  const breachOf = (which: SlaTarget, stop: number | null): number | null => {
    for (let i = 0; i < stretches.length; i++) {
      const stretch = stretches[i]!
      // Met (or stopped) before these targets applied: nothing later can breach.
      if (stop !== null && stop < stretch.since) return null
      const due = which === 'first_response' ? stretch.firstResponseDueAt : stretch.resolutionDueAt
      const end = stretches[i + 1]?.since ?? until
      if (due !== null && due <= Math.min(now, end) && !(stop !== null && stop <= due)) return due
    }
    return null
  }
  const responded = firstResponseAt === null ? resolvedAt : resolvedAt === null ? firstResponseAt : Math.min(firstResponseAt, resolvedAt)
  return { firstResponseAt, resolvedAt, firstResponseBreachedAt: breachOf('first_response', responded), resolutionBreachedAt: breachOf('resolution', resolvedAt) }
}

/** The cycle a routing row holds now, as the one stretch the live sweep knows of. */
const stretchOf = (row: ConversationRouting): SlaCycle => ({
  startedAt: row.sla_started_at!, since: row.sla_started_at!, inboxId: row.inbox_id, firstResponseDueAt: row.first_response_due_at, resolutionDueAt: row.resolution_due_at,
})

/** The `sla_breached` event of one breach: keyed by conversation, target and due time (one per cycle's target). */
export const breachEvent = (row: Pick<ConversationRouting, 'conversation_id' | 'workspace_id' | 'assignee_id'>, which: SlaTarget, due: number) => ({
  id: `${row.conversation_id}:sla_breached:${which}:${due}`, workspace_id: row.workspace_id, conversation_id: row.conversation_id, kind: 'sla_breached' as const, at: due,
  actor_id: null, assignee_id: row.assignee_id, from_assignee_id: null, priority: null, reason: which, rating: null, comment: null, until_at: null,
})

/**
 * Judges a row's current cycle from the event log up to `until` (now, or when the cycle ends),
 * records what was met and marks what was breached. Returns whether a breach was marked.
 */
export async function settleRow(db: Db, row: ConversationRouting, now: number, until = Infinity): Promise<boolean> {
  if (row.sla_started_at === null) return false
  const events = await db.kysely.selectFrom('conversation_events').select(['kind', 'at']).where('conversation_id', '=', row.conversation_id)
    .where('kind', 'in', ['human_reply', 'resolved']).where('at', '>=', row.sla_started_at).execute()
  const outcome = evaluateCycle([stretchOf(row)], until, events.filter((e) => e.kind === 'human_reply').map((e) => Number(e.at)), events.filter((e) => e.kind === 'resolved').map((e) => Number(e.at)), now)
  const patch: Partial<ConversationRouting> = {}
  if (outcome.firstResponseAt !== null && row.first_response_at === null) patch.first_response_at = outcome.firstResponseAt
  if (outcome.resolvedAt !== null && row.resolved_at === null) patch.resolved_at = outcome.resolvedAt
  await updateRouting(db, row.conversation_id, patch)
  let marked = false
  const checks: [SlaTarget, number | null, number | null][] = [
    ['first_response', outcome.firstResponseBreachedAt, row.first_response_breached_at],
    ['resolution', outcome.resolutionBreachedAt, row.resolution_breached_at],
  ]
  for (const [which, due, already] of checks) {
    if (due === null || already !== null) continue
    if (!(await markBreach(db, row.conversation_id, which, due))) continue
    marked = true
    await insertEvents(db, [breachEvent(row, which, due)])
  }
  return marked
}

/** Marks what is overdue now; returns the workspaces whose routing view changed. */
export async function sweepBreaches(db: Db, now: number): Promise<Set<string>> {
  const changed = new Set<string>()
  for (const row of await listDueForBreach(db, now)) if (await settleRow(db, row, now)) changed.add(row.workspace_id)
  return changed
}

/** What the projection saw happen: a human reply or a resolve within the current cycle is recorded as met at once. */
export async function recordProgress(db: Db, conversationId: string, kind: 'human_reply' | 'resolved', at: number): Promise<void> {
  const column = kind === 'human_reply' ? 'first_response_at' : 'resolved_at'
  await db.kysely.updateTable('conversation_routing').set({ [column]: at }).where('conversation_id', '=', conversationId)
    .where('sla_started_at', 'is not', null).where('sla_started_at', '<=', at).where(column, 'is', null).execute()
}

/**
 * A reopen at `at`: the ending cycle is judged up to it, then a new cycle starts with the inbox's
 * targets. Conditional on the row's cycle being older, so a reopen seen twice (a retried
 * projection, two instances) starts one cycle. Returns the new cycle, or null when it was not started here.
 */
export async function restartCycle(db: Db, conversationId: string, inbox: Inbox, at: number, now: number): Promise<SlaCycle | null> {
  const row = await getRouting(db, conversationId)
  if (!row || (row.sla_started_at !== null && row.sla_started_at >= at)) return null
  await settleRow(db, row, now, at)
  const due = dueTimes(inbox, at)
  const result = await db.kysely.updateTable('conversation_routing')
    .set({ sla_started_at: at, inbox_id: inbox.id, ...due, first_response_at: null, resolved_at: null, first_response_breached_at: null, resolution_breached_at: null, first_response_warned_at: null, resolution_warned_at: null, ...(row.assignee_id ? {} : { queued_at: at }) })
    .where('conversation_id', '=', conversationId)
    .where((eb) => eb.or([eb('sla_started_at', 'is', null), eb('sla_started_at', '<', at)])).executeTakeFirst()
  if (Number(result.numUpdatedRows) !== 1) return null
  return { startedAt: at, since: at, inboxId: inbox.id, firstResponseDueAt: due.first_response_due_at, resolutionDueAt: due.resolution_due_at }
}

/**
 * A transfer into another inbox at `at`: what was due under the old targets is judged up to now,
 * then the cycle takes the new inbox's targets from its own start. Returns the new stretch, or
 * null when nothing changed (no cycle yet: it gets the new inbox's targets when it queues).
 */
export async function retargetCycle(db: Db, conversationId: string, inbox: Inbox, at: number): Promise<SlaCycle | null> {
  const row = await getRouting(db, conversationId)
  if (!row) return null
  if (row.sla_started_at === null) { await updateRouting(db, conversationId, { inbox_id: inbox.id }); return null }
  if (row.inbox_id === inbox.id) return null
  await settleRow(db, row, at)
  const due = dueTimes(inbox, row.sla_started_at)
  await db.kysely.updateTable('conversation_routing').set({ inbox_id: inbox.id, ...due, first_response_warned_at: null, resolution_warned_at: null })
    .where('conversation_id', '=', conversationId).where('sla_started_at', '=', row.sla_started_at).execute()
  // A stretch starts after its cycle's first (the cycle's start is the document's time, `at` the routing clock's).
  return { startedAt: row.sla_started_at, since: Math.max(at, row.sla_started_at + 1), inboxId: inbox.id, firstResponseDueAt: due.first_response_due_at, resolutionDueAt: due.resolution_due_at }
}

/** The first stretch of a row's cycle, as it was started (for the internal document). */
export const firstStretch = (row: ConversationRouting): SlaCycle | null => (row.sla_started_at === null ? null : stretchOf(row))

/**
 * The SLA state of one conversation, rebuilt from its documents: the cycles recorded in its
 * internal document, its human replies and its resolves. Gives the routing row's SLA columns
 * (of the last cycle) and every cycle's breaches.
 */
export function judgeCycles(cycles: SlaCycle[], replies: number[], resolves: number[], now: number): { last: SlaCycle & CycleOutcome; lastStretch: SlaCycle; breaches: { which: SlaTarget; due: number }[] } | null {
  if (cycles.length === 0) return null
  const starts = [...new Set(cycles.map((c) => c.startedAt))].sort((a, b) => a - b)
  const breaches: { which: SlaTarget; due: number }[] = []
  let last: (SlaCycle & CycleOutcome) | null = null
  let lastStretch: SlaCycle | null = null
  starts.forEach((start, i) => {
    const stretches = cycles.filter((c) => c.startedAt === start)
    const outcome = evaluateCycle(stretches, starts[i + 1] ?? Infinity, replies, resolves, now)
    if (outcome.firstResponseBreachedAt !== null) breaches.push({ which: 'first_response', due: outcome.firstResponseBreachedAt })
    if (outcome.resolutionBreachedAt !== null) breaches.push({ which: 'resolution', due: outcome.resolutionBreachedAt })
    lastStretch = stretches.at(-1)!
    last = { ...stretches[0]!, ...outcome }
  })
  return { last: last!, lastStretch: lastStretch!, breaches }
}
