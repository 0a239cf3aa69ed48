import type { Db } from './database.ts'

const STALE_MS = 60_000

export interface ClaimedAction { first: boolean; action: string; request: string; response: string | null }

/** Claims a client-given action id; the first claim wins (primary key), a later one reads what the first stored. */
export async function claimApiAction(db: Db, row: { key: string; workspace_id: string; action: string; request: string }, now = Date.now()): Promise<ClaimedAction> {
  const inserted = await db.kysely.insertInto('api_actions').values({ ...row, response: null, created_at: now }).onConflict((oc) => oc.column('key').doNothing()).executeTakeFirst()
  if (Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0) return { first: true, action: row.action, request: row.request, response: null }
  // A claim a minute old with no answer is of a process that died mid-action: the retry takes it over (one taker: a conditional write).
  const taken = await db.kysely.updateTable('api_actions').set({ created_at: now }).where('key', '=', row.key).where('response', 'is', null)
    .where('action', '=', row.action).where('request', '=', row.request).where('created_at', '<', now - STALE_MS).executeTakeFirst()
  if (Number(taken.numUpdatedRows) > 0) return { first: true, action: row.action, request: row.request, response: null }
  const existing = await db.kysely.selectFrom('api_actions').select(['action', 'request', 'response']).where('key', '=', row.key).executeTakeFirstOrThrow()
  return { first: false, ...existing }
}

export async function completeApiAction(db: Db, key: string, response: string): Promise<void> {
  await db.kysely.updateTable('api_actions').set({ response }).where('key', '=', key).execute()
}

/** A claimed action that failed is forgotten, so the client's retry runs it. */
export async function releaseApiAction(db: Db, key: string): Promise<void> {
  await db.kysely.deleteFrom('api_actions').where('key', '=', key).where('response', 'is', null).execute()
}

export async function deleteApiActionsBefore(db: Db, before: number): Promise<void> {
  await db.kysely.deleteFrom('api_actions').where('created_at', '<', before).execute()
}
