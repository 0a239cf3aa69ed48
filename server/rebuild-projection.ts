/**
 * `npm run rebuild-projection`: rewrites the conversations and messages rows, the event log, the
 * SLA state (due times, breaches: server/routing/sla-rebuild.ts) and the inbox documents, from the
 * conversation documents (the source of truth). Safe to run at any time.
 */
import * as Y from 'yjs'
import { formatInternalName, parseDocumentName, readClassification } from '../protocol/index.ts'
import { openDatabase, type Db } from '../db/database.ts'
import { listDocumentNames, loadStoredDocument } from '../db/doc-log.repository.ts'
import { migrateToLatest } from '../db/migrate.ts'
import { loadConfig } from './config.ts'
import { projectClassification, projectConversation } from './projection.ts'
import { rebuildConversationSla } from './routing/sla-rebuild.ts'

/** `now` judges which SLA targets are overdue (a test passes its clock's). */
export async function rebuildProjection(db: Db, onEntry?: (workspaceId: string, entry: NonNullable<Awaited<ReturnType<typeof projectConversation>>>) => Promise<void>, now = Date.now()): Promise<number> {
  let count = 0
  for (const name of await listDocumentNames(db, 'conversation:')) {
    const doc = await loadDoc(db, name)
    const id = parseDocumentName(name).id
    const internal = await loadDoc(db, formatInternalName(id))
    const classification = readClassification(internal)
    if (classification) await projectClassification(db, id, classification)
    const entry = await projectConversation(db, id, doc, classification?.category ?? null)
    await rebuildConversationSla(db, id, doc, internal, now)
    internal.destroy()
    if (entry && onEntry) await onEntry(doc.getMap('meta').get('workspaceId') as string, entry)
    count += 1
    doc.destroy()
  }
  return count
}

/** A document as stored: its snapshot and log (a torn entry is skipped, as at load). */
async function loadDoc(db: Db, name: string): Promise<Y.Doc> {
  const stored = await loadStoredDocument(db, name)
  const doc = new Y.Doc()
  if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot.data)
  for (const update of stored.updates) {
    try { Y.applyUpdate(doc, update.data) } catch { /* skipped */ }
  }
  return doc
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const config = loadConfig()
  const db = openDatabase(config.databaseUrl)
  await migrateToLatest(db)
  const count = await rebuildProjection(db)
  console.log(`rebuilt the projection of ${count} conversations (the inbox is rebuilt as each conversation next changes or loads)`)
  await db.close()
}
