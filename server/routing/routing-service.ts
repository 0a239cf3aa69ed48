/**
 * Routing's wiring (issue 12): one Hocuspocus extension that watches conversation documents for
 * what agents do there (priority changes, resolving, reopening: each becomes a transcript event
 * named after who did it) and internal documents for the AI's classification (AI routing), and
 * a periodic pass per workspace: availability (idle agents turn Away; other instances' devices),
 * auto-assignment, SLA breaches. It also keeps the inbox document's `routing` and
 * `availability` maps, which the agent app reads for its team views, reasons, due times and dots.
 */
import { createHash } from 'node:crypto'
import type { Extension, afterLoadDocumentPayload, beforeUnloadDocumentPayload } from '@hocuspocus/server'
import type * as Y from 'yjs'
import {
  INBOX_AVAILABILITY_ROOT, INBOX_ROUTING_ROOT, formatInternalName, getMeta, parseDocumentName, readClassification, getTriage, readMeta, routingEventText,
  type AgentAvailability, type Classification, type ConversationMeta, type Message, type RoutingEntry,
} from '../../protocol/index.ts'
import type { Db } from '../../db/database.ts'
import { getRouting, updateRouting, workspacesWithQueue } from '../../db/routing.repository.ts'
import { defaultInbox, getInbox, listTeams } from '../../db/team.repository.ts'
import type { ConversationService } from '../conversation-service.ts'
import type { DurabilityExtension } from '../extensions/durability.ts'
import type { InboxWriter } from '../inbox-writer.ts'
import type { Logger } from '../log.ts'
import type { Hocuspocus } from '@hocuspocus/server'
import { Assignments } from './assignment.ts'
import { AutoAssigner } from './auto-assign.ts'
import { readRoutingSettings, type AvailabilityService, type Clock } from './availability.ts'
import { recordProgress, restartCycle, sweepBreaches } from './sla.ts'
import { appendInternal, appendPublicEvent, recordSlaCycle, systemEvent } from './transcript-events.ts'
import type { ConnectionContext } from '../extensions/auth.ts'
import { createId } from '../../protocol/index.ts'

const VIEW_DELAY_MS = 50
/** Resolved conversations keep their routing entry this long (the inbox's working set). */
const VIEW_KEEP_MS = 7 * 86_400_000

export interface RoutingOptions { intervalMs?: number }

export class RoutingService implements Extension {
  priority = 140
  extensionName = 'parley-routing'
  readonly assignments: Assignments
  readonly autoAssign: AutoAssigner
  private unobserve = new Map<string, { doc: Y.Doc; stop: () => void }>()
  private viewTimers = new Map<string, NodeJS.Timeout>()
  private timer: NodeJS.Timeout | null = null
  private closed = false
  /** Called at the end of every pass with its time: the SLA warning emails hook in here (server/email/sla-warnings.ts). */
  afterPass: (now: number) => Promise<unknown> = async () => {}

  constructor(
    private readonly db: Db,
    hocuspocus: () => Hocuspocus,
    durability: DurabilityExtension,
    private readonly conversations: ConversationService,
    private readonly inbox: InboxWriter,
    readonly availability: AvailabilityService,
    readonly clock: Clock,
    private readonly log: Logger,
  ) {
    this.hocuspocus = hocuspocus
    this.durability = durability
    this.assignments = new Assignments(db, hocuspocus, durability, conversations, clock)
    // The bot classifies before it escalates: a new row reads the classification if its internal document is loaded here.
    this.assignments.classificationOf = (id) => this.loadedClassification(id)
    this.assignments.decideTeam = (ws, inbox, c) => this.decideTeam(ws, inbox, c)
    this.autoAssign = new AutoAssigner(db, availability, this.assignments, clock, log)
    this.assignments.onAssigned = (workspaceId) => this.scheduleView(workspaceId)
    this.autoAssign.onRouted = (workspaceId) => this.scheduleView(workspaceId)
    availability.onAvailability = (workspaceId, states, cameOnline) => {
      void this.inbox.setIn<AgentAvailability>(workspaceId, INBOX_AVAILABILITY_ROOT, new Map(states)).catch((error) => this.log.warn('writing availability failed', { error }))
      // Coming online pulls the next conversation.
      if (cameOnline.length > 0) void this.autoAssign.request(workspaceId)
    }
  }
  private readonly hocuspocus: () => Hocuspocus
  private readonly durability: DurabilityExtension

