/** Teams and inboxes (issue 12): everyone in the workspace reads them; owners and admins change them. */
import { InboxBody, InboxPatchBody, ParleyError, TeamBody, TeamPatchBody, createId, parseInput } from '../../protocol/index.ts'
import { listAgents } from '../../db/agent.repository.ts'
import { deleteInbox, deleteTeam, findTeamByName, getInbox, getTeam, listInboxes, listTeams, saveInbox, saveTeam, widgetsOfInboxes, type TeamWithMembers } from '../../db/team.repository.ts'
import { listWidgets } from '../../db/widget.repository.ts'
import type { Inbox } from '../../db/tables.ts'
import type { Db } from '../../db/database.ts'
import { agentOf } from '../http/principal.ts'
import { Reply, type Router } from '../http/router.ts'
import type { Services } from '../services.ts'

export const publicTeam = (t: TeamWithMembers) => ({ id: t.id, name: t.name, members: t.members, categories: JSON.parse(t.categories) as string[], capacity: t.capacity, createdAt: t.created_at })
export const publicInbox = (i: Inbox, widgetIds: string[]) => ({
  id: i.id, name: i.name, teamId: i.team_id, policy: i.policy, firstResponseMinutes: i.first_response_minutes, resolutionMinutes: i.resolution_minutes, isDefault: i.is_default === 1, widgetIds, createdAt: i.created_at,
})

async function checkMembers(db: Db, workspaceId: string, members: string[] | undefined): Promise<void> {
  if (!members) return
  const agents = new Set((await listAgents(db, workspaceId)).filter((a) => a.role !== 'viewer').map((a) => a.id))
  members.forEach((id, i) => { if (!agents.has(id)) throw new ParleyError('bad-request', `members.${i}: no agent (viewers cannot be members) of this workspace has this id`, `members.${i}`) })
}

async function checkInboxRefs(db: Db, workspaceId: string, teamId: string | null | undefined, widgetIds: string[] | undefined): Promise<void> {
  if (teamId && !(await getTeam(db, workspaceId, teamId))) throw new ParleyError('bad-request', 'teamId: no team of this workspace has this id', 'teamId')
  if (!widgetIds) return
  const widgets = new Set((await listWidgets(db, workspaceId)).map((w) => w.id))
  widgetIds.forEach((id, i) => { if (!widgets.has(id)) throw new ParleyError('bad-request', `widgetIds.${i}: no widget of this workspace has this id`, `widgetIds.${i}`) })
}

