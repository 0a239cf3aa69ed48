/**
 * The agent app keeps deleted content in conversation documents (gc off, io/sync.ts), so an erase
 * (issue 13) that reached this device would live on in its memory and its IndexedDB copy. A sent
 * message or note is never deleted except by the server (an erase replaces it with a placeholder;
 * a merge may move it), so deleted items of those two arrays are dropped here, the way Yjs drops
 * deleted content when gc is on, and the caller stores the document's state again in place of
 * the updates that held them.
 */
import * as Y from 'yjs'
// The shapes, not conversation.ts and internal.ts: this is first-load code, and those bring valibot.
import { ROOT } from '../../protocol/conversation-shape.ts'
import { INTERNAL_ROOT } from '../../protocol/internal-shape.ts'

const ROOTS = [ROOT.messages, INTERNAL_ROOT.notes]

/** Whether a transaction touched the messages or notes (the only arrays an erase deletes from). */
export function touchesMessages(doc: Y.Doc, transaction: Y.Transaction): boolean {
  if (transaction.deleteSet.clients.size === 0) return false
  return ROOTS.some((name) => { const type = doc.share.get(name); return type !== undefined && transaction.changed.has(type) })
}

/** Drops the content of deleted messages and notes; true when there was any. */
export function dropErasedContent(doc: Y.Doc): boolean {
  const arrays = ROOTS.map((name) => doc.share.get(name)).filter((type): type is Y.AbstractType<any> => type !== undefined)
  const holding = (item: Y.Item) => item.deleted && !(item.content instanceof Y.ContentDeleted)
  let found = false
  for (const array of arrays) {
    for (let item = array._start; item && !found; item = item.right) found = holding(item)
  }
  if (!found) return false
  const parents = new Set<unknown>(arrays)
  doc.transact(() => Y.tryGc(Y.createDeleteSetFromStructStore(doc.store), doc.store, (item) => parents.has(item.parent)))
  return true
}