  start(intervalMs = 2000): void {
    const tick = async () => {
      if (this.closed) return
      try { await this.pass() } catch (error) { this.log.error('routing pass failed', { error }) }
      if (!this.closed) { this.timer = setTimeout(() => void tick(), intervalMs); this.timer.unref() }
    }
    this.timer = setTimeout(() => void tick(), intervalMs)
    this.timer.unref()
  }

  /** One periodic pass: availability, assignment and SLA for every workspace that needs it. Tests call it directly. */
  async pass(): Promise<void> {
    const queued = await workspacesWithQueue(this.db)
    for (const workspaceId of new Set([...this.availability.known(), ...queued])) await this.availability.refresh(workspaceId)
    for (const workspaceId of queued) await this.autoAssign.request(workspaceId)
    for (const workspaceId of await sweepBreaches(this.db, this.clock.now())) await this.writeView(workspaceId)
    await this.afterPass(this.clock.now())
  }

  /** After the projection wrote a workspace's rows: someone waiting, or capacity freed, means a pass. */
  projected(workspaceId: string, entries: { status: string; assignee: string | null }[], events: { kind: string; id?: string; conversation_id?: string; at?: number }[]): void {
    // The customer's "This conversation was resolved", from the event log's resolve (whoever made
    // it, on whichever instance), once per resolve: a watcher on the live document missed it when
    // the document was loaded again meanwhile.
    for (const e of events) if (e.kind === 'resolved' && e.id && e.conversation_id) void this.announceResolved(e.conversation_id, e.id, Number(e.at ?? this.clock.now()))
    const sla = events.filter((e) => e.conversation_id && e.at !== undefined && (e.kind === 'reopened' || e.kind === 'human_reply' || e.kind === 'resolved'))
    if (sla.length > 0) void this.trackSla(workspaceId, sla as { kind: string; conversation_id: string; at: number }[]).catch((error) => this.log.warn('tracking the SLA failed', { workspaceId, error }))
    const freed = events.some((e) => e.kind === 'resolved' || e.kind === 'snoozed' || e.kind === 'escalated' || e.kind === 'reopened')
    if (freed || entries.some((e) => e.status === 'waiting' && !e.assignee)) void this.autoAssign.request(workspaceId)
    if (events.some((e) => e.kind !== 'human_reply' && e.kind !== 'bot_replied')) this.scheduleView(workspaceId)
  }

  /**
   * The SLA follows the event log (on whichever instance projected it): a reopen starts a new
   * cycle, a human reply or a resolve within the cycle is recorded as met. In log order, so a
   * reopen and the reply after it in one batch leave the reply counted in the new cycle.
   */
  private async trackSla(workspaceId: string, events: { kind: string; conversation_id: string; at: number }[]): Promise<void> {
    let changed = false
    for (const e of [...events].sort((a, b) => Number(a.at) - Number(b.at) || (a.kind === 'reopened' ? -1 : 1))) {
      if (e.kind === 'reopened') changed = (await this.reopened(workspaceId, e.conversation_id, Number(e.at))) || changed
      else { await recordProgress(this.db, e.conversation_id, e.kind as 'human_reply' | 'resolved', Number(e.at)); changed = true }
    }
    if (changed) this.scheduleView(workspaceId)
  }

  /** A reopen at `at` (by anyone): a new SLA cycle with its inbox's targets (server/routing/sla.ts). */
  private async reopened(workspaceId: string, conversationId: string, at: number): Promise<boolean> {
    const existing = await this.routingRow(conversationId)
    // A conversation routing first meets now: queued (customer reopen, nobody has it), its first cycle starts with it.
    const row = existing ?? await this.assignments.routingOf(workspaceId, conversationId)
    if (!existing && row.sla_started_at !== null) return true
    const inbox = (row.inbox_id ? await getInbox(this.db, workspaceId, row.inbox_id) : undefined) ?? await defaultInbox(this.db, workspaceId)
    const cycle = await restartCycle(this.db, conversationId, inbox, at, this.clock.now())
    await recordSlaCycle(this.hocuspocus(), this.durability, conversationId, cycle)
    return cycle !== null
  }

  /** The customer wrote into a resolved conversation: a team-only event says so (server/conversation-service.ts tells). */
  customerReopened(conversationId: string, message: Message): void {
    const event = systemEvent(`ev-reopen-${message.id}`, routingEventText.reopenedByCustomer(message.author.name || 'The customer'), message.createdAt)
    void appendInternal(this.hocuspocus(), this.durability, conversationId, [event]).catch((error) => this.log.warn('writing the reopen event failed', { conversation: conversationId, error }))
  }

