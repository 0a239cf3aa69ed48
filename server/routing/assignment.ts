/**
 * Taking, assigning and transferring conversations (issue 12). The database decides, with one
 * conditional write (db/routing.repository.ts); only the winner then writes the document: the
 * assignee in meta and one "<agent> joined the conversation" event. A loser is told who won.
 */
import type { Hocuspocus } from '@hocuspocus/server'
import { ParleyError, readMeta, type Classification, routingEventText, updateMeta, type ConversationMeta, type Message, type TakeReply } from '../../protocol/index.ts'
import type { Db } from '../../db/database.ts'
import { getAgent, getWorkspaceAgent } from '../../db/agent.repository.ts'
import { getConversation } from '../../db/conversation.repository.ts'
import { claimUnassigned, ensureRouting, getRouting, reassign } from '../../db/routing.repository.ts'
import { getTeam, inboxForTeam, inboxForWidget } from '../../db/team.repository.ts'
import type { ConversationRouting } from '../../db/tables.ts'
import { SERVER_ORIGIN, type ConversationService } from '../conversation-service.ts'
import type { DurabilityExtension } from '../extensions/durability.ts'
import type { Clock } from './availability.ts'
import { appendInternal, appendPublicEvent, recordSlaCycle, systemEvent } from './transcript-events.ts'
import { dueTimes, firstStretch, retargetCycle } from './sla.ts'

export interface Actor { agentId: string; workspaceId: string }

export class Assignments {
  /** Told after any change of who has a conversation (the routing view in the inbox is rewritten). */
  onAssigned: (workspaceId: string, conversationId: string) => void = () => {}

  constructor(
    private readonly db: Db,
    private readonly hocuspocus: () => Hocuspocus,
    private readonly durability: DurabilityExtension,
    private readonly conversations: ConversationService,
    private readonly clock: Clock,
  ) {}

  /** How a new routing row is filled in: its inbox's team, or the AI's (routing-service.ts). */
  decideTeam: (workspaceId: string, inboxTeam: string | null, classification: Classification | null) => Promise<{ teamId: string | null; reason: string | null }> = async (_w, team) => ({ teamId: team, reason: null })
  classificationOf: (conversationId: string) => Classification | null = () => null

  /**
   * The conversation of this workspace with its routing row, made on first use by whoever asks
   * first (a pass, a Take, the agent app): its inbox, its team's queue (AI routing) and, once it
   * waits, its SLA due times.
   */
  async routingOf(workspaceId: string, conversationId: string): Promise<ConversationRouting> {
    const conversation = await getConversation(this.db, conversationId)
    if (!conversation || conversation.workspace_id !== workspaceId) throw new ParleyError('not-found', 'no such conversation')
    const existing = await getRouting(this.db, conversationId)
    if (existing) return existing
    const inbox = await inboxForWidget(this.db, workspaceId, conversation.widget_id)
    const classification = this.classificationOf(conversationId)
    const decision = await this.decideTeam(workspaceId, inbox.team_id, classification)
    const queuedAt = conversation.status === 'waiting' ? conversation.waiting_since ?? this.clock.now() : null
    // A conversation assigned before routing existed keeps its assignee.
    const row = await ensureRouting(this.db, {
      conversation_id: conversationId, workspace_id: workspaceId, inbox_id: inbox.id, team_id: decision.teamId, reason: decision.reason, assignee_id: conversation.assignee_id,
      ...(classification ? { category: classification.category.toLowerCase(), confidence: classification.confidence } : {}),
      ...(queuedAt !== null ? { queued_at: queuedAt, sla_started_at: queuedAt, ...dueTimes(inbox, queuedAt) } : {}),
    })
    await this.recordCycle(conversationId, firstStretch(row))
    return row
  }

  /** The SLA cycle into the internal document (server/routing/sla.ts), so a rebuild finds it. */
  async recordCycle(conversationId: string, cycle: ReturnType<typeof firstStretch>): Promise<void> {
    await recordSlaCycle(this.hocuspocus(), this.durability, conversationId, cycle)
  }

  /** Take: the one of any number of simultaneous takes that the database lets through wins. */
  async take(actor: Actor, conversationId: string): Promise<TakeReply> {
    const routing = await this.routingOf(actor.workspaceId, conversationId)
    const me = await this.agentName(actor.agentId)
    if (routing.assignee_id === actor.agentId) return { taken: true, assignee: { id: actor.agentId, name: me } }
    const status = (await getConversation(this.db, conversationId))!.status
    if (status === 'resolved') throw new ParleyError('conflict', 'the conversation is resolved: reopen it first', 'status')
    if (routing.assignee_id || !(await claimUnassigned(this.db, conversationId, actor.agentId, this.clock.now()))) {
      const winner = (await getRouting(this.db, conversationId))!.assignee_id
      return { taken: false, assignee: winner ? { id: winner, name: await this.agentName(winner) } : null }
    }
    const after = (await getRouting(this.db, conversationId))!
    await this.writeAssignee(conversationId, actor.agentId, after.version, [], routingEventText.joined(me))
    this.onAssigned(actor.workspaceId, conversationId)
    return { taken: true, assignee: { id: actor.agentId, name: me } }
  }

