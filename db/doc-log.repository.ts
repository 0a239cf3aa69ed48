/**
 * The Yjs update log and snapshots. The log is the durability boundary: an update is
 * acknowledged to its client only after its row is committed here.
 */
import { sql } from 'kysely'
import type { Db } from './database.ts'

export interface LoggedUpdate { id: number; data: Uint8Array }
export interface StoredDocument { snapshot: { data: Uint8Array; version: number } | null; updates: LoggedUpdate[] }

/** One statement, so one commit, for the whole batch (group commit). Returns the new row ids in order. */
export async function appendUpdates(db: Db, entries: { docName: string; data: Uint8Array }[]): Promise<number[]> {
  if (entries.length === 0) return []
  const now = Date.now()
  const rows = await db.kysely.insertInto('doc_updates')
    .values(entries.map((e) => ({ doc_name: e.docName, data: e.data, created_at: now })))
    .returning('id').execute()
  return rows.map((row) => Number(row.id))
}

export async function loadStoredDocument(db: Db, docName: string): Promise<StoredDocument> {
  const snapshot = await db.kysely.selectFrom('doc_snapshots').select(['data', 'version']).where('doc_name', '=', docName).executeTakeFirst()
  const updates = await db.kysely.selectFrom('doc_updates').select(['id', 'data']).where('doc_name', '=', docName).orderBy('id').execute()
  return {
    snapshot: snapshot ? { data: toBytes(snapshot.data), version: snapshot.version } : null,
    updates: updates.map((u) => ({ id: Number(u.id), data: toBytes(u.data) })),
  }
}

/**
 * Replaces the snapshot and deletes exactly the log rows it covers, in one transaction.
 * `merge` receives the current snapshot and the rows, and returns the new snapshot.
 */
export async function compactDocument(db: Db, docName: string, merge: (stored: StoredDocument) => Uint8Array): Promise<{ version: number; removed: number }> {
  return db.kysely.transaction().execute(async (trx) => {
    const tdb: Db = { ...db, kysely: trx }
    // Write first, read second: on SQLite a transaction that reads and then writes fails with
    // SQLITE_BUSY when another connection (another process on the file) committed in between, and the
    // busy timeout cannot help it. A first write takes the lock (waiting for it) before any read.
    await trx.updateTable('doc_snapshots').set({ version: sql`version` }).where('doc_name', '=', docName).execute()
    const stored = await loadStoredDocument(tdb, docName)
    const data = merge(stored)
    const version = (stored.snapshot?.version ?? 0) + 1
    await trx.insertInto('doc_snapshots').values({ doc_name: docName, data, version, updated_at: Date.now() })
      .onConflict((oc) => oc.column('doc_name').doUpdateSet({ data, version, updated_at: Date.now() })).execute()
    const ids = stored.updates.map((u) => u.id)
    // Delete the ids that were read, not a range: on PostgreSQL a lower id may commit later.
    for (let i = 0; i < ids.length; i += 500) await trx.deleteFrom('doc_updates').where('id', 'in', ids.slice(i, i + 500)).execute()
    return { version, removed: ids.length }
  })
}

export async function countLoggedUpdates(db: Db): Promise<number> {
  const row = await db.kysely.selectFrom('doc_updates').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
  return Number(row.n)
}

export async function listDocumentNames(db: Db, prefix: string): Promise<string[]> {
  const a = await db.kysely.selectFrom('doc_snapshots').select('doc_name').where('doc_name', 'like', `${prefix}%`).execute()
  const b = await db.kysely.selectFrom('doc_updates').select('doc_name').distinct().where('doc_name', 'like', `${prefix}%`).execute()
  return [...new Set([...a, ...b].map((row) => row.doc_name))]
}

const toBytes = (data: Uint8Array): Uint8Array => (data instanceof Uint8Array && data.constructor === Uint8Array ? data : new Uint8Array(data))