  private async announceResolved(conversationId: string, eventId: string, at: number): Promise<void> {
    if (this.closed) return
    const id = `ev-resolved-${createHash('sha256').update(eventId).digest('base64url').slice(0, 20)}`
    await this.conversations.change(conversationId, (doc) => appendPublicEvent(doc, systemEvent(id, routingEventText.resolved(), at)))
      .catch((error) => this.log.warn('writing the resolved event failed', { conversation: conversationId, error }))
  }

  async afterLoadDocument({ documentName, document }: afterLoadDocumentPayload): Promise<void> {
    if (documentName.startsWith('conversation:')) this.watchConversation(documentName, document)
    else if (documentName.startsWith('internal:')) this.watchInternal(documentName, document)
  }

  async beforeUnloadDocument({ documentName, document }: beforeUnloadDocumentPayload): Promise<void> {
    // Only this instance of the document's watcher: a connection that came in while it was being
    // unloaded may already have loaded it again, and its watcher must stay.
    const entry = this.unobserve.get(documentName)
    if (entry && entry.doc === document) { entry.stop(); this.unobserve.delete(documentName) }
  }

  /** What an agent's own client changed in meta becomes an event named after them. Only the instance their socket is on sees such an origin. */
  private watchConversation(documentName: string, doc: Y.Doc): void {
    const id = parseDocumentName(documentName).id
    let before: Partial<ConversationMeta> = readMeta(doc)
    const observer = (event: Y.YMapEvent<unknown>, transaction: Y.Transaction) => {
      const previous = before
      before = readMeta(doc)
      if (!event.keysChanged.has('status') && !event.keysChanged.has('priority')) return
      const now = before
      if (!now.workspaceId) return
      // The bot's priority (it escalates as high, or judges it so): a team-only event named after it.
      if (isBot(transaction.origin)) {
        if (previous.priority !== now.priority && now.priority) {
          const text = routingEventText.priority(now.priority, routingEventText.botName())
          void appendInternal(this.hocuspocus(), this.durability, id, [systemEvent(createId('ev'), text, this.clock.now())]).catch((error) => this.log.warn('writing a routing event failed', { conversation: id, error }))
        }
        return
      }
      // A customer's reopen is told by the conversation service (customerReopened); the server's own changes write their events where they are made.
      const principal = agentOrigin(transaction.origin)
      if (!principal) return
      void this.describe(id, principal.agentId, previous, now).catch((error) => this.log.warn('writing a routing event failed', { conversation: id, error }))
    }
    getMeta(doc).observe(observer)
    this.unobserve.set(documentName, { doc, stop: () => getMeta(doc).unobserve(observer) })
  }

  private async describe(conversationId: string, agentId: string, before: Partial<ConversationMeta>, now: Partial<ConversationMeta>): Promise<void> {
    const by = await this.assignments.agentName(agentId)
    const at = this.clock.now()
    const internal = []
    if (before.priority !== now.priority && now.priority) internal.push(systemEvent(createId('ev'), routingEventText.priority(now.priority, by), at))
    if (before.status !== now.status && before.status === 'resolved') {
      // The new SLA cycle starts from the event log's reopen (trackSla), on whichever instance projects it.
      internal.push(systemEvent(createId('ev'), routingEventText.reopened(by), at))
    }
    if (before.status !== now.status && now.status === 'resolved') {
      internal.push(systemEvent(createId('ev'), routingEventText.resolvedBy(by), at))
    }
    await appendInternal(this.hocuspocus(), this.durability, conversationId, internal)
  }

  private watchInternal(documentName: string, doc: Y.Doc): void {
    const id = parseDocumentName(documentName).id
    const triage = getTriage(doc)
    const observer = (_event: unknown, transaction: Y.Transaction) => {
      if ((transaction.origin as { source?: string } | null)?.source === 'redis') return
      const classification = readClassification(doc)
      if (classification) void this.classified(id, classification).catch((error) => this.log.warn('AI routing failed', { conversation: id, error }))
    }
    triage.observe(observer)
    this.unobserve.set(documentName, { doc, stop: () => triage.unobserve(observer) })
  }

  private loadedClassification(conversationId: string): Classification | null {
    const doc = this.hocuspocus().documents.get(formatInternalName(conversationId))
    return doc ? readClassification(doc) : null
  }

