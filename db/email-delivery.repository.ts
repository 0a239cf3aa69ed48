/**
 * The email delivery log. A row is written before the job that sends it is queued and carries
 * the rendered message, so a lost job, a crash or an SMTP outage loses nothing: the row is still
 * there to send. Claims are conditional writes, so two instances never send one row at once.
 */
import type { Db } from './database.ts'
import type { EmailDelivery, EmailStatus } from './tables.ts'

export async function insertDelivery(db: Db, row: Omit<EmailDelivery, 'status' | 'attempts' | 'last_error' | 'created_at' | 'updated_at' | 'sent_at'>): Promise<EmailDelivery> {
  const now = Date.now()
  const delivery: EmailDelivery = { ...row, status: 'queued', attempts: 0, last_error: null, created_at: now, updated_at: now, sent_at: null }
  // A deterministic id queued twice at once (two instances) keeps its first row.
  const result = await db.kysely.insertInto('email_deliveries').values(delivery).onConflict((oc) => oc.column('id').doNothing()).executeTakeFirst()
  if (result.numInsertedOrUpdatedRows === 0n) return (await getDelivery(db, row.id)) ?? delivery
  return delivery
}

export const getDelivery = (db: Db, id: string): Promise<EmailDelivery | undefined> =>
  db.kysely.selectFrom('email_deliveries').selectAll().where('id', '=', id).executeTakeFirst()

/** Takes a queued or retrying row for sending; undefined when another sender has it or it was sent. */
export async function claimDelivery(db: Db, id: string, now = Date.now()): Promise<EmailDelivery | undefined> {
  const result = await db.kysely.updateTable('email_deliveries').set((eb) => ({ status: 'sending', attempts: eb('attempts', '+', 1), updated_at: now }))
    .where('id', '=', id).where('status', 'in', ['queued', 'retrying']).executeTakeFirst()
  return Number(result.numUpdatedRows) === 1 ? getDelivery(db, id) : undefined
}

export async function finishDelivery(db: Db, id: string, outcome: { status: Extract<EmailStatus, 'sent' | 'retrying' | 'failed'>; error?: string }, now = Date.now()): Promise<void> {
  await db.kysely.updateTable('email_deliveries').set({
    status: outcome.status, updated_at: now, last_error: outcome.error ?? null, ...(outcome.status === 'sent' ? { sent_at: now } : {}),
  }).where('id', '=', id).where('status', '=', 'sending').execute()
}

/** A failed row back to the queue (an admin's retry); false when it is not failed. */
export async function requeueDelivery(db: Db, workspaceId: string, id: string, now = Date.now()): Promise<boolean> {
  const result = await db.kysely.updateTable('email_deliveries').set({ status: 'queued', updated_at: now })
    .where('id', '=', id).where('workspace_id', '=', workspaceId).where('status', '=', 'failed').executeTakeFirst()
  return Number(result.numUpdatedRows) === 1
}

/**
 * Rows whose job may be lost: queued or retrying and untouched since `before`, or stuck in
 * `sending` (the instance died mid-send) since `before`; the stuck ones are put back to retrying.
 */
export async function findStalledDeliveries(db: Db, before: number, limit = 100): Promise<string[]> {
  await db.kysely.updateTable('email_deliveries').set({ status: 'retrying', updated_at: before }).where('status', '=', 'sending').where('updated_at', '<', before).execute()
  const rows = await db.kysely.selectFrom('email_deliveries').select('id').where('status', 'in', ['queued', 'retrying']).where('updated_at', '<=', before).orderBy('updated_at').limit(limit).execute()
  return rows.map((r) => r.id)
}

export async function touchDelivery(db: Db, id: string, now = Date.now()): Promise<void> {
  await db.kysely.updateTable('email_deliveries').set({ updated_at: now }).where('id', '=', id).where('status', 'in', ['queued', 'retrying']).execute()
}

export interface DeliveryFilter { workspaceId: string; conversationId?: string; status?: EmailStatus; limit?: number }

export function listDeliveries(db: Db, f: DeliveryFilter): Promise<EmailDelivery[]> {
  let query = db.kysely.selectFrom('email_deliveries').selectAll().where('workspace_id', '=', f.workspaceId)
  if (f.conversationId) query = query.where('conversation_id', '=', f.conversationId)
  if (f.status) query = query.where('status', '=', f.status)
  return query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(f.limit ?? 100).execute()
}

/** The conversation an email of ours belongs to, by one of its Message-IDs. */
export async function findConversationByMessageIds(db: Db, workspaceId: string, messageIds: string[]): Promise<string | null> {
  if (messageIds.length === 0) return null
  const row = await db.kysely.selectFrom('email_deliveries').select('conversation_id').where('workspace_id', '=', workspaceId)
    .where('message_id', 'in', messageIds).where('conversation_id', 'is not', null).orderBy('created_at', 'desc').executeTakeFirst()
  return row?.conversation_id ?? null
}

/** The newest email of ours in a conversation: a reply threads under it. */
export const lastConversationEmail = (db: Db, conversationId: string): Promise<EmailDelivery | undefined> =>
  db.kysely.selectFrom('email_deliveries').selectAll().where('conversation_id', '=', conversationId).where('kind', '=', 'reply')
    .orderBy('created_at', 'desc').executeTakeFirst()
