/**
 * Who has a conversation (issue 12). `conversation_routing.assignee_id` is the authority: each
 * assignment is one conditional UPDATE, so of any number of takes and auto-assignments racing on
 * one conversation, on any number of instances, exactly one changes the row; the others learn
 * who won. The conversation document follows the row (server/routing/assignment.ts).
 */
import { sql } from 'kysely'
import type { Db } from './database.ts'
import type { ConversationRouting } from './tables.ts'

export const getRouting = (db: Db, conversationId: string): Promise<ConversationRouting | undefined> =>
  db.kysely.selectFrom('conversation_routing').selectAll().where('conversation_id', '=', conversationId).executeTakeFirst()

/** The routing row of a conversation, made once (two instances making it at once make one). */
export async function ensureRouting(db: Db, row: Pick<ConversationRouting, 'conversation_id' | 'workspace_id'> & Partial<ConversationRouting>): Promise<ConversationRouting> {
  await db.kysely.insertInto('conversation_routing').values({
    inbox_id: null, team_id: null, assignee_id: null, version: 0, assigned_at: null, reason: null, category: null, confidence: null, queued_at: null, sla_started_at: null,
    first_response_due_at: null, resolution_due_at: null, first_response_at: null, resolved_at: null, first_response_breached_at: null, resolution_breached_at: null,
    ...row,
  }).onConflict((oc) => oc.column('conversation_id').doNothing()).execute()
  return (await getRouting(db, row.conversation_id))!
}

export async function updateRouting(db: Db, conversationId: string, patch: Partial<Omit<ConversationRouting, 'conversation_id' | 'workspace_id' | 'assignee_id' | 'version'>>): Promise<void> {
  if (Object.keys(patch).length === 0) return
  await db.kysely.updateTable('conversation_routing').set(patch).where('conversation_id', '=', conversationId).execute()
}

/** Take: succeeds only while nobody has the conversation. */
export async function claimUnassigned(db: Db, conversationId: string, agentId: string, at: number): Promise<boolean> {
  const result = await db.kysely.updateTable('conversation_routing')
    .set({ assignee_id: agentId, assigned_at: at, version: sql<number>`version + 1` })
    .where('conversation_id', '=', conversationId).where('assignee_id', 'is', null).executeTakeFirst()
  return Number(result.numUpdatedRows) === 1
}

/** A transfer or an unassignment: succeeds only if nobody changed the assignee since `version` was read. */
export async function reassign(db: Db, conversationId: string, version: number, agentId: string | null, teamId: string | null | undefined, at: number): Promise<boolean> {
  const result = await db.kysely.updateTable('conversation_routing')
    .set({ assignee_id: agentId, assigned_at: agentId ? at : null, version: sql<number>`version + 1`, ...(teamId !== undefined ? { team_id: teamId } : {}), ...(agentId ? {} : { queued_at: at }) })
    .where('conversation_id', '=', conversationId).where('version', '=', version).executeTakeFirst()
  return Number(result.numUpdatedRows) === 1
}

/**
 * Auto-assignment's claim: the agent's row is locked (PostgreSQL: `for update`, so two
 * instances filling one agent take turns; SQLite: one writer at a time), their load is counted,
 * and the conversation is claimed only below `capacity`. Capacity then holds across instances too.
 */
export async function claimWithinCapacity(db: Db, conversationId: string, agentId: string, capacity: number, at: number): Promise<'claimed' | 'full' | 'taken'> {
  return db.kysely.transaction().execute(async (trx) => {
    const lock = trx.selectFrom('agents').select('id').where('id', '=', agentId)
    await (db.dialect === 'postgres' ? lock.forUpdate() : lock).execute()
    const load = await loadQuery(trx as unknown as Db['kysely'], [agentId])
    if ((load.get(agentId) ?? 0) >= capacity) return 'full'
    const result = await trx.updateTable('conversation_routing')
      .set({ assignee_id: agentId, assigned_at: at, version: sql<number>`version + 1` })
      .where('conversation_id', '=', conversationId).where('assignee_id', 'is', null).executeTakeFirst()
    return Number(result.numUpdatedRows) === 1 ? 'claimed' : 'taken'
  })
}

/** Open conversations per agent: assigned to them and neither resolved nor snoozed. */
export const loadOf = (db: Db, agentIds: string[]): Promise<Map<string, number>> => loadQuery(db.kysely, agentIds)

