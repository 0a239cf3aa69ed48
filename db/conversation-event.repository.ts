import type { Db } from './database.ts'
import type { ConversationEvent } from './tables.ts'

/** Idempotent by id: an event projected again (a re-projection, a rebuild) keeps its one row, unchanged. */
export async function insertEvents(db: Db, rows: ConversationEvent[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 200) {
    await db.kysely.insertInto('conversation_events').values(rows.slice(i, i + 200)).onConflict((oc) => oc.column('id').doNothing()).execute()
  }
}

/** A conversation's history, oldest first (ties in the order of their keys, so it reads the same on every dialect). */
export const listConversationEvents = (db: Db, conversationId: string): Promise<ConversationEvent[]> =>
  db.kysely.selectFrom('conversation_events').selectAll().where('conversation_id', '=', conversationId).orderBy('at').orderBy('id').execute()

/** Every event of a workspace, oldest first: for tests and exports. */
export const listWorkspaceEvents = (db: Db, workspaceId: string): Promise<ConversationEvent[]> =>
  db.kysely.selectFrom('conversation_events').selectAll().where('workspace_id', '=', workspaceId).orderBy('at').orderBy('id').execute()

/** Whether the log holds anything of a conversation beyond its creation and its messages' events. */
export async function hasEvents(db: Db, conversationId: string): Promise<boolean> {
  const row = await db.kysely.selectFrom('conversation_events').select('id').where('conversation_id', '=', conversationId)
    .where('kind', 'not in', ['created', 'bot_replied', 'human_reply', 'first_human_reply']).limit(1).executeTakeFirst()
  return row !== undefined
}
