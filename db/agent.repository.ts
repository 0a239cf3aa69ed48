/**
 * Agents are people (one email, one password); their place in each workspace (role, active,
 * notification choices) is a row of `workspace_members`. Functions taking a workspace answer
 * the agent as that workspace sees them: its role, its `active`, and `workspace_id` = that one.
 */
import type { Db } from './database.ts'
import type { Agent, AgentTable, WorkspaceMember, WorkspaceMemberTable } from './tables.ts'

type RoutingDefaults = 'capacity' | 'availability' | 'last_active_at'

export async function createAgent(db: Db, row: Omit<AgentTable, 'created_at' | 'active' | RoutingDefaults> & { capacity?: number; availability?: string; last_active_at?: number | null }): Promise<Agent> {
  const agent: Agent = { capacity: 3, availability: 'online', last_active_at: null, ...row, email: row.email.toLowerCase(), active: 1, created_at: Date.now() }
  await db.kysely.insertInto('agents').values(agent).execute()
  await addMember(db, { workspace_id: row.workspace_id, agent_id: row.id, role: row.role })
  return agent
}

export async function addMember(db: Db, row: Pick<WorkspaceMemberTable, 'workspace_id' | 'agent_id' | 'role'>): Promise<void> {
  // A removed member invited again comes back with the new role (their old history is theirs still).
  const existing = await getMember(db, row.workspace_id, row.agent_id, { includeRemoved: true })
  if (existing) {
    await db.kysely.updateTable('workspace_members').set({ role: row.role, active: 1, removed_at: null })
      .where('workspace_id', '=', row.workspace_id).where('agent_id', '=', row.agent_id).execute()
    return
  }
  await db.kysely.insertInto('workspace_members').values({ ...row, active: 1, notify: '{}', created_at: Date.now(), removed_at: null }).execute()
}

export async function getMember(db: Db, workspaceId: string, agentId: string, options: { includeRemoved?: boolean } = {}): Promise<WorkspaceMember | undefined> {
  let query = db.kysely.selectFrom('workspace_members').selectAll().where('workspace_id', '=', workspaceId).where('agent_id', '=', agentId)
  if (!options.includeRemoved) query = query.where('removed_at', 'is', null)
  return query.executeTakeFirst()
}

/** The workspaces an agent belongs to (not removed), with their role in each, oldest first. */
export const listMemberships = (db: Db, agentId: string) =>
  db.kysely.selectFrom('workspace_members').innerJoin('workspaces', 'workspaces.id', 'workspace_members.workspace_id')
    .select(['workspace_members.workspace_id as workspaceId', 'workspaces.name as name', 'workspace_members.role as role', 'workspace_members.active as active'])
    .where('workspace_members.agent_id', '=', agentId).where('workspace_members.removed_at', 'is', null)
    .orderBy('workspace_members.created_at').execute()

export async function updateMember(db: Db, workspaceId: string, agentId: string, patch: Partial<Pick<WorkspaceMemberTable, 'role' | 'active' | 'notify' | 'removed_at'>>): Promise<void> {
  if (Object.keys(patch).length === 0) return
  await db.kysely.updateTable('workspace_members').set(patch).where('workspace_id', '=', workspaceId).where('agent_id', '=', agentId).execute()
  // The home workspace's values are mirrored on the agent row, for code that still reads them.
  const home = await getAgent(db, agentId)
  if (home?.workspace_id === workspaceId) {
    const mirror = { ...(patch.role ? { role: patch.role } : {}), ...(patch.active !== undefined ? { active: patch.active } : {}) }
    if (Object.keys(mirror).length > 0) await db.kysely.updateTable('agents').set(mirror).where('id', '=', agentId).execute()
  }
}

export const getAgent = (db: Db, id: string): Promise<Agent | undefined> =>
  db.kysely.selectFrom('agents').selectAll().where('id', '=', id).executeTakeFirst()

/** The agent as `workspaceId` sees them, or undefined when they are not (or no longer) a member. */
export async function getWorkspaceAgent(db: Db, workspaceId: string, agentId: string): Promise<Agent | undefined> {
  const row = await db.kysely.selectFrom('agents').innerJoin('workspace_members as m', 'm.agent_id', 'agents.id')
    .select(['agents.id', 'agents.email', 'agents.name', 'agents.password_hash', 'agents.created_at', 'agents.capacity', 'agents.availability', 'agents.last_active_at', 'm.role', 'm.active', 'm.workspace_id'])
    .where('m.workspace_id', '=', workspaceId).where('agents.id', '=', agentId).where('m.removed_at', 'is', null).executeTakeFirst()
  return row
}

export const findAgentByEmail = (db: Db, email: string): Promise<Agent | undefined> =>
  db.kysely.selectFrom('agents').selectAll().where('email', '=', email.toLowerCase()).executeTakeFirst()

/** The workspace's members (not removed), each with their role and `active` there. */
export const listAgents = (db: Db, workspaceId: string): Promise<Agent[]> =>
  db.kysely.selectFrom('agents').innerJoin('workspace_members as m', 'm.agent_id', 'agents.id')
    .select(['agents.id', 'agents.email', 'agents.name', 'agents.password_hash', 'm.created_at', 'agents.capacity', 'agents.availability', 'agents.last_active_at', 'm.role', 'm.active', 'm.workspace_id'])
    .where('m.workspace_id', '=', workspaceId).where('m.removed_at', 'is', null).orderBy('m.created_at').execute()

/** Name and password belong to the person; role and active to a membership (updateMember). */
export async function updateAgent(db: Db, id: string, patch: Partial<Pick<AgentTable, 'name' | 'role' | 'active' | 'password_hash'>>): Promise<Agent | undefined> {
  if (Object.keys(patch).length > 0) await db.kysely.updateTable('agents').set(patch).where('id', '=', id).execute()
  const agent = await getAgent(db, id)
  // Role and active given here are the home workspace's (older callers).
  const member = { ...(patch.role ? { role: patch.role } : {}), ...(patch.active !== undefined ? { active: patch.active } : {}) }
  if (agent && Object.keys(member).length > 0) await db.kysely.updateTable('workspace_members').set(member).where('workspace_id', '=', agent.workspace_id).where('agent_id', '=', id).execute()
  return agent
}

export async function countAgents(db: Db): Promise<number> {
  const row = await db.kysely.selectFrom('agents').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
  return Number(row.n)
}
