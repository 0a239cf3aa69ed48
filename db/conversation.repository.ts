import { sql } from 'kysely'
import type { Db } from './database.ts'
import { decodeTimeCursor, encodeTimeCursor } from './time-cursor.ts'
import { ftsMatch, pgTsQuery, searchTerms } from './full-text.ts'
import type { Conversation, ConversationRow, ConversationUpdate } from './tables.ts'

export async function insertConversation(db: Db, row: ConversationRow): Promise<void> {
  await db.kysely.insertInto('conversations').values(row).onConflict((oc) => oc.column('id').doNothing()).execute()
}

export const getConversation = (db: Db, id: string): Promise<Conversation | undefined> =>
  db.kysely.selectFrom('conversations').selectAll().where('id', '=', id).executeTakeFirst()

export async function updateConversation(db: Db, id: string, patch: ConversationUpdate): Promise<void> {
  await db.kysely.updateTable('conversations').set(patch).where('id', '=', id).execute()
}

export interface ConversationFilter {
  workspaceId: string
  status?: string
  assignee?: string
  priority?: string
  contactId?: string
  q?: string
  cursor?: string
  limit?: number
}

export interface ConversationPage {
  items: Conversation[]
  nextCursor: string | null
}

/** Newest activity first; the cursor is opaque to clients (last_activity_at and id of the last row). */
export async function listConversations(db: Db, filter: ConversationFilter): Promise<ConversationPage> {
  const limit = filter.limit ?? 50
  let query = db.kysely.selectFrom('conversations').selectAll('conversations').where('conversations.workspace_id', '=', filter.workspaceId)
  if (filter.status) query = query.where('status', '=', filter.status)
  if (filter.priority) query = query.where('priority', '=', filter.priority)
  if (filter.contactId) query = query.where('contact_id', '=', filter.contactId)
  if (filter.assignee === 'none') query = query.where('assignee_id', 'is', null)
  else if (filter.assignee) query = query.where('assignee_id', '=', filter.assignee)
  const terms = filter.q ? searchTerms(filter.q) : []
  if (terms.length > 0) {
    const matching = db.dialect === 'postgres'
      ? db.kysely.selectFrom('messages').select('conversation_id').where(sql<boolean>`search @@ ${pgTsQuery(terms, 'all')}`)
      : db.kysely.selectFrom('messages').select('conversation_id').where(sql<boolean>`rowid in (select rowid from messages_fts where messages_fts match ${ftsMatch(terms, 'all')})`)
    query = query.where((eb) => eb.or([eb('conversations.id', 'in', matching), eb('subject', 'like', `%${terms.join(' ')}%`)]))
  }
  if (filter.cursor) {
    const [at, id] = decodeTimeCursor(filter.cursor)
    query = query.where((eb) => eb.or([eb('last_activity_at', '<', at), eb.and([eb('last_activity_at', '=', at), eb('conversations.id', '<', id)])]))
  }
  const rows = await query.orderBy('last_activity_at', 'desc').orderBy('conversations.id', 'desc').limit(limit + 1).execute()
  const items = rows.slice(0, limit)
  const last = items.at(-1)
  return { items, nextCursor: rows.length > limit && last ? encodeTimeCursor(last.last_activity_at, last.id) : null }
}


/** Snoozed conversations whose time has come. */
export const listDueSnoozed = async (db: Db, now: number): Promise<string[]> =>
  (await db.kysely.selectFrom('conversations').select('id').where('status', '=', 'snoozed').where('snoozed_until', '<=', now).limit(500).execute()).map((row) => row.id)

export const listConversationIds = async (db: Db): Promise<string[]> =>
  (await db.kysely.selectFrom('conversations').select('id').execute()).map((row) => row.id)
