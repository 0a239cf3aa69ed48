/**
 * Uploads no message refers to: a visitor uploaded a file and never sent the message, or the
 * conversation was erased. They are deleted once older than the grace period (the upload comes
 * before its message, and the message's SQL row is written a moment after the document).
 */
import type { Db } from '../../db/database.ts'
import type { AttachmentStore } from '../storage/attachment-store.ts'

const URL_KEY = /^\/api\/widget\/conversations\/([A-Za-z0-9_-]{1,64})\/attachments\/([A-Za-z0-9_-]{1,80})$/
/** Conversations per reference query (well under SQLite's and PostgreSQL's parameter limits). */
const CHUNK = 500

export interface OrphanSweep { checked: number; deleted: number }

export async function deleteOrphanUploads(db: Db, store: AttachmentStore, options: { now: number; graceMs: number }): Promise<OrphanSweep> {
  const candidates: string[] = []
  let checked = 0
  for await (const { key, info } of store.list()) {
    checked += 1
    if (options.now - info.createdAt >= options.graceMs) candidates.push(key)
  }
  if (candidates.length === 0) return { checked, deleted: 0 }
  const referenced = await referencedKeys(db, [...new Set(candidates.map((key) => key.split('/')[0] as string))])
  let deleted = 0
  for (const key of candidates) {
    if (referenced.has(key)) continue
    await store.delete(key)
    deleted += 1
  }
  return { checked, deleted }
}

/** Attachment keys the messages (and notes) of these conversations refer to. */
async function referencedKeys(db: Db, conversationIds: string[]): Promise<Set<string>> {
  const keys = new Set<string>()
  for (let i = 0; i < conversationIds.length; i += CHUNK) {
    const rows = await db.kysely.selectFrom('messages').select(['conversation_id', 'attachments'])
      .where('conversation_id', 'in', conversationIds.slice(i, i + CHUNK)).where('attachments', '!=', '[]').execute()
    for (const row of rows) {
      let list: { id?: unknown; url?: unknown }[]
      try { list = JSON.parse(row.attachments) } catch { continue }
      if (!Array.isArray(list)) continue
      for (const attachment of list) {
        const fromUrl = typeof attachment?.url === 'string' ? URL_KEY.exec(attachment.url) : null
        if (fromUrl) keys.add(`${fromUrl[1]}/${fromUrl[2]}`)
        if (typeof attachment?.id === 'string') keys.add(`${row.conversation_id}/${attachment.id}`)
      }
    }
  }
  return keys
}
