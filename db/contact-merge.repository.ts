/**
 * Merging one contact into another, in one transaction: the source's conversations and visitor
 * sessions move to the target, the target takes the profile the caller decided, the source
 * becomes a tombstone pointing at it, and an audit row records who did it and what was kept.
 *
 * Two agents merging at once: both rows are locked first, in id order (an UPDATE takes the row
 * lock on PostgreSQL; SQLite has one writer), then read again, so the second merge sees the
 * first one's outcome: the same merge again is answered from its audit row, a crossing one
 * (B into A while A went into B) is refused. Locking in id order keeps the two from deadlocking.
 */
import type { Kysely } from 'kysely'
import { ParleyError } from '../protocol/index.ts'
import { updateContactIn, type ContactChanges } from './contact.repository.ts'
import type { Db } from './database.ts'
import type { Contact, ContactMerge, Database } from './tables.ts'

export interface MergeDecision { changes: ContactChanges; resolution: Record<string, 'source' | 'target'> }
export interface MergeOutcome { merge: ContactMerge; target: Contact; movedConversationIds: string[]; alreadyMerged: boolean }

export async function mergeContacts(db: Db, input: { workspaceId: string; sourceId: string; targetId: string; actorId: string | null; decide(source: Contact, target: Contact): MergeDecision }, now = Date.now()): Promise<MergeOutcome> {
  const { workspaceId, sourceId, targetId } = input
  if (sourceId === targetId) throw new ParleyError('bad-request', 'sourceId: a contact cannot be merged into itself', 'sourceId')
  return db.kysely.transaction().execute(async (trx) => {
    for (const id of [sourceId, targetId].sort()) {
      await trx.updateTable('contacts').set((eb) => ({ updated_at: eb.ref('updated_at') })).where('workspace_id', '=', workspaceId).where('id', '=', id).execute()
    }
    const read = (id: string) => trx.selectFrom('contacts').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst()
    const [source, target] = [await read(sourceId), await read(targetId)]
    if (!source) throw new ParleyError('not-found', 'sourceId: no such contact', 'sourceId')
    if (!target) throw new ParleyError('not-found', 'no such contact')
    if (source.merged_into === targetId) {
      const merge = await trx.selectFrom('contact_merges').selectAll().where('source_id', '=', sourceId).executeTakeFirstOrThrow()
      return { merge, target, movedConversationIds: await conversationIdsOf(trx, workspaceId, targetId, sourceId), alreadyMerged: true }
    }
    if (source.merged_into) throw new ParleyError('conflict', `sourceId: that contact was merged into ${source.merged_into} already`, 'sourceId')
    if (target.merged_into) throw new ParleyError('conflict', `this contact was merged into ${target.merged_into}; merge into that one`, 'id')

    const decision = input.decide(source, target)
    const moved = await trx.selectFrom('conversations').select('id').where('workspace_id', '=', workspaceId).where('contact_id', '=', sourceId).execute()
    await trx.updateTable('conversations').set({ contact_id: targetId }).where('workspace_id', '=', workspaceId).where('contact_id', '=', sourceId).execute()
    const sessions = await trx.updateTable('sessions').set({ contact_id: targetId }).where('workspace_id', '=', workspaceId).where('contact_id', '=', sourceId).executeTakeFirst()
    // The tombstone keeps only what leads on: its id, and a user id the target did not take (so
    // that user's next identify still finds the merged record). The profile lives on in the target
    // and, as it was, in the audit row's snapshot.
    const keepsExternal = source.external_id !== null && decision.changes.external_id !== source.external_id
    await trx.updateTable('contacts').set({
      merged_into: targetId, name: null, email: null, phone: null, company: null, avatar_url: null, notes: '', tags: '[]', attributes: '{}', fields: '{}',
      search_text: '', sort_name: '', phone_rev: '', updated_at: now, ...(keepsExternal ? {} : { external_id: null }),
    }).where('id', '=', sourceId).execute()
    await trx.deleteFrom('contact_attribute_values').where('contact_id', '=', sourceId).execute()
    const updated = await updateContactIn(trx, workspaceId, targetId, { ...decision.changes, last_seen_at: Math.max(source.last_seen_at, target.last_seen_at) }, now)
    const merge: ContactMerge = {
      source_id: sourceId, workspace_id: workspaceId, target_id: targetId, actor_id: input.actorId, resolution: JSON.stringify(decision.resolution),
      source_snapshot: JSON.stringify(snapshot(source)), conversations: moved.length, sessions: Number(sessions.numUpdatedRows), at: now,
    }
    await trx.insertInto('contact_merges').values(merge).execute()
    // The event log: each moved conversation says where it went, who moved it and when.
    if (moved.length > 0) {
      await trx.insertInto('conversation_events').values(moved.map(({ id }) => ({
        id: `${id}:contact_merged:${sourceId}`, workspace_id: workspaceId, conversation_id: id, kind: 'contact_merged' as const, at: now,
        actor_id: input.actorId, assignee_id: null, from_assignee_id: null, priority: null, reason: `contact ${sourceId} merged into ${targetId}`, rating: null, comment: null, until_at: null,
      }))).onConflict((oc) => oc.column('id').doNothing()).execute()
    }
    return { merge, target: updated!, movedConversationIds: moved.map((m) => m.id), alreadyMerged: false }
  })
}

async function conversationIdsOf(trx: Kysely<Database>, workspaceId: string, targetId: string, sourceId: string): Promise<string[]> {
  const rows = await trx.selectFrom('conversation_events').select('conversation_id').where('workspace_id', '=', workspaceId).where('kind', '=', 'contact_merged').where('id', 'like', `%:contact_merged:${sourceId}`).execute()
  const still = await trx.selectFrom('conversations').select('id').where('contact_id', '=', targetId).where('id', 'in', rows.length ? rows.map((r) => r.conversation_id) : ['']).execute()
  return still.map((r) => r.id)
}

const snapshot = (c: Contact) => ({
  id: c.id, name: c.name, email: c.email, phone: c.phone, company: c.company, avatarUrl: c.avatar_url, notes: c.notes, tags: JSON.parse(c.tags), attributes: JSON.parse(c.attributes),
  fields: JSON.parse(c.fields), externalId: c.external_id, createdAt: c.created_at, lastSeenAt: c.last_seen_at,
})

export const listMergesInto = (db: Db, workspaceId: string, targetId: string): Promise<ContactMerge[]> =>
  db.kysely.selectFrom('contact_merges').selectAll().where('workspace_id', '=', workspaceId).where('target_id', '=', targetId).orderBy('at', 'desc').execute()
