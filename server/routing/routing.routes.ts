/** Take, transfer, availability, capacity and routing settings (issue 12). */
import { AgentCapacityBody, AvailabilityBody, ParleyError, RoutingSettingsBody, TransferBody, parseInput } from '../../protocol/index.ts'
import { getAgent } from '../../db/agent.repository.ts'
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
  })

  router.add('POST', '/api/conversations/:id/transfer', async (ctx) => {
    const me = await agentOf(services, ctx, 'agent')
    const body = parseInput(TransferBody, await ctx.body())
    const row = await routing.assignments.transfer(me, ctx.params.id as string, body)
    if (!row.assignee_id) void routing.autoAssign.request(me.workspaceId)
    return { assignee: row.assignee_id, teamId: row.team_id }
  })

  router.add('GET', '/api/conversations/:id/routing', async (ctx) => {
    const me = await agentOf(services, ctx)
    const row = await routing.assignments.routingOf(me.workspaceId, ctx.params.id as string)
    return {
      assignee: row.assignee_id, teamId: row.team_id, inboxId: row.inbox_id, reason: row.reason, category: row.category, confidence: row.confidence, queuedAt: row.queued_at,
      firstResponseDueAt: row.first_response_due_at, resolutionDueAt: row.resolution_due_at, firstResponseAt: row.first_response_at,
      firstResponseBreachedAt: row.first_response_breached_at, resolutionBreachedAt: row.resolution_breached_at,
    }
  })

  /** Everyone's availability in the workspace, with teams and load: the teammates list. */
  router.add('GET', '/api/availability', async (ctx) => {
    const me = await agentOf(services, ctx)
    const states = await routing.availability.refresh(me.workspaceId)
    return { items: [...states].map(([agentId, a]) => ({ agentId, ...a })), mine: states.get(me.agentId)?.availability ?? 'offline' }
  })

  router.add('PUT', '/api/me/availability', async (ctx) => {
    const me = await agentOf(services, ctx, 'agent')
    const body = parseInput(AvailabilityBody, await ctx.body())
    await routing.availability.choose(me.workspaceId, me.agentId, body.availability)
    const states = await routing.availability.refresh(me.workspaceId)
    return { chosen: body.availability, availability: states.get(me.agentId)?.availability ?? 'offline' }
  })

  /** The agent app says "still here" now and then while someone uses it (auto-Away otherwise). */
  router.add('POST', '/api/me/activity', async (ctx) => {
    const me = await agentOf(services, ctx, 'agent')
    await routing.availability.active(me.workspaceId, me.agentId)
    return { ok: true }
  })

  router.add('GET', '/api/me/teams', async (ctx) => {
    const me = await agentOf(services, ctx)
    return { teamIds: await teamsOf(db, me.agentId) }
  })

  router.add('PUT', '/api/agents/:id/capacity', async (ctx) => {
    const me = await agentOf(services, ctx, 'admin')
    const body = parseInput(AgentCapacityBody, await ctx.body())
    const agent = await getAgent(db, ctx.params.id as string)
    if (!agent || agent.workspace_id !== me.workspaceId) throw new ParleyError('not-found', 'no such agent')
    await db.kysely.updateTable('agents').set({ capacity: body.capacity }).where('id', '=', agent.id).execute()
    void routing.autoAssign.request(me.workspaceId)
    return { id: agent.id, capacity: body.capacity }
  })

  router.add('GET', '/api/settings/routing', async (ctx) => {
    const me = await agentOf(services, ctx)
    return readRoutingSettings(db, me.workspaceId)
  })

  router.add('PUT', '/api/settings/routing', async (ctx) => {
    const me = await agentOf(services, ctx, 'admin')
    const body = parseInput(RoutingSettingsBody, await ctx.body())
    const settings = { ...(await readRoutingSettings(db, me.workspaceId)), ...body }
    await db.kysely.updateTable('workspaces').set({ routing_settings: JSON.stringify(settings) }).where('id', '=', me.workspaceId).execute()
    return settings
  })
}
