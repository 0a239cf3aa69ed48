/**
 * The conversation document (`conversation:<id>`): its schemas and the writes that check them.
 * Its keys, enumerations and read accessors are in conversation-shape.ts (re-exported here), so
 * code that only reads a document (the agent app's first screen) does not load valibot.
 * meta: Y.Map of plain values; messages: Y.Array of immutable plain objects (not Y.Maps: they
 * load ~7x faster, see DESIGN.md); streams: Y.Map of Y.Text (bot replies being written).
 */
import * as v from 'valibot'
import type * as Y from 'yjs'
import { AUTHOR_ROLES, CONVERSATION_STATUSES, MAX_MESSAGE_LENGTH, MESSAGE_KINDS, PRIORITIES, findMessage, getMessages, getMeta, indexMessage } from './conversation-shape.ts'
import { ParleyError } from './errors.ts'

export * from './conversation-shape.ts'

const shortText = (max: number) => v.pipe(v.string(), v.maxLength(max))
const idString = v.pipe(v.string(), v.regex(/^[A-Za-z0-9_:.-]{1,80}$/, 'must be 1–80 letters, digits, _ : . or -'))

export const AttachmentSchema = v.strictObject({
  id: idString,
  name: v.pipe(v.string(), v.minLength(1), v.maxLength(255)),
  contentType: v.pipe(v.string(), v.regex(/^[\w.+-]+\/[\w.+-]+$/, 'must be a MIME type')),
  size: v.pipe(v.number(), v.integer(), v.minValue(0)),
  /** Only the server's own attachment path: a message can never carry a link of the sender's choosing. */
  url: v.optional(v.pipe(v.string(), v.regex(/^\/api\/widget\/conversations\/[A-Za-z0-9_-]{1,64}\/attachments\/[A-Za-z0-9_-]{1,80}$/, 'must be an attachment path of this server'))),
})
export type Attachment = v.InferOutput<typeof AttachmentSchema>

export const AuthorSchema = v.strictObject({
  role: v.picklist(AUTHOR_ROLES),
  id: shortText(80),
  name: shortText(200),
})
export type Author = v.InferOutput<typeof AuthorSchema>

export const MessageSchema = v.strictObject({
  id: idString,
  author: AuthorSchema,
  kind: v.picklist(MESSAGE_KINDS),
  text: v.pipe(v.string(), v.maxLength(MAX_MESSAGE_LENGTH, `must be at most ${MAX_MESSAGE_LENGTH} characters`)),
  attachments: v.pipe(v.array(AttachmentSchema), v.maxLength(10)),
  createdAt: v.pipe(v.number(), v.integer(), v.minValue(0)),
  /** An edit or a redaction is a new message that refers to the one it changes; history stays. */
  refersTo: v.optional(idString),
  change: v.optional(v.picklist(['edit', 'redact'])),
  /** Knowledge-base articles a bot reply used. */
  sources: v.optional(v.pipe(v.array(v.strictObject({ id: shortText(80), title: shortText(300) })), v.maxLength(10))),
})
export type Message = v.InferOutput<typeof MessageSchema>

export const ClassificationSchema = v.strictObject({
  category: shortText(100),
  sentiment: v.picklist(['positive', 'neutral', 'negative']),
  language: shortText(16),
  confidence: v.pipe(v.number(), v.minValue(0), v.maxValue(1)),
  reasoning: v.optional(shortText(2000)),
})
export type Classification = v.InferOutput<typeof ClassificationSchema>

export const ContactSummarySchema = v.strictObject({
  id: shortText(80),
  name: v.optional(shortText(200)),
  email: v.optional(shortText(320)),
  page: v.optional(shortText(2048)),
  /** The visitor's browser language (ISO 639-1, from Accept-Language): the bot's fallback until they write. */
  language: v.optional(shortText(16)),
})
export type ContactSummary = v.InferOutput<typeof ContactSummarySchema>

const nullable = <T extends v.GenericSchema>(schema: T) => v.nullable(schema)
const timestamp = v.pipe(v.number(), v.integer(), v.minValue(0))

/** Every key of `meta`, with the schema its value must satisfy. An unknown key is a schema violation. */
export const META_FIELDS = {
  workspaceId: shortText(80),
  status: v.picklist(CONVERSATION_STATUSES),
  assignee: nullable(shortText(80)),
  priority: v.picklist(PRIORITIES),
  labels: v.pipe(v.array(shortText(50)), v.maxLength(50)),
  contact: ContactSummarySchema,
  widgetId: nullable(shortText(80)),
  subject: shortText(300),
  escalationReason: nullable(shortText(1000)),
  waitingSince: nullable(timestamp),
  snoozedUntil: nullable(timestamp),
  csat: nullable(v.strictObject({ rating: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(5)), comment: v.optional(shortText(2000)) })),
  createdAt: timestamp,
  updatedAt: timestamp,
  /** Set on a conversation merged into another: it is a pointer to its survivor from then on (issue 13). */
  mergedInto: nullable(shortText(80)),
  /** On a survivor: the conversations merged into it. */
  mergedFrom: v.pipe(v.array(shortText(80)), v.maxLength(100)),
} as const

