/** Take, transfer, availability, capacity and routing settings (issue 12). */
import { AgentCapacityBody, AvailabilityBody, ParleyError, RoutingSettingsBody, TransferBody, parseInput } from '../../protocol/index.ts'
import { getAgent, getWorkspaceAgent } from '../../db/agent.repository.ts'
import { teamsOf } from '../../db/team.repository.ts'
import { agentOf } from '../http/principal.ts'
import type { Router } from '../http/router.ts'
import type { Services } from '../services.ts'
import { readRoutingSettings } from './availability.ts'

export function addRoutingRoutes(router: Router, services: Services): void {
  const { db, routing } = services

  router.add('POST', '/api/conversations/:id/take', async (ctx) => {
    const me = await agentOf(services, ctx, 'agent')
    return routing.assignments.take(me, ctx.params.id as string)
  }, { summary: 'Take a conversation: the server decides, one assignee; a loser is told who has it', tag: 'Routing', auth: 'agent' })

  router.add('POST', '/api/conversations/:id/transfer', async (ctx) => {
    const me = await agentOf(services, ctx, 'agent')
    const body = parseInput(TransferBody, await ctx.body())
    const row = await routing.assignments.transfer(me, ctx.params.id as string, body)
    if (!row.assignee_id) void routing.autoAssign.request(me.workspaceId)
    return { assignee: row.assignee_id, teamId: row.team_id }
  }, { summary: 'Transfer to an agent or a team, with an optional private note', tag: 'Routing', auth: 'agent', body: TransferBody })

  router.add('GET', '/api/conversations/:id/routing', async (ctx) => {
    const me = await agentOf(services, ctx)
    const row = await routing.assignments.routingOf(me.workspaceId, ctx.params.id as string)
    return {
      assignee: row.assignee_id, teamId: row.team_id, inboxId: row.inbox_id, reason: row.reason, category: row.category, confidence: row.confidence, queuedAt: row.queued_at,
      slaStartedAt: row.sla_started_at, firstResponseDueAt: row.first_response_due_at, resolutionDueAt: row.resolution_due_at, firstResponseAt: row.first_response_at, resolvedAt: row.resolved_at,
      firstResponseBreachedAt: row.first_response_breached_at, resolutionBreachedAt: row.resolution_breached_at,
    }
  }, { summary: 'A conversation\'s routing: team, assignee, reason, SLA due times', tag: 'Routing', auth: 'viewer' })

  /** Everyone's availability in the workspace, with teams and load: the teammates list. */
  router.add('GET', '/api/availability', async (ctx) => {
    const me = await agentOf(services, ctx)
    const states = await routing.availability.refresh(me.workspaceId)
    return { items: [...states].map(([agentId, a]) => ({ agentId, ...a })), mine: states.get(me.agentId)?.availability ?? 'offline' }
  }, { summary: 'Every agent\'s availability (online, away, offline), across instances', tag: 'Routing', auth: 'viewer' })

  router.add('PUT', '/api/me/availability', async (ctx) => {
    const me = await agentOf(services, ctx, 'agent')
    const body = parseInput(AvailabilityBody, await ctx.body())
    await routing.availability.choose(me.workspaceId, me.agentId, body.availability)
    const states = await routing.availability.refresh(me.workspaceId)
    return { chosen: body.availability, availability: states.get(me.agentId)?.availability ?? 'offline' }
  }, { summary: 'Set my availability', tag: 'Routing', auth: 'agent', body: AvailabilityBody })

  /** The agent app says "still here" now and then while someone uses it (auto-Away otherwise). */
  router.add('POST', '/api/me/activity', async (ctx) => {
    const me = await agentOf(services, ctx, 'agent')
    await routing.availability.active(me.workspaceId, me.agentId)
    return { ok: true }
  }, { summary: 'I am active (keeps me from going Away on my own)', tag: 'Routing', auth: 'agent' })

  router.add('GET', '/api/me/teams', async (ctx) => {
    const me = await agentOf(services, ctx)
    return { teamIds: await teamsOf(db, me.agentId) }
  }, { summary: 'The teams I am in', tag: 'Routing', auth: 'viewer' })

  router.add('PUT', '/api/agents/:id/capacity', async (ctx) => {
    const me = await agentOf(services, ctx, 'admin')
    const body = parseInput(AgentCapacityBody, await ctx.body())
    const agent = await getWorkspaceAgent(db, me.workspaceId, ctx.params.id as string)
    if (!agent) throw new ParleyError('not-found', 'no such agent')
    await db.kysely.updateTable('agents').set({ capacity: body.capacity }).where('id', '=', agent.id).execute()
    void routing.autoAssign.request(me.workspaceId)
    return { id: agent.id, capacity: body.capacity }
  }, { summary: 'An agent\'s capacity: open conversations at once', tag: 'Routing', auth: 'admin', body: AgentCapacityBody })

  router.add('GET', '/api/settings/routing', async (ctx) => {
    const me = await agentOf(services, ctx)
    return readRoutingSettings(db, me.workspaceId)
  }, { summary: 'The workspace\'s routing settings', tag: 'Routing', auth: 'viewer' })

  router.add('PUT', '/api/settings/routing', async (ctx) => {
    const me = await agentOf(services, ctx, 'admin')
    const body = parseInput(RoutingSettingsBody, await ctx.body())
    const settings = { ...(await readRoutingSettings(db, me.workspaceId)), ...body }
    await db.kysely.updateTable('workspaces').set({ routing_settings: JSON.stringify(settings) }).where('id', '=', me.workspaceId).execute()
    return settings
  }, { summary: 'Change the routing settings (AI routing threshold, auto-away)', tag: 'Routing', auth: 'admin', body: RoutingSettingsBody })
}