  /** AI routing: a confident classification whose category a team handles sends the conversation to that team's queue. */
  async decideTeam(workspaceId: string, inboxTeam: string | null, classification: Classification | null): Promise<{ teamId: string | null; reason: string | null }> {
    if (!classification) return { teamId: inboxTeam, reason: null }
    const settings = await readRoutingSettings(this.db, workspaceId)
    const category = classification.category.toLowerCase()
    const team = (await listTeams(this.db, workspaceId)).find((t) => (JSON.parse(t.categories) as string[]).includes(category))
    if (!team) return { teamId: inboxTeam, reason: `no team handles category ${category}` }
    if (classification.confidence < settings.confidenceThreshold) {
      return { teamId: inboxTeam, reason: `category ${category}, confidence ${classification.confidence.toFixed(2)}: below ${settings.confidenceThreshold.toFixed(2)}, stays in its inbox` }
    }
    return { teamId: team.id, reason: routingEventText.routed(team.name, category, classification.confidence) }
  }

  private async classified(conversationId: string, classification: Classification): Promise<void> {
    const row = await this.conversationsRow(conversationId)
    if (!row) return
    const routing = await this.assignments.routingOf(row.workspace_id, conversationId)
    if (routing.assignee_id || routing.category === classification.category.toLowerCase()) return
    const inboxTeam = routing.inbox_id ? (await this.db.kysely.selectFrom('inboxes').select('team_id').where('id', '=', routing.inbox_id).executeTakeFirst())?.team_id ?? null : null
    const decision = await this.decideTeam(row.workspace_id, inboxTeam, classification)
    await updateRouting(this.db, conversationId, { team_id: decision.teamId, reason: decision.reason, category: classification.category.toLowerCase(), confidence: classification.confidence })
    this.scheduleView(row.workspace_id)
    void this.autoAssign.request(row.workspace_id)
  }

  private conversationsRow = (id: string) => this.db.kysely.selectFrom('conversations').select(['workspace_id', 'status']).where('id', '=', id).executeTakeFirst()

  scheduleView(workspaceId: string): void {
    if (this.viewTimers.has(workspaceId) || this.closed) return
    const timer = setTimeout(() => { this.viewTimers.delete(workspaceId); void this.writeView(workspaceId).catch((error) => this.log.warn('writing the routing view failed', { error })) }, VIEW_DELAY_MS)
    timer.unref()
    this.viewTimers.set(workspaceId, timer)
  }

  /** The inbox document's `routing` map: one entry per conversation of the working set. */
  async writeView(workspaceId: string): Promise<void> {
    const since = this.clock.now() - VIEW_KEEP_MS
    const rows = await this.db.kysely.selectFrom('conversation_routing as r').innerJoin('conversations as c', 'c.id', 'r.conversation_id').selectAll('r')
      .where('r.workspace_id', '=', workspaceId).where((eb) => eb.or([eb('c.status', '!=', 'resolved'), eb('c.last_activity_at', '>=', since)])).execute()
    const values = new Map<string, RoutingEntry | null>()
    for (const r of rows) {
      values.set(r.conversation_id, {
        teamId: r.team_id, inboxId: r.inbox_id, reason: r.reason, firstResponseDueAt: r.first_response_at ? null : r.first_response_due_at,
        resolutionDueAt: r.resolved_at ? null : r.resolution_due_at, firstResponseBreached: r.first_response_breached_at !== null, resolutionBreached: r.resolution_breached_at !== null,
      })
    }
    for (const key of (await this.inbox.readIn<RoutingEntry>(workspaceId, INBOX_ROUTING_ROOT)).keys()) if (!values.has(key)) values.set(key, null)
    await this.inbox.setIn(workspaceId, INBOX_ROUTING_ROOT, values)
  }

  async routingRow(conversationId: string) { return getRouting(this.db, conversationId) }

  async close(): Promise<void> {
    this.closed = true
    if (this.timer) clearTimeout(this.timer)
    for (const timer of this.viewTimers.values()) clearTimeout(timer)
    await this.autoAssign.idle()
    await this.availability.close()
  }
}

function agentOrigin(origin: unknown): { agentId: string; workspaceId: string } | null {
  const o = origin as { source?: string; connection?: { context?: ConnectionContext } } | null
  if (o?.source !== 'connection') return null
  const principal = o.connection?.context?.principal
  return principal?.kind === 'agent' ? { agentId: principal.agentId, workspaceId: principal.workspaceId } : null
}

function isBot(origin: unknown): boolean {
  const o = origin as { source?: string; connection?: { context?: ConnectionContext } } | null
  return o?.source === 'connection' && o.connection?.context?.principal?.kind === 'service'
}