export function addTeamRoutes(router: Router, services: Services): void {
  const { db } = services
  const afterChange = (workspaceId: string) => { void services.routing.autoAssign.request(workspaceId); services.routing.scheduleView(workspaceId) }

  router.add('GET', '/api/teams', async (ctx) => {
    const me = await agentOf(services, ctx)
    return { items: (await listTeams(db, me.workspaceId)).map(publicTeam) }
  }, { summary: 'List teams', tag: 'Routing', auth: 'viewer' })
  router.add('POST', '/api/teams', async (ctx) => {
    const me = await agentOf(services, ctx, 'admin')
    const body = parseInput(TeamBody, await ctx.body())
    await checkMembers(db, me.workspaceId, body.members)
    if (await findTeamByName(db, me.workspaceId, body.name)) throw new ParleyError('conflict', 'a team with this name already exists', 'name')
    const id = createId('t')
    await saveTeam(db, { id, workspace_id: me.workspaceId, name: body.name, categories: JSON.stringify([...new Set(body.categories)]), capacity: body.capacity, created_at: Date.now() }, body.members)
    afterChange(me.workspaceId)
    return new Reply(201, publicTeam((await getTeam(db, me.workspaceId, id))!))
  }, { summary: 'Make a team', tag: 'Routing', auth: 'admin', body: TeamBody, status: 201 })
  router.add('PATCH', '/api/teams/:id', async (ctx) => {
    const me = await agentOf(services, ctx, 'admin')
    const body = parseInput(TeamPatchBody, await ctx.body())
    const team = await getTeam(db, me.workspaceId, ctx.params.id as string)
    if (!team) throw new ParleyError('not-found', 'no such team')
    await checkMembers(db, me.workspaceId, body.members)
    if (body.name && body.name !== team.name && (await findTeamByName(db, me.workspaceId, body.name))) throw new ParleyError('conflict', 'a team with this name already exists', 'name')
    await saveTeam(db, {
      ...team, name: body.name ?? team.name, categories: body.categories ? JSON.stringify([...new Set(body.categories)]) : team.categories, capacity: body.capacity !== undefined ? body.capacity : team.capacity,
    }, body.members)
    afterChange(me.workspaceId)
    return publicTeam((await getTeam(db, me.workspaceId, team.id))!)
  }, { summary: 'Change a team', tag: 'Routing', auth: 'admin', body: TeamPatchBody })
  router.add('DELETE', '/api/teams/:id', async (ctx) => {
    const me = await agentOf(services, ctx, 'admin')
    if (!(await deleteTeam(db, me.workspaceId, ctx.params.id as string))) throw new ParleyError('not-found', 'no such team')
    afterChange(me.workspaceId)
    return { ok: true }
  }, { summary: 'Delete a team', tag: 'Routing', auth: 'admin' })

  router.add('GET', '/api/inboxes', async (ctx) => {
    const me = await agentOf(services, ctx)
    const widgets = await widgetsOfInboxes(db, me.workspaceId)
    return { items: (await listInboxes(db, me.workspaceId)).map((i) => publicInbox(i, widgets.get(i.id) ?? [])) }
  }, { summary: 'List inboxes', tag: 'Routing', auth: 'viewer' })
  router.add('POST', '/api/inboxes', async (ctx) => {
    const me = await agentOf(services, ctx, 'admin')
    const body = parseInput(InboxBody, await ctx.body())
    await checkInboxRefs(db, me.workspaceId, body.teamId, body.widgetIds)
    if ((await listInboxes(db, me.workspaceId)).some((i) => i.name === body.name)) throw new ParleyError('conflict', 'an inbox with this name already exists', 'name')
    const id = createId('ib')
    const first = (await listInboxes(db, me.workspaceId)).length === 0
    await saveInbox(db, {
      id, workspace_id: me.workspaceId, name: body.name, team_id: body.teamId, policy: body.policy, first_response_minutes: body.firstResponseMinutes,
      resolution_minutes: body.resolutionMinutes, is_default: body.isDefault || first ? 1 : 0, created_at: Date.now(),
    }, body.widgetIds)
    afterChange(me.workspaceId)
    return new Reply(201, publicInbox((await getInbox(db, me.workspaceId, id))!, (await widgetsOfInboxes(db, me.workspaceId)).get(id) ?? []))
  }, { summary: 'Make an inbox', tag: 'Routing', auth: 'admin', body: InboxBody, status: 201 })
  router.add('PATCH', '/api/inboxes/:id', async (ctx) => {
    const me = await agentOf(services, ctx, 'admin')
    const body = parseInput(InboxPatchBody, await ctx.body())
    const inbox = await getInbox(db, me.workspaceId, ctx.params.id as string)
    if (!inbox) throw new ParleyError('not-found', 'no such inbox')
    await checkInboxRefs(db, me.workspaceId, body.teamId, body.widgetIds)
    if (body.name && body.name !== inbox.name && (await listInboxes(db, me.workspaceId)).some((i) => i.name === body.name)) throw new ParleyError('conflict', 'an inbox with this name already exists', 'name')
    const { last_assigned_agent_id: _turn, ...rest } = inbox
    await saveInbox(db, {
      ...rest, name: body.name ?? inbox.name, team_id: body.teamId !== undefined ? body.teamId : inbox.team_id, policy: body.policy ?? inbox.policy,
      first_response_minutes: body.firstResponseMinutes !== undefined ? body.firstResponseMinutes : inbox.first_response_minutes,
      resolution_minutes: body.resolutionMinutes !== undefined ? body.resolutionMinutes : inbox.resolution_minutes, is_default: body.isDefault ? 1 : inbox.is_default,
    }, body.widgetIds)
    afterChange(me.workspaceId)
    return publicInbox((await getInbox(db, me.workspaceId, inbox.id))!, (await widgetsOfInboxes(db, me.workspaceId)).get(inbox.id) ?? [])
  }, { summary: 'Change an inbox', tag: 'Routing', auth: 'admin', body: InboxPatchBody })
  router.add('DELETE', '/api/inboxes/:id', async (ctx) => {
    const me = await agentOf(services, ctx, 'admin')
    const inbox = await getInbox(db, me.workspaceId, ctx.params.id as string)
    if (!inbox) throw new ParleyError('not-found', 'no such inbox')
    if (inbox.is_default) throw new ParleyError('conflict', 'the default inbox cannot be deleted; make another inbox the default first', 'isDefault')
    await deleteInbox(db, me.workspaceId, inbox.id)
    afterChange(me.workspaceId)
    return { ok: true }
  }, { summary: 'Delete an inbox', tag: 'Routing', auth: 'admin' })
}
