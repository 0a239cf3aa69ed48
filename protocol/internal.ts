/**
 * The internal document of a conversation (`internal:<id>`): private notes and reply drafts,
 * synced between agents and the bot, never opened by the customer.
 * notes: Y.Array of immutable note messages (kind 'note'); drafts: Y.Map of Y.Text keyed by the
 * writing agent's id (each agent types only into their own, so two replies never mix; issue 17),
 * the AI copilot's suggestion under AI_DRAFT_KEY; draftSharing: Y.Map author id → true while the
 * author lets the team co-edit their draft ("edit together"); triage: Y.Map holding the AI's
 * classification (sentiment and reasoning are for the team, not the customer).
 * Here the checked reads and writes; the keys and plain accessors are in internal-shape.ts
 * (re-exported here), which code that must not load valibot imports.
 */
import type * as Y from 'yjs'
import * as v from 'valibot'
import { ClassificationSchema, checkMessage, type Classification, type Message } from './conversation.ts'
import { ParleyError } from './errors.ts'
import { TRIAGE_CLASSIFICATION, getNotes, getTriage } from './internal-shape.ts'

export * from './internal-shape.ts'

/** The AI's classification of the conversation, or null before the bot has judged it. */
export function readClassification(doc: Y.Doc): Classification | null {
  const value = getTriage(doc).get(TRIAGE_CLASSIFICATION)
  return v.is(ClassificationSchema, value) ? value : null
}

export function writeClassification(doc: Y.Doc, classification: Classification, origin?: unknown): void {
  const checked = v.parse(ClassificationSchema, classification)
  doc.transact(() => getTriage(doc).set(TRIAGE_CLASSIFICATION, checked), origin)
}

/** Appends a note once per id. Returns false when a note with that id is already there. */
export function appendNote(doc: Y.Doc, note: Message, origin?: unknown): boolean {
  const checked = checkMessage(note)
  if (checked.kind !== 'note') throw new ParleyError('schema-violation', 'an internal note has kind "note"', 'message.kind')
  const notes = getNotes(doc)
  for (let i = notes.length - 1; i >= 0; i--) if (notes.get(i).id === checked.id) return false
  doc.transact(() => notes.push([checked]), origin)
  return true
}