async function loadQuery(kysely: Db['kysely'], agentIds: string[]): Promise<Map<string, number>> {
  if (agentIds.length === 0) return new Map()
  const rows = await kysely.selectFrom('conversation_routing as r').innerJoin('conversations as c', 'c.id', 'r.conversation_id')
    .select(['r.assignee_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('r.assignee_id', 'in', agentIds).where('c.status', 'not in', ['resolved', 'snoozed'])
    .groupBy('r.assignee_id').execute()
  return new Map(rows.map((r) => [r.assignee_id as string, Number(r.n)]))
}

export interface QueuedConversation { id: string; widget_id: string | null; priority: string; waiting_since: number | null; assignee_id: string | null; routed: number; team_id: string | null; inbox_id: string | null }

/** Waiting, unassigned conversations of a workspace in queue order: high, normal, low, then oldest first. */
export async function listQueue(db: Db, workspaceId: string, limit = 500): Promise<QueuedConversation[]> {
  const rows = await db.kysely.selectFrom('conversations as c').leftJoin('conversation_routing as r', 'r.conversation_id', 'c.id')
    .select(['c.id', 'c.widget_id', 'c.priority', 'c.waiting_since', 'c.assignee_id', 'r.team_id', 'r.inbox_id', sql<number>`case when r.conversation_id is null then 0 else 1 end`.as('routed')])
    .where('c.workspace_id', '=', workspaceId).where('c.status', '=', 'waiting').where('r.assignee_id', 'is', null)
    .orderBy(sql`case c.priority when 'high' then 0 when 'normal' then 1 else 2 end`).orderBy('c.waiting_since').orderBy('c.id')
    .limit(limit).execute()
  return rows as QueuedConversation[]
}

/** Workspaces with someone waiting: what the periodic pass walks. */
export async function workspacesWithQueue(db: Db): Promise<string[]> {
  const rows = await db.kysely.selectFrom('conversations').select('workspace_id').distinct().where('status', '=', 'waiting').execute()
  return rows.map((r) => r.workspace_id)
}

/**
 * Routing rows with a target due by now, not marked, and not met by its due time (not met at all,
 * or met late: a reply or resolve that came after the due time but before a sweep still breached).
 * A first response is also settled by a resolve. Met targets drop out, so the list stays short.
 */
export async function listDueForBreach(db: Db, now: number): Promise<(ConversationRouting & { status: string })[]> {
  return db.kysely.selectFrom('conversation_routing as r').innerJoin('conversations as c', 'c.id', 'r.conversation_id').selectAll('r').select('c.status')
    .where((eb) => eb.or([
      eb.and([
        eb('r.first_response_due_at', '<=', now), eb('r.first_response_breached_at', 'is', null),
        eb.or([eb('r.first_response_at', 'is', null), eb('r.first_response_at', '>', eb.ref('r.first_response_due_at'))]),
        eb.or([eb('r.resolved_at', 'is', null), eb('r.resolved_at', '>', eb.ref('r.first_response_due_at'))]),
      ]),
      eb.and([
        eb('r.resolution_due_at', '<=', now), eb('r.resolution_breached_at', 'is', null),
        eb.or([eb('r.resolved_at', 'is', null), eb('r.resolved_at', '>', eb.ref('r.resolution_due_at'))]),
      ]),
    ])).limit(500).execute()
}

/** Marks one breach once: of two instances marking at once, one changes the row (and records the event). */
export async function markBreach(db: Db, conversationId: string, which: 'first_response' | 'resolution', at: number): Promise<boolean> {
  const column = which === 'first_response' ? 'first_response_breached_at' : 'resolution_breached_at'
  const result = await db.kysely.updateTable('conversation_routing').set({ [column]: at }).where('conversation_id', '=', conversationId).where(column, 'is', null).executeTakeFirst()
  return Number(result.numUpdatedRows) === 1
}

export type SlaTarget = 'first_response' | 'resolution'

/**
 * Routing rows with a target still open whose due time is within `horizonMs` from now and not yet
 * warned of: the candidates of the "SLA about to breach" email (the exact lead is per workspace).
 */
export async function listDueForWarning(db: Db, now: number, horizonMs: number): Promise<(ConversationRouting & { status: string })[]> {
  const until = now + horizonMs
  return db.kysely.selectFrom('conversation_routing as r').innerJoin('conversations as c', 'c.id', 'r.conversation_id').selectAll('r').select('c.status')
    .where('c.status', 'not in', ['resolved'])
    .where((eb) => eb.or([
      eb.and([eb('r.first_response_due_at', '>', now), eb('r.first_response_due_at', '<=', until), eb('r.first_response_at', 'is', null), eb('r.first_response_warned_at', 'is', null)]),
      eb.and([eb('r.resolution_due_at', '>', now), eb('r.resolution_due_at', '<=', until), eb('r.resolved_at', 'is', null), eb('r.resolution_warned_at', 'is', null)]),
    ])).limit(500).execute()
}

/** Claims a target's warning: of two instances claiming at once, one changes the row (and sends it). */
export async function claimWarning(db: Db, conversationId: string, which: SlaTarget, at: number): Promise<boolean> {
  const column = which === 'first_response' ? 'first_response_warned_at' : 'resolution_warned_at'
  const result = await db.kysely.updateTable('conversation_routing').set({ [column]: at }).where('conversation_id', '=', conversationId).where(column, 'is', null).executeTakeFirst()
  return Number(result.numUpdatedRows) === 1
}

/** Gives a claim back (queueing its email failed): the next pass tries again. */
export async function releaseWarning(db: Db, conversationId: string, which: SlaTarget, at: number): Promise<void> {
  const column = which === 'first_response' ? 'first_response_warned_at' : 'resolution_warned_at'
  await db.kysely.updateTable('conversation_routing').set({ [column]: null }).where('conversation_id', '=', conversationId).where(column, '=', at).execute()
}
