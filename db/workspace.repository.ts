import type { Db } from './database.ts'
import type { Workspace } from './tables.ts'

export async function createWorkspace(db: Db, row: { id: string; name: string; aiSettings?: unknown }): Promise<Workspace> {
  const workspace = { id: row.id, name: row.name, ai_settings: JSON.stringify(row.aiSettings ?? {}), routing_settings: '{}', created_at: Date.now(), inbound_token_hash: null }
  await db.kysely.insertInto('workspaces').values(workspace).execute()
  return { ...workspace, inbox_generation: 0, retention_days: null, retention_claimed_at: null }
}

export const getWorkspace = (db: Db, id: string): Promise<Workspace | undefined> =>
  db.kysely.selectFrom('workspaces').selectAll().where('id', '=', id).executeTakeFirst()

export const listWorkspaces = (db: Db): Promise<Workspace[]> => db.kysely.selectFrom('workspaces').selectAll().orderBy('created_at').execute()

export async function updateAiSettings(db: Db, id: string, settings: unknown): Promise<void> {
  await db.kysely.updateTable('workspaces').set({ ai_settings: JSON.stringify(settings) }).where('id', '=', id).execute()
}

/** The generation of a workspace's inbox document (0 when it was never rotated). */
export async function getInboxGeneration(db: Db, id: string): Promise<number> {
  const row = await db.kysely.selectFrom('workspaces').select('inbox_generation').where('id', '=', id).executeTakeFirst()
  return Number(row?.inbox_generation ?? 0)
}

/** Moves the workspace to the next inbox generation if it is still on `from`: true for the one caller that did. */
export async function advanceInboxGeneration(db: Db, id: string, from: number): Promise<boolean> {
  const result = await db.kysely.updateTable('workspaces').set({ inbox_generation: from + 1 }).where('id', '=', id).where('inbox_generation', '=', from).executeTakeFirst()
  return Number(result.numUpdatedRows) === 1
}

export async function setInboundTokenHash(db: Db, id: string, hash: string): Promise<void> {
  await db.kysely.updateTable('workspaces').set({ inbound_token_hash: hash }).where('id', '=', id).execute()
}

export const renameWorkspace = async (db: Db, id: string, name: string): Promise<void> => {
  await db.kysely.updateTable('workspaces').set({ name }).where('id', '=', id).execute()
}
