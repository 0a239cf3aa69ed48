/** Teams, their members, and inboxes (issue 12). Every function is scoped to one workspace. */
import type { Db } from './database.ts'
import type { Inbox, InboxTable, Team } from './tables.ts'

export interface TeamWithMembers extends Team { members: string[] }

export async function listTeams(db: Db, workspaceId: string): Promise<TeamWithMembers[]> {
  const teams = await db.kysely.selectFrom('teams').selectAll().where('workspace_id', '=', workspaceId).orderBy('name').execute()
  const members = await db.kysely.selectFrom('team_members').select(['team_id', 'agent_id']).where('workspace_id', '=', workspaceId).execute()
  return teams.map((team) => ({ ...team, members: members.filter((m) => m.team_id === team.id).map((m) => m.agent_id).sort() }))
}

export async function getTeam(db: Db, workspaceId: string, id: string): Promise<TeamWithMembers | undefined> {
  return (await listTeams(db, workspaceId)).find((team) => team.id === id)
}

export const findTeamByName = (db: Db, workspaceId: string, name: string): Promise<Team | undefined> =>
  db.kysely.selectFrom('teams').selectAll().where('workspace_id', '=', workspaceId).where('name', '=', name).executeTakeFirst()

/** The teams an agent belongs to. */
export async function teamsOf(db: Db, agentId: string): Promise<string[]> {
  return (await db.kysely.selectFrom('team_members').select('team_id').where('agent_id', '=', agentId).execute()).map((r) => r.team_id)
}

/** Creates or replaces a team and its member list in one transaction. */
export async function saveTeam(db: Db, team: Team, members: string[] | undefined): Promise<void> {
  await db.kysely.transaction().execute(async (trx) => {
    const exists = await trx.selectFrom('teams').select('id').where('id', '=', team.id).executeTakeFirst()
    if (exists) await trx.updateTable('teams').set({ name: team.name, categories: team.categories, capacity: team.capacity }).where('id', '=', team.id).execute()
    else await trx.insertInto('teams').values(team).execute()
    if (members === undefined) return
    await trx.deleteFrom('team_members').where('team_id', '=', team.id).execute()
    if (members.length > 0) await trx.insertInto('team_members').values([...new Set(members)].map((agent_id) => ({ team_id: team.id, agent_id, workspace_id: team.workspace_id }))).execute()
  })
}

/** Deletes a team; inboxes that routed to it route to everyone, and its queue joins the workspace's. */
export async function deleteTeam(db: Db, workspaceId: string, id: string): Promise<boolean> {
  return db.kysely.transaction().execute(async (trx) => {
    const result = await trx.deleteFrom('teams').where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst()
    if (Number(result.numDeletedRows) === 0) return false
    await trx.deleteFrom('team_members').where('team_id', '=', id).execute()
    await trx.updateTable('inboxes').set({ team_id: null }).where('team_id', '=', id).execute()
    await trx.updateTable('conversation_routing').set({ team_id: null }).where('team_id', '=', id).execute()
    return true
  })
}

export const listInboxes = (db: Db, workspaceId: string): Promise<Inbox[]> =>
  db.kysely.selectFrom('inboxes').selectAll().where('workspace_id', '=', workspaceId).orderBy('created_at').orderBy('id').execute()

export const getInbox = (db: Db, workspaceId: string, id: string): Promise<Inbox | undefined> =>
  db.kysely.selectFrom('inboxes').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst()

/** The inbox a conversation from this widget lands in: the widget's, else the workspace's default (made on first use). */
export async function inboxForWidget(db: Db, workspaceId: string, widgetId: string | null): Promise<Inbox> {
  if (widgetId) {
    const widget = await db.kysely.selectFrom('widgets').select('inbox_id').where('id', '=', widgetId).where('workspace_id', '=', workspaceId).executeTakeFirst()
    if (widget?.inbox_id) {
      const inbox = await getInbox(db, workspaceId, widget.inbox_id)
      if (inbox) return inbox
    }
  }
  return defaultInbox(db, workspaceId)
}

