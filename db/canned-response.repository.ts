import type { Db } from './database.ts'
import type { CannedResponse } from './tables.ts'

export async function createCannedResponse(db: Db, row: Omit<CannedResponse, 'created_at'>): Promise<CannedResponse> {
  const canned = { ...row, created_at: Date.now() }
  await db.kysely.insertInto('canned_responses').values(canned).execute()
  return canned
}

export const listCannedResponses = (db: Db, workspaceId: string): Promise<CannedResponse[]> =>
  db.kysely.selectFrom('canned_responses').selectAll().where('workspace_id', '=', workspaceId).orderBy('shortcut').execute()

export async function deleteCannedResponse(db: Db, workspaceId: string, id: string): Promise<boolean> {
  const result = await db.kysely.deleteFrom('canned_responses').where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst()
  return Number(result.numDeletedRows) > 0
}
