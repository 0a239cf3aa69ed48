/**
 * Rows of the privacy features (issue 13): the audit trail, the merge pointer of a conversation,
 * and the SQL side of an erase. The documents are erased by server/privacy/; this is everything
 * the projection and the sessions hold beside them.
 */
import { sql } from 'kysely'
import { ParleyError } from '../protocol/index.ts'
import type { Db } from './database.ts'
import type { Conversation, PrivacyAudit } from './tables.ts'

export async function insertAudit(db: Db, row: Omit<PrivacyAudit, 'id' | 'at' | 'detail'> & { detail: Record<string, unknown> }): Promise<void> {
  const at = Date.now()
  await db.kysely.insertInto('privacy_audit').values({ ...row, id: `${row.action}:${row.contact_id ?? row.conversation_id}:${at}:${Math.random().toString(36).slice(2, 8)}`, detail: JSON.stringify(row.detail), at }).execute()
}

export const listAudit = (db: Db, workspaceId: string, contactId: string): Promise<PrivacyAudit[]> =>
  db.kysely.selectFrom('privacy_audit').selectAll().where('workspace_id', '=', workspaceId).where('contact_id', '=', contactId).orderBy('at').execute()

/** Every conversation of a contact, oldest first (no page: an export or an erase needs them all). */
export const listContactConversations = (db: Db, workspaceId: string, contactId: string): Promise<Conversation[]> =>
  db.kysely.selectFrom('conversations').selectAll().where('workspace_id', '=', workspaceId).where('contact_id', '=', contactId).orderBy('created_at').orderBy('id').execute()

/**
 * Points `fromId` at its survivor `intoId`, once. Both rows are locked (PostgreSQL; SQLite writes
 * one at a time anyway) in id order, so two agents merging A into B and B into A at once cannot
 * both succeed and leave a cycle. Returns false when `fromId` already points at `intoId` (a retry).
 */
export async function claimMerge(db: Db, fromId: string, intoId: string): Promise<boolean> {
  // A deadlock with another writer of these rows (the projection writes a batch of conversation
  // rows in one transaction) is retried: PostgreSQL has undone the loser whole.
  for (let attempt = 1; ; attempt++) {
    try {
      return await claimOnce(db, fromId, intoId)
    } catch (error) {
      if ((error as { code?: string }).code !== '40P01' || attempt >= 5) throw error
      await new Promise((resolve) => setTimeout(resolve, 10 * attempt))
    }
  }
}

function claimOnce(db: Db, fromId: string, intoId: string): Promise<boolean> {
  return db.kysely.transaction().execute(async (trx) => {
    // SQLite: a first write takes the database's lock before any read (see compactDocument).
    // PostgreSQL: both rows are locked in id order, so two claims never wait on each other in a circle.
    if (db.dialect === 'sqlite') await trx.updateTable('conversations').set({ merged_into: sql`merged_into` }).where('id', '=', fromId).execute()
    let read = trx.selectFrom('conversations').select(['id', 'merged_into']).where('id', 'in', [fromId, intoId]).orderBy('id')
    if (db.dialect === 'postgres') read = read.forUpdate()
    const rows = await read.execute()
    const from = rows.find((r) => r.id === fromId)
    const into = rows.find((r) => r.id === intoId)
    if (!from || !into) throw new ParleyError('not-found', 'no such conversation')
    if (from.merged_into === intoId) return false
    if (from.merged_into) throw new ParleyError('conflict', `this conversation was already merged into ${from.merged_into}`, 'id')
    if (into.merged_into) throw new ParleyError('conflict', `the conversation to merge into was itself merged into ${into.merged_into}; merge into that one`, 'into')
    await trx.updateTable('conversations').set({ merged_into: intoId }).where('id', '=', fromId).execute()
    return true
  })
}

export const ERASED = '[erased]'

/**
 * The projection's copies of an erased contact's words: message and note rows (the full-text
 * index follows them: SQLite's triggers, PostgreSQL's generated column), the conversation rows'
 * preview, subject and rating comment, and rating comments in the event log. `rewritten` holds the
 * new text of each rewritten message row by id, as the document now has it.
 */
