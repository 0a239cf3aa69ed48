import type { Db } from './database.ts'
import type { Workspace } from './tables.ts'

export async function createWorkspace(db: Db, row: { id: string; name: string; aiSettings?: unknown }): Promise<Workspace> {
  const workspace = { id: row.id, name: row.name, ai_settings: JSON.stringify(row.aiSettings ?? {}), routing_settings: '{}', created_at: Date.now() }
  await db.kysely.insertInto('workspaces').values(workspace).execute()
  return workspace
}

export const getWorkspace = (db: Db, id: string): Promise<Workspace | undefined> =>
  db.kysely.selectFrom('workspaces').selectAll().where('id', '=', id).executeTakeFirst()

export const listWorkspaces = (db: Db): Promise<Workspace[]> => db.kysely.selectFrom('workspaces').selectAll().orderBy('created_at').execute()

export async function updateAiSettings(db: Db, id: string, settings: unknown): Promise<void> {
  await db.kysely.updateTable('workspaces').set({ ai_settings: JSON.stringify(settings) }).where('id', '=', id).execute()
}
