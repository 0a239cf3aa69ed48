import type { Db } from './database.ts'
import type { Agent, AgentTable } from './tables.ts'

type RoutingDefaults = 'capacity' | 'availability' | 'last_active_at'

export async function createAgent(db: Db, row: Omit<AgentTable, 'created_at' | 'active' | RoutingDefaults> & { capacity?: number; availability?: string; last_active_at?: number | null }): Promise<Agent> {
  const agent: Agent = { capacity: 3, availability: 'online', last_active_at: null, ...row, active: 1, created_at: Date.now() }
  await db.kysely.insertInto('agents').values(agent).execute()
  return agent
}

export const getAgent = (db: Db, id: string): Promise<Agent | undefined> =>
  db.kysely.selectFrom('agents').selectAll().where('id', '=', id).executeTakeFirst()

export const findAgentByEmail = (db: Db, email: string): Promise<Agent | undefined> =>
  db.kysely.selectFrom('agents').selectAll().where('email', '=', email.toLowerCase()).executeTakeFirst()

export const listAgents = (db: Db, workspaceId: string): Promise<Agent[]> =>
  db.kysely.selectFrom('agents').selectAll().where('workspace_id', '=', workspaceId).orderBy('created_at').execute()

export async function updateAgent(db: Db, id: string, patch: Partial<Pick<AgentTable, 'name' | 'role' | 'active' | 'password_hash'>>): Promise<Agent | undefined> {
  if (Object.keys(patch).length > 0) await db.kysely.updateTable('agents').set(patch).where('id', '=', id).execute()
  return getAgent(db, id)
}

export async function countAgents(db: Db): Promise<number> {
  const row = await db.kysely.selectFrom('agents').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
  return Number(row.n)
}