  /** Auto-assignment's winner writes the document (the claim itself is db/routing.repository.ts#claimWithinCapacity). */
  async announceAutoAssigned(workspaceId: string, conversationId: string, agentId: string, policy: string, queue: string): Promise<void> {
    const routing = (await getRouting(this.db, conversationId))!
    const name = await this.agentName(agentId)
    await this.writeAssignee(conversationId, agentId, routing.version, [systemEvent(`ev-${conversationId}-${routing.version}-auto`, routingEventText.autoAssigned(name, policy, queue), this.clock.now())], routingEventText.joined(name))
    this.onAssigned(workspaceId, conversationId)
  }

  /**
   * Transfer to an agent (who gets it at once) or to a team (back to that team's queue, unassigned),
   * with an optional private note. Refused with `conflict` when someone else changed the assignee meanwhile.
   */
  async transfer(actor: Actor, conversationId: string, target: { agentId?: string | null; teamId?: string | null; note?: string }): Promise<ConversationRouting> {
    const routing = await this.routingOf(actor.workspaceId, conversationId)
    const by = await this.agentName(actor.agentId)
    const at = this.clock.now()
    const notes: Message[] = []
    if (target.note) notes.push({ id: `note-${conversationId}-${routing.version + 1}`.slice(0, 80), author: { role: 'agent', id: actor.agentId, name: by }, kind: 'note', text: target.note, attachments: [], createdAt: at })
    if (target.agentId) {
      // A member of this workspace (an agent may belong to several; server/accounts/).
      const agent = await getWorkspaceAgent(this.db, actor.workspaceId, target.agentId)
      if (!agent || !agent.active || agent.role === 'viewer') throw new ParleyError('bad-request', 'agentId: no active agent of this workspace has this id', 'agentId')
      if (routing.assignee_id === agent.id) throw new ParleyError('conflict', `${agent.name} already has this conversation`, 'agentId')
      if (!(await reassign(this.db, conversationId, routing.version, agent.id, undefined, at))) throw new ParleyError('conflict', 'someone else changed the assignee meanwhile; look again', 'agentId')
      const text = agent.id === actor.agentId ? routingEventText.taken(agent.name) : routingEventText.transferredToAgent(agent.name, by)
      await this.writeAssignee(conversationId, agent.id, routing.version + 1, [systemEvent(`ev-${conversationId}-${routing.version + 1}-transfer`, text, at), ...notes], routingEventText.nowTalkingWith(agent.name))
    } else {
      // No team named: back to the queue it is in, unassigned.
      const teamId = target.teamId ?? routing.team_id
      const team = teamId ? await getTeam(this.db, actor.workspaceId, teamId) : { id: null, name: 'the queue' }
      if (!team) throw new ParleyError('bad-request', 'teamId: no team of this workspace has this id', 'teamId')
      if (!(await reassign(this.db, conversationId, routing.version, null, team.id, at))) throw new ParleyError('conflict', 'someone else changed the assignee meanwhile; look again', 'teamId')
      await this.db.kysely.updateTable('conversation_routing').set({ reason: team.id ? `transferred to ${team.name} by ${by}` : routing.reason }).where('conversation_id', '=', conversationId).execute()
      // The team's inbox and its SLA targets (server/routing/sla.ts says why the cycle's start stays).
      const inbox = team.id ? await inboxForTeam(this.db, actor.workspaceId, team.id, routing.inbox_id) : undefined
      if (inbox) await this.recordCycle(conversationId, await retargetCycle(this.db, conversationId, inbox, at))
      await this.conversations.change(conversationId, (doc) => {
        const meta = readMeta(doc)
        const patch: Partial<ConversationMeta> = { assignee: null, updatedAt: at }
        if (meta.status === 'open' || meta.status === 'bot') Object.assign(patch, { status: 'waiting', waitingSince: at })
        updateMeta(doc, patch, SERVER_ORIGIN)
      })
      const text = team.id ? routingEventText.transferredToTeam(team.name, by) : `${by} put the conversation back in the queue`
      await appendInternal(this.hocuspocus(), this.durability, conversationId, [systemEvent(`ev-${conversationId}-${routing.version + 1}-team`, text, at), ...notes])
    }
    this.onAssigned(actor.workspaceId, conversationId)
    return (await getRouting(this.db, conversationId))!
  }

  /** The document follows the row: assignee, open, and the customer's event; team-only events beside it. */
  private async writeAssignee(conversationId: string, agentId: string, version: number, internal: Message[], publicText: string): Promise<void> {
    const at = this.clock.now()
    await this.conversations.change(conversationId, (doc) => doc.transact(() => {
      const meta = readMeta(doc)
      const patch: Partial<ConversationMeta> = { assignee: agentId, updatedAt: at }
      if (meta.status === 'waiting' || meta.status === 'bot') Object.assign(patch, { status: 'open', waitingSince: null })
      updateMeta(doc, patch)
      // Keyed by the row's version: a retried write of the same assignment adds no second event.
      appendPublicEvent(doc, systemEvent(`ev-${conversationId}-${version}`, publicText, at))
    }, SERVER_ORIGIN))
    await appendInternal(this.hocuspocus(), this.durability, conversationId, internal)
  }

  async agentName(agentId: string): Promise<string> {
    return (await getAgent(this.db, agentId))?.name ?? 'A teammate'
  }
}
