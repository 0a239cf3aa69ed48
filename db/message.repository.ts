import { sql } from 'kysely'
import type { Db } from './database.ts'
import { ftsMatch, pgTsQuery, searchTerms } from './full-text.ts'
import type { MessageRow } from './tables.ts'

/**
 * Idempotent by (conversation, message id): projecting the same message twice keeps one row, and
 * only its place (`seq`) can change: a message inserted concurrently before it moves it down.
 */
export async function insertMessages(db: Db, rows: MessageRow[]): Promise<void> {
  if (rows.length === 0) return
  for (let i = 0; i < rows.length; i += 200) {
    await db.kysely.insertInto('messages').values(rows.slice(i, i + 200))
      .onConflict((oc) => oc.columns(['conversation_id', 'id'])
        .doUpdateSet((eb) => ({ seq: eb.ref('excluded.seq') }))
        .where((eb) => eb('messages.seq', '!=', eb.ref('excluded.seq'))))
      .execute()
  }
}

export const listMessages = (db: Db, conversationId: string): Promise<MessageRow[]> =>
  db.kysely.selectFrom('messages').selectAll().where('conversation_id', '=', conversationId).orderBy('seq').execute()

export async function countMessages(db: Db, conversationId: string): Promise<number> {
  const row = await db.kysely.selectFrom('messages').select((eb) => eb.fn.countAll<number>().as('n')).where('conversation_id', '=', conversationId).executeTakeFirstOrThrow()
  return Number(row.n)
}

/** Messages of a workspace matching every word of the query, newest first. */
export async function searchMessages(db: Db, workspaceId: string, query: string, limit = 50): Promise<MessageRow[]> {
  const terms = searchTerms(query)
  if (terms.length === 0) return []
  const base = db.kysely.selectFrom('messages').selectAll('messages').where('workspace_id', '=', workspaceId)
  const matched = db.dialect === 'postgres'
    ? base.where(sql<boolean>`search @@ ${pgTsQuery(terms, 'all')}`)
    : base.where(sql<boolean>`rowid in (select rowid from messages_fts where messages_fts match ${ftsMatch(terms, 'all')})`)
  return matched.orderBy('created_at', 'desc').limit(limit).execute()
}
