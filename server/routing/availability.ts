/**
 * Agent availability (issue 12): what each agent chose (Online, Away, Offline), whether any of
 * their devices is connected on any instance (device-counts.ts), and how long since they were
 * last active. Effective state: no device → Offline; chose Away/Offline → that; chose Online
 * but idle past the workspace's `autoAwayMinutes` → Away; else Online. Only Online agents get
 * conversations. The result is written into the inbox document (`availability`), so the
 * sidebar and teammates see it live, and it answers the widget's "is anyone there?".
 */
import type { Extension, connectedPayload, onDisconnectPayload } from '@hocuspocus/server'
import { sql } from 'kysely'
import { DEFAULT_ROUTING_SETTINGS, type AgentAvailability, type Availability, type RoutingSettings } from '../../protocol/index.ts'
import type { Db } from '../../db/database.ts'
import type { ConnectionContext } from '../extensions/auth.ts'
import type { DeviceCounts } from './device-counts.ts'

export interface Clock { now(): number }
export const systemClock: Clock = { now: () => Date.now() }

export async function readRoutingSettings(db: Db, workspaceId: string): Promise<RoutingSettings> {
  const row = await db.kysely.selectFrom('workspaces').select('routing_settings').where('id', '=', workspaceId).executeTakeFirst()
  return { ...DEFAULT_ROUTING_SETTINGS, ...(row ? (JSON.parse(row.routing_settings || '{}') as Partial<RoutingSettings>) : {}) }
}

export class AvailabilityService implements Extension {
  priority = 150
  extensionName = 'parley-availability'
  /** workspace → agents effectively online, as last computed: the synchronous answer visitor status needs. */
  private online = new Map<string, Set<string>>()
  private last = new Map<string, Map<string, Availability>>()
  /** Told when a workspace's availabilities changed: the inbox document is rewritten, and agents who came online pull work. */
  onAvailability: (workspaceId: string, now: Map<string, AgentAvailability>, cameOnline: string[]) => void = () => {}

  constructor(private readonly db: Db, private readonly devices: DeviceCounts, private readonly clock: Clock = systemClock) {}

  anyOnline(workspaceId: string): boolean { return (this.online.get(workspaceId)?.size ?? 0) > 0 }
  isOnline(workspaceId: string, agentId: string): boolean { return this.online.get(workspaceId)?.has(agentId) ?? false }

  /**
   * The workspace's agents who are Online now, read fresh (their devices on every instance, through
   * Redis when scaled out): what email notifications ask, so an agent at their desk on another
   * instance is not emailed. `isOnline` answers from the last pass, which may not have seen them.
   */
  async onlineNow(workspaceId: string): Promise<Set<string>> {
    return new Set([...(await this.compute(workspaceId))].filter(([, a]) => a.availability === 'online').map(([id]) => id))
  }

  async connected({ context }: connectedPayload): Promise<void> {
    const principal = (context as ConnectionContext | undefined)?.principal
    if (principal?.kind !== 'agent' || principal.role === 'viewer') return
    // Connecting is activity: an agent who opens the app is not idle.
    await this.db.kysely.updateTable('agents').set({ last_active_at: this.clock.now() }).where('id', '=', principal.agentId).execute()
    await this.devices.change(principal.workspaceId, principal.agentId, 1)
    await this.refresh(principal.workspaceId)
  }

  async onDisconnect({ context }: onDisconnectPayload): Promise<void> {
    const principal = (context as ConnectionContext | undefined)?.principal
    if (principal?.kind !== 'agent' || principal.role === 'viewer') return
    await this.devices.change(principal.workspaceId, principal.agentId, -1)
    await this.refresh(principal.workspaceId)
  }

  /** The agent's own choice. */
  async choose(workspaceId: string, agentId: string, availability: Availability): Promise<void> {
    await this.db.kysely.updateTable('agents').set({ availability, last_active_at: this.clock.now() }).where('id', '=', agentId).where('workspace_id', '=', workspaceId).execute()
    await this.refresh(workspaceId)
  }

  /** The agent app reports input now and then; an Away that idling caused ends with it. */
  async active(workspaceId: string, agentId: string): Promise<void> {
    await this.db.kysely.updateTable('agents').set({ last_active_at: this.clock.now() }).where('id', '=', agentId).execute()
    if (this.last.get(workspaceId)?.get(agentId) === 'away') await this.refresh(workspaceId)
  }

  /** Every agent's effective availability now (viewers and deactivated agents are not listed). */
  async compute(workspaceId: string): Promise<Map<string, AgentAvailability>> {
    const [agents, devices, settings] = await Promise.all([
      this.db.kysely.selectFrom('agents').select(['id', 'availability', 'last_active_at']).where('workspace_id', '=', workspaceId).where('active', '=', 1).where('role', '!=', 'viewer').execute(),
      this.devices.connected(workspaceId),
      readRoutingSettings(this.db, workspaceId),
    ])
    const now = this.clock.now()
    const idleAfter = settings.autoAwayMinutes * 60_000
    const out = new Map<string, AgentAvailability>()
    for (const agent of agents) {
      let state: Availability
      if (!devices.has(agent.id)) state = 'offline'
      else if (agent.availability === 'away' || agent.availability === 'offline') state = agent.availability
      else if (agent.last_active_at !== null && now - agent.last_active_at > idleAfter) state = 'away'
      else state = 'online'
      out.set(agent.id, { availability: state, since: agent.last_active_at ?? now })
    }
    return out
  }

  /** Recomputes a workspace; reports what changed. */
  async refresh(workspaceId: string): Promise<Map<string, AgentAvailability>> {
    const now = await this.compute(workspaceId)
    const before = this.last.get(workspaceId) ?? new Map<string, Availability>()
    const states = new Map([...now].map(([id, a]) => [id, a.availability]))
    const cameOnline = [...states].filter(([id, s]) => s === 'online' && before.get(id) !== 'online').map(([id]) => id)
    const changed = states.size !== before.size || [...states].some(([id, s]) => before.get(id) !== s)
    this.last.set(workspaceId, states)
    this.online.set(workspaceId, new Set([...states].filter(([, s]) => s === 'online').map(([id]) => id)))
    if (changed) this.onAvailability(workspaceId, now, cameOnline)
    return now
  }

  /** Workspaces this instance has seen agents of: what the periodic pass refreshes (idle, other instances' devices). */
  known(): string[] { return [...this.last.keys()] }

  async typicalWaitMinutes(workspaceId: string): Promise<number | null> {
    // Median time from queueing to an assignment over the last week's assigned conversations.
    const since = this.clock.now() - 7 * 86_400_000
    const rows = await this.db.kysely.selectFrom('conversation_routing').select(sql<number>`assigned_at - queued_at`.as('wait'))
      .where('workspace_id', '=', workspaceId).where('assigned_at', '>=', since).where('queued_at', 'is not', null).where('assigned_at', 'is not', null)
      .orderBy('assigned_at', 'desc').limit(200).execute()
    const waits = rows.map((r) => Number(r.wait)).filter((w) => w >= 0).sort((a, b) => a - b)
    if (waits.length === 0) return null
    return Math.max(1, Math.round((waits[Math.floor(waits.length / 2)] as number) / 60_000))
  }

  async close(): Promise<void> { await this.devices.close() }
}
