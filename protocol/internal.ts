/**
 * The internal document of a conversation (`internal:<id>`): private notes and reply drafts,
 * synced between agents and the bot, never opened by the customer.
 * notes: Y.Array of immutable note messages (kind 'note'); drafts: Y.Map of Y.Text keyed by the
 * writing agent's id (each agent types only into their own, so two replies never mix; issue 17),
 * the AI copilot's suggestion under AI_DRAFT_KEY; draftSharing: Y.Map author id → true while the
 * author lets the team co-edit their draft ("edit together"); triage: Y.Map holding the AI's
 * classification (sentiment and reasoning are for the team, not the customer); sla: Y.Map of the
 * conversation's SLA cycles keyed by their start, written by the server only (clients are refused
 * it by server/update-policy.ts), so the SLA can be rebuilt from the documents (issue 12).
 * Here the checked reads and writes; the keys and plain accessors are in internal-shape.ts
 * (re-exported here), which code that must not load valibot imports.
 */
import type * as Y from 'yjs'
import * as v from 'valibot'
import { ClassificationSchema, checkMessage, type Classification, type Message } from './conversation.ts'
import { ParleyError } from './errors.ts'
import { INTERNAL_ROOT, TRIAGE_CLASSIFICATION, getNotes, getTriage } from './internal-shape.ts'

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

/**
 * One stretch of an SLA cycle: the cycle's start (the first queueing, or a reopen), since when
 * these targets apply (the start; a transfer to another inbox's team adds a stretch) and the due
 * times its inbox gave it.
 */
export interface SlaCycle { startedAt: number; since: number; inboxId: string | null; firstResponseDueAt: number | null; resolutionDueAt: number | null }
const SlaCycleSchema = v.object({ startedAt: v.number(), since: v.number(), inboxId: v.nullable(v.string()), firstResponseDueAt: v.nullable(v.number()), resolutionDueAt: v.nullable(v.number()) })

export const getSlaCycles = (doc: Y.Doc): Y.Map<SlaCycle> => doc.getMap<SlaCycle>(INTERNAL_ROOT.sla)
/** The stretches, oldest first. */
export const readSlaCycles = (doc: Y.Doc): SlaCycle[] =>
  [...getSlaCycles(doc).values()].filter((c) => v.is(SlaCycleSchema, c)).sort((a, b) => a.startedAt - b.startedAt || a.since - b.since)
/** Records a stretch, once per start and since (writing it again, from a retry or another instance, changes nothing). */
export function writeSlaCycle(doc: Y.Doc, cycle: SlaCycle, origin?: unknown): void {
  const checked = v.parse(SlaCycleSchema, cycle)
  const key = `${checked.startedAt}:${checked.since}`
  if (getSlaCycles(doc).has(key)) return
  doc.transact(() => getSlaCycles(doc).set(key, checked), origin)
}
