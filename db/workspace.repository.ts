import type { Db } from './database.ts'
import type { Workspace } from './tables.ts'

export async function createWorkspace(db: Db, row: { id: string; name: string; aiSettings?: unknown }): Promise<Workspace> {
  const workspace = { id: row.id, name: row.name, ai_settings: JSON.stringify(row.aiSettings ?? {}), created_at: Date.now(), inbound_token_hash: null }
  await db.kysely.insertInto('workspaces').values(workspace).execute()
  return workspace
}

export const getWorkspace = (db: Db, id: string): Promise<Workspace | undefined> =>
  db.kysely.selectFrom('workspaces').selectAll().where('id', '=', id).executeTakeFirst()

export const listWorkspaces = (db: Db): Promise<Workspace[]> => db.kysely.selectFrom('workspaces').selectAll().orderBy('created_at').execute()

export async function updateAiSettings(db: Db, id: string, settings: unknown): Promise<void> {
  await db.kysely.updateTable('workspaces').set({ ai_settings: JSON.stringify(settings) }).where('id', '=', id).execute()
}

export async function setInboundTokenHash(db: Db, id: string, hash: string): Promise<void> {
  await db.kysely.updateTable('workspaces').set({ inbound_token_hash: hash }).where('id', '=', id).execute()
}

export const renameWorkspace = async (db: Db, id: string, name: string): Promise<void> => {
  await db.kysely.updateTable('workspaces').set({ name }).where('id', '=', id).execute()
}
