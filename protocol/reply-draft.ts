/**
 * Reply drafts live in the conversation's internal document (`internal:<id>`, never opened by the
 * customer), one Y.Text per agent under the agent's id: two agents typing at once each write their
 * own reply (a single shared draft mixed their keystrokes; issue 17). Co-editing is explicit: the
 * author opens their draft (setDraftShared) and others may then type into it.
 * (The AI copilot's suggestion is another key of the same map: AI_DRAFT_KEY.)
 */
import * as Y from 'yjs'
import { getInternalDrafts } from './internal.ts'

/** The key of the one shared draft before drafts were per agent: old documents may hold it; nothing reads or writes it now. */
export const LEGACY_REPLY_DRAFT_KEY = 'reply'

export { getInternalDrafts }

/** The draft under `key`, created when missing. */
export function ensureDraft(internalDoc: Y.Doc, key: string, origin?: unknown): Y.Text {
  const drafts = getInternalDrafts(internalDoc)
  let text = drafts.get(key)
  if (!(text instanceof Y.Text)) {
    text = new Y.Text()
    internalDoc.transact(() => drafts.set(key, text!), origin)
  }
  return text
}

/** Empties a draft (after it was sent); the Y.Text stays so co-editors keep their binding. */
export function clearDraft(text: Y.Text, origin?: unknown): void {
  if (text.length > 0 && text.doc) text.doc.transact(() => text.delete(0, text.length), origin)
}
