import type { Db } from './database.ts'
import type { Widget } from './tables.ts'

export async function createWidget(db: Db, row: Omit<Widget, 'created_at' | 'updated_at' | 'inbox_id'> & { inbox_id?: string | null }): Promise<Widget> {
  const now = Date.now()
  const widget = { inbox_id: null, ...row, created_at: now, updated_at: now }
  await db.kysely.insertInto('widgets').values(widget).execute()
  return widget
}

export const getWidget = (db: Db, workspaceId: string, id: string): Promise<Widget | undefined> =>
  db.kysely.selectFrom('widgets').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst()

export const getWidgetBySiteKey = (db: Db, siteKey: string): Promise<Widget | undefined> =>
  db.kysely.selectFrom('widgets').selectAll().where('site_key', '=', siteKey).executeTakeFirst()

export const listWidgets = (db: Db, workspaceId: string): Promise<Widget[]> =>
  db.kysely.selectFrom('widgets').selectAll().where('workspace_id', '=', workspaceId).orderBy('created_at').execute()

export async function updateWidget(db: Db, workspaceId: string, id: string, patch: { name?: string; config?: string; inbox_id?: string | null }): Promise<Widget | undefined> {
  await db.kysely.updateTable('widgets').set({ ...patch, updated_at: Date.now() }).where('workspace_id', '=', workspaceId).where('id', '=', id).execute()
  return getWidget(db, workspaceId, id)
}

export async function deleteWidget(db: Db, workspaceId: string, id: string): Promise<boolean> {
  const result = await db.kysely.deleteFrom('widgets').where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst()
  return Number(result.numDeletedRows) > 0
}