export async function eraseProjectedText(db: Db, conversationIds: string[], rewritten: Map<string, Map<string, { text: string; authorName: string }>>): Promise<void> {
  if (conversationIds.length === 0) return
  await db.kysely.transaction().execute(async (trx) => {
    for (const [conversationId, rows] of rewritten) {
      // Rows that now say the same thing (every erased message: the placeholder) are one statement per 500.
      const groups = new Map<string, { text: string; authorName: string; ids: string[] }>()
      for (const [id, row] of rows) {
        const key = JSON.stringify([row.text, row.authorName])
        const group = groups.get(key) ?? { ...row, ids: [] }
        group.ids.push(id)
        groups.set(key, group)
      }
      for (const group of groups.values()) {
        for (let i = 0; i < group.ids.length; i += 500) {
          await trx.updateTable('messages').set({ text: group.text, author_name: group.authorName, attachments: '[]' })
            .where('conversation_id', '=', conversationId).where('id', 'in', group.ids.slice(i, i + 500)).execute()
        }
      }
    }
    await trx.updateTable('conversations').set({ preview: ERASED, csat_comment: null })
      .where('id', 'in', conversationIds).execute()
    await trx.updateTable('conversations').set({ subject: ERASED }).where('id', 'in', conversationIds).where('subject', '!=', '').execute()
    await trx.updateTable('conversation_events').set({ comment: null }).where('conversation_id', 'in', conversationIds).where('comment', 'is not', null).execute()
  })
}

/** The event log's reasons (an escalation's, in the bot's words) of these conversations, to scrub of an erased person's name. */
export const listEventReasons = (db: Db, conversationIds: string[]): Promise<{ id: string; conversation_id: string; reason: string | null }[]> =>
  conversationIds.length === 0 ? Promise.resolve([]) : db.kysely.selectFrom('conversation_events').select(['id', 'conversation_id', 'reason']).where('conversation_id', 'in', conversationIds).where('reason', 'is not', null).execute()

export async function setEventReason(db: Db, id: string, reason: string): Promise<void> {
  await db.kysely.updateTable('conversation_events').set({ reason }).where('id', '=', id).execute()
}

/** Ends every widget session of the contact: from the erase on, its tokens open nothing and send nothing. */
export async function revokeContactSessions(db: Db, contactId: string): Promise<number> {
  const result = await db.kysely.updateTable('sessions').set({ revoked_at: Date.now() }).where('contact_id', '=', contactId).where('revoked_at', 'is', null).executeTakeFirst()
  return Number(result.numUpdatedRows)
}

/**
 * Leaves no copy of deleted text in the database's files. The connection deletes with
 * `secure_delete` (db/database.ts), so freed cells and pages are zeroed as they are freed; here
 * the full-text index is merged into one segment (FTS5 keeps a deleted row's terms in older
 * segments until a merge), and the WAL, which still holds the old pages, is checkpointed into
 * the file and truncated to nothing. On PostgreSQL the rows hold no copy once updated; VACUUM
 * makes the dead versions' space reusable (they are unreadable through SQL from the commit on).
 */
export async function purgeDeletedContent(db: Db, tables: string[]): Promise<void> {
  if (db.dialect === 'postgres') {
    for (const table of tables) await sql.raw(`vacuum ${table}`).execute(db.kysely)
    return
  }
  // FTS5 keeps deleted terms in older segments until they are merged into one.
  await sql`insert into messages_fts(messages_fts) values ('optimize')`.execute(db.kysely)
  await sql`insert into contacts_fts(contacts_fts) values ('optimize')`.execute(db.kysely)
  for (let attempt = 0; ; attempt++) {
    const result = await sql<{ busy: number; log: number; checkpointed: number }>`pragma wal_checkpoint(TRUNCATE)`.execute(db.kysely)
    if (result.rows[0]?.busy === 0) return
    // The checkpoint thread or a reader holds the WAL for a moment: try again, then say so.
    if (attempt >= 50) throw new ParleyError('storage-failed', 'the write-ahead log could not be truncated after the erase; run the erase again')
    await new Promise((resolve) => setTimeout(resolve, 20 * (attempt + 1)))
  }
}
