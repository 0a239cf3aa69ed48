/**
 * The internal document's keys and plain accessors (internal.ts has the checked reads and writes
 * and re-exports this), for code that must not load valibot: the agent app's first screen
 * (bench/agent-app.ts) drops erased notes from its copies (agent-app/io/erased-content.ts).
 */
import type * as Y from 'yjs'
import type { Message } from './conversation.ts'

export const INTERNAL_ROOT = { notes: 'notes', drafts: 'drafts', draftSharing: 'draftSharing', triage: 'triage', sla: 'sla' } as const
export const TRIAGE_CLASSIFICATION = 'classification'

export const getInternalDrafts = (doc: Y.Doc): Y.Map<Y.Text> => doc.getMap<Y.Text>(INTERNAL_ROOT.drafts)
export const getDraftSharing = (doc: Y.Doc): Y.Map<boolean> => doc.getMap<boolean>(INTERNAL_ROOT.draftSharing)

/** True while the author of the draft under `authorId` has opened it for co-editing. */
export const isDraftShared = (doc: Y.Doc, authorId: string): boolean => getDraftSharing(doc).get(authorId) === true

/** The author opens (or closes) their own draft for co-editing; only the author may (server/update-policy.ts). */
export function setDraftShared(doc: Y.Doc, authorId: string, shared: boolean, origin?: unknown): void {
  const sharing = getDraftSharing(doc)
  if (shared === isDraftShared(doc, authorId)) return
  doc.transact(() => { if (shared) sharing.set(authorId, true); else sharing.delete(authorId) }, origin)
}

export const getTriage = (doc: Y.Doc): Y.Map<unknown> => doc.getMap(INTERNAL_ROOT.triage)

export const getNotes = (doc: Y.Doc): Y.Array<Message> => doc.getArray<Message>(INTERNAL_ROOT.notes)
export const readNotes = (doc: Y.Doc): Message[] => getNotes(doc).toArray()