/**
 * The inbox a transfer to a team lands in: the current one if it routes to that team, else the
 * default one if it does, else the oldest inbox routing to it; none (undefined) when no inbox
 * routes to the team, and the conversation stays in its inbox.
 */
export async function inboxForTeam(db: Db, workspaceId: string, teamId: string, current: string | null): Promise<Inbox | undefined> {
  const inboxes = (await db.kysely.selectFrom('inboxes').selectAll().where('workspace_id', '=', workspaceId).where('team_id', '=', teamId).orderBy('created_at').orderBy('id').execute())
  return inboxes.find((i) => i.id === current) ?? inboxes.find((i) => i.is_default === 1) ?? inboxes[0]
}

export async function defaultInbox(db: Db, workspaceId: string): Promise<Inbox> {
  const found = await db.kysely.selectFrom('inboxes').selectAll().where('workspace_id', '=', workspaceId).where('is_default', '=', 1).executeTakeFirst()
  if (found) return found
  // Made once, under a fixed id so two instances making it at once make one.
  const inbox: Inbox = { id: `ib-default-${workspaceId}`.slice(0, 80), workspace_id: workspaceId, name: 'Default', team_id: null, policy: 'manual', first_response_minutes: null, resolution_minutes: null, is_default: 1, last_assigned_agent_id: null, created_at: Date.now() }
  await db.kysely.insertInto('inboxes').values(inbox).onConflict((oc) => oc.doNothing()).execute()
  return (await db.kysely.selectFrom('inboxes').selectAll().where('workspace_id', '=', workspaceId).where('is_default', '=', 1).executeTakeFirst()) ?? inbox
}

/** Saves an inbox, which widgets belong to it, and (when it becomes the default) clears the old default: one transaction. */
export async function saveInbox(db: Db, inbox: Omit<InboxTable, 'last_assigned_agent_id'>, widgetIds: string[] | undefined): Promise<void> {
  await db.kysely.transaction().execute(async (trx) => {
    if (inbox.is_default) await trx.updateTable('inboxes').set({ is_default: 0 }).where('workspace_id', '=', inbox.workspace_id).where('id', '!=', inbox.id).execute()
    const exists = await trx.selectFrom('inboxes').select('id').where('id', '=', inbox.id).executeTakeFirst()
    const { id: _id, workspace_id: _ws, created_at: _at, ...fields } = inbox
    if (exists) await trx.updateTable('inboxes').set(fields).where('id', '=', inbox.id).execute()
    else await trx.insertInto('inboxes').values({ ...inbox, last_assigned_agent_id: null }).execute()
    if (widgetIds === undefined) return
    await trx.updateTable('widgets').set({ inbox_id: null }).where('workspace_id', '=', inbox.workspace_id).where('inbox_id', '=', inbox.id).execute()
    if (widgetIds.length > 0) await trx.updateTable('widgets').set({ inbox_id: inbox.id }).where('workspace_id', '=', inbox.workspace_id).where('id', 'in', widgetIds).execute()
  })
}

export async function deleteInbox(db: Db, workspaceId: string, id: string): Promise<boolean> {
  return db.kysely.transaction().execute(async (trx) => {
    const result = await trx.deleteFrom('inboxes').where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst()
    if (Number(result.numDeletedRows) === 0) return false
    await trx.updateTable('widgets').set({ inbox_id: null }).where('inbox_id', '=', id).execute()
    return true
  })
}

export async function widgetsOfInboxes(db: Db, workspaceId: string): Promise<Map<string, string[]>> {
  const rows = await db.kysely.selectFrom('widgets').select(['id', 'inbox_id']).where('workspace_id', '=', workspaceId).execute()
  const out = new Map<string, string[]>()
  for (const row of rows) if (row.inbox_id) out.set(row.inbox_id, [...(out.get(row.inbox_id) ?? []), row.id])
  return out
}
