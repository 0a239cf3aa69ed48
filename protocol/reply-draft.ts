/**
 * The agents' shared reply draft: every agent's reply box edits the same Y.Text under `drafts`,
 * so two agents can co-edit one reply. (The AI's suggestion is another key: AI_DRAFT_KEY.)
 */
import * as Y from 'yjs'
import { getDrafts } from './conversation.ts'

export const REPLY_DRAFT_KEY = 'reply'

/** The draft under `key`, created when missing. */
export function ensureDraft(doc: Y.Doc, key: string, origin?: unknown): Y.Text {
  const drafts = getDrafts(doc)
  let text = drafts.get(key)
  if (!(text instanceof Y.Text)) {
    text = new Y.Text()
    doc.transact(() => drafts.set(key, text!), origin)
  }
  return text
}

/** Empties a draft (after it was sent); the Y.Text stays so co-editors keep their binding. */
export function clearDraft(text: Y.Text, origin?: unknown): void {
  if (text.length > 0 && text.doc) text.doc.transact(() => text.delete(0, text.length), origin)
}
