/**
 * Yjs keeps what it cannot integrate (structs after a clock gap, deletes of clocks it does not
 * have) as pending state and retries it at every later update: a pending delete then removes
 * whatever arrives at those clocks, and pending structs cost every update time and memory.
 * The update guard refuses such updates; this is the backstop for state that got in anyway
 * (a log written before the guard knew better): drop it, and say so.
 */
import type * as Y from 'yjs'

export interface DroppedPending { structs: boolean; deletes: boolean }

/** Removes a document's pending structs and deletes. Returns what was there, or null. */
export function dropPendingState(doc: Y.Doc): DroppedPending | null {
  const store = doc.store
  if (!store.pendingStructs && !store.pendingDs) return null
  const dropped = { structs: store.pendingStructs !== null, deletes: store.pendingDs !== null }
  store.pendingStructs = null
  store.pendingDs = null
  return dropped
}