export type MetaKey = keyof typeof META_FIELDS
export type ConversationMeta = { [K in MetaKey]: v.InferOutput<(typeof META_FIELDS)[K]> }

/**
 * Meta keys only the server or the bot may set; an agent's client cannot. The assignee is the
 * server's since routing (issue 12): it follows the one row a conditional write decides
 * (`POST /api/conversations/:id/take`, `…/transfer`), so two takes can never both stick.
 */
export const SERVER_ONLY_META: ReadonlySet<MetaKey> = new Set(['workspaceId', 'contact', 'widgetId', 'createdAt', 'csat', 'mergedInto', 'mergedFrom', 'assignee'])

export function checkMetaValue<K extends MetaKey>(key: K, value: unknown): ConversationMeta[K] {
  const schema = META_FIELDS[key]
  if (!schema) throw new ParleyError('schema-violation', `unknown meta field "${String(key)}"`, `meta.${String(key)}`)
  const result = v.safeParse(schema as v.GenericSchema, value)
  if (!result.success) throw new ParleyError('schema-violation', `meta.${key}: ${result.issues[0].message}`, `meta.${key}`)
  return result.output as ConversationMeta[K]
}

export const isMetaKey = (key: string): key is MetaKey => Object.hasOwn(META_FIELDS, key)

/** Parses an untrusted value as a message; throws a ParleyError naming the field. */
export function checkMessage(value: unknown): Message {
  const result = v.safeParse(MessageSchema, value)
  if (!result.success) {
    const issue = result.issues[0]
    const path = v.getDotPath(issue)
    throw new ParleyError('schema-violation', `message${path ? '.' + path : ''}: ${issue.message}`, path ?? 'message')
  }
  return result.output
}

export function setMeta<K extends MetaKey>(doc: Y.Doc, key: K, value: ConversationMeta[K]): void {
  getMeta(doc).set(key, checkMetaValue(key, value))
}

export function updateMeta(doc: Y.Doc, patch: Partial<ConversationMeta>, origin?: unknown): void {
  const checked = Object.entries(patch).map(([key, value]) => {
    if (!isMetaKey(key)) throw new ParleyError('schema-violation', `unknown meta field "${key}"`, `meta.${key}`)
    return [key, checkMetaValue(key, value)] as const
  })
  doc.transact(() => {
    const meta = getMeta(doc)
    for (const [key, value] of checked) {
      if (!sameJson(meta.get(key), value)) meta.set(key, value)
    }
  }, origin)
}

/** Creates the shape of a new conversation. Idempotent: only missing meta keys are set. */
/**
 * A field that is absent reads as its default (no assignee, priority normal, no labels, no
 * subject…: every reader of meta already says `?? default`). Only what has a value is written:
 * each field is a Yjs item held in memory by every loaded conversation, and writing ten empty
 * ones was most of what an idle conversation cost over stock Hocuspocus (bench/connections.ts).
 */
export function initConversation(doc: Y.Doc, meta: Pick<ConversationMeta, 'workspaceId' | 'contact' | 'status'> & Partial<ConversationMeta>, origin?: unknown): void {
  const now = Date.now()
  const full = Object.fromEntries(Object.entries({ createdAt: now, updatedAt: now, ...meta }).filter(([, value]) => value !== null && value !== undefined))
  doc.transact(() => {
    const current = getMeta(doc)
    const missing = Object.fromEntries(Object.entries(full).filter(([key]) => !current.has(key)))
    updateMeta(doc, missing)
  }, origin)
}

/** Appends a message once per id. Returns false when a message with that id is already there. */
export function appendMessage(doc: Y.Doc, message: Message, origin?: unknown): boolean {
  const checked = checkMessage(message)
  if (findMessage(doc, checked.id)) return false
  doc.transact(() => {
    getMessages(doc).push([checked])
    // Seen at once, not when the (possibly enclosing) transaction ends.
    indexMessage(doc, checked)
    getMeta(doc).set('updatedAt', Math.max(checked.createdAt, Date.now()))
  }, origin)
  return true
}

function sameJson(a: unknown, b: unknown): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b)
}
