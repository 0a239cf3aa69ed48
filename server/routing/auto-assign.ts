/**
 * Auto-assignment (issue 12): a workspace's waiting conversations, in queue order (high before
 * normal before low, oldest first), each given by its inbox's policy to an Online member of its
 * queue's team (everyone, for an inbox without a team) with free capacity. Round-robin takes
 * turns after whoever was given one last; least-loaded picks the fewest open conversations.
 * Any instance may run a pass at any time: each claim is conditional on the agent's load and on
 * nobody having the conversation (db/routing.repository.ts#claimWithinCapacity), so passes racing
 * on two instances never assign twice or over capacity. Passes of one workspace on one instance
 * are run one after another (a request while one runs makes one more run after it).
 */
import type { Db } from '../../db/database.ts'
import { claimWithinCapacity, listQueue, loadOf, type QueuedConversation } from '../../db/routing.repository.ts'
import { defaultInbox, inboxForWidget, listInboxes, listTeams, type TeamWithMembers } from '../../db/team.repository.ts'
import type { ConversationRouting, Inbox } from '../../db/tables.ts'
import type { Logger } from '../log.ts'
import type { Assignments } from './assignment.ts'
import type { AvailabilityService, Clock } from './availability.ts'
import { dueTimes, firstStretch } from './sla.ts'

export class AutoAssigner {
  private running = new Map<string, Promise<void>>()
  private again = new Set<string>()
  /** Told after a pass that routed or assigned something (the routing view in the inbox is rewritten). */
  onRouted: (workspaceId: string) => void = () => {}

  constructor(
    private readonly db: Db,
    private readonly availability: AvailabilityService,
    private readonly assignments: Assignments,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {}

  /** Runs a pass for the workspace soon; resolves when a pass that started after this call has finished. */
  request(workspaceId: string): Promise<void> {
    const current = this.running.get(workspaceId)
    if (current) { this.again.add(workspaceId); return current.then(() => this.running.get(workspaceId)) }
    const run = (async () => {
      try {
        do {
          this.again.delete(workspaceId)
          await this.pass(workspaceId).catch((error) => this.log.error('auto-assignment pass failed', { workspaceId, error }))
        } while (this.again.has(workspaceId))
      } finally { this.running.delete(workspaceId) }
    })()
    this.running.set(workspaceId, run)
    return run
  }

  async idle(): Promise<void> { while (this.running.size > 0) await Promise.all([...this.running.values()]) }

  private async pass(workspaceId: string): Promise<void> {
    const queue = await listQueue(this.db, workspaceId)
    if (queue.length === 0) return
    const [inboxes, teams, availability] = await Promise.all([listInboxes(this.db, workspaceId), listTeams(this.db, workspaceId), this.availability.refresh(workspaceId)])
    const inboxById = new Map(inboxes.map((i) => [i.id, i]))
    const teamById = new Map(teams.map((t) => [t.id, t]))
    const online = [...availability].filter(([, a]) => a.availability === 'online').map(([id]) => id).sort()
    const capacities = new Map((await this.db.kysely.selectFrom('agents').select(['id', 'capacity']).where('workspace_id', '=', workspaceId).execute()).map((a) => [a.id, a.capacity]))
    const load = await loadOf(this.db, online)
    let changed = false
    for (const queued of queue) {
      const routing = await this.routed(workspaceId, queued, inboxById)
      if (routing.changed) changed = true
      const inbox = (routing.row.inbox_id && inboxById.get(routing.row.inbox_id)) || (await defaultInbox(this.db, workspaceId))
      if (inbox.policy === 'manual') continue
      const team = routing.row.team_id ? teamById.get(routing.row.team_id) : undefined
      const pool = team ? online.filter((id) => team.members.includes(id)) : online
      const capacityOf = (id: string) => team?.capacity ?? capacities.get(id) ?? 0
      for (const agentId of order(inbox, pool, load)) {
        if ((load.get(agentId) ?? 0) >= capacityOf(agentId)) continue
        const outcome = await claimWithinCapacity(this.db, queued.id, agentId, capacityOf(agentId), this.clock.now())
        if (outcome === 'full') { load.set(agentId, capacityOf(agentId)); continue }
        if (outcome === 'taken') break
        load.set(agentId, (load.get(agentId) ?? 0) + 1)
        changed = true
        if (inbox.policy === 'round-robin') await this.db.kysely.updateTable('inboxes').set({ last_assigned_agent_id: agentId }).where('id', '=', inbox.id).execute()
        inbox.last_assigned_agent_id = agentId
        await this.assignments.announceAutoAssigned(workspaceId, queued.id, agentId, inbox.policy, team?.name ?? inbox.name)
        break
      }
    }
    if (changed) this.onRouted(workspaceId)
  }

  /** The conversation's routing row: its inbox, its team's queue, its SLA due times (set when it first queues). */
  private async routed(workspaceId: string, queued: QueuedConversation, inboxes: Map<string, Inbox>): Promise<{ row: ConversationRouting; changed: boolean }> {
    let row: ConversationRouting
    let changed = false
    if (!queued.routed) {
      row = await this.assignments.routingOf(workspaceId, queued.id)
      changed = true
    } else {
      row = (await this.db.kysely.selectFrom('conversation_routing').selectAll().where('conversation_id', '=', queued.id).executeTakeFirst())!
    }
    if (row.sla_started_at === null) {
      // Queueing for a person the first time starts its SLA cycle (a reopen starts the next: sla.ts).
      const inbox = (row.inbox_id && inboxes.get(row.inbox_id)) || (await inboxForWidget(this.db, workspaceId, queued.widget_id))
      const queuedAt = queued.waiting_since ?? this.clock.now()
      const patch = { queued_at: row.queued_at ?? queuedAt, sla_started_at: queuedAt, inbox_id: row.inbox_id ?? inbox.id, ...dueTimes(inbox, queuedAt) }
      const started = await this.db.kysely.updateTable('conversation_routing').set(patch).where('conversation_id', '=', queued.id).where('sla_started_at', 'is', null).executeTakeFirst()
      row = { ...row, ...patch }
      if (Number(started.numUpdatedRows) === 1) await this.assignments.recordCycle(queued.id, firstStretch(row))
      changed = true
    }
    return { row, changed }
  }
}

/** Who to try, in order, for one conversation. */
function order(inbox: Inbox, pool: string[], load: Map<string, number>): string[] {
  if (inbox.policy === 'least-loaded') return [...pool].sort((a, b) => (load.get(a) ?? 0) - (load.get(b) ?? 0) || a.localeCompare(b))
  // Round-robin: the members in a fixed order, starting after whoever was given one last.
  const after = inbox.last_assigned_agent_id ? pool.findIndex((id) => id > inbox.last_assigned_agent_id!) : 0
  const start = after < 0 ? 0 : after
  return [...pool.slice(start), ...pool.slice(0, start)]
}

export type { TeamWithMembers }
