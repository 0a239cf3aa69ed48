/**
 * Contacts (issue 13): the customer as a record. The HTTP bodies and queries of the contacts API,
 * the custom attributes a workspace defines and the check of their values, and the contact as the
 * agent app receives it. Server, agent app and widget import these; no I/O.
 */
import * as v from 'valibot'
import { ParleyError } from './errors.ts'

export const ATTRIBUTE_TYPES = ['text', 'number', 'date', 'boolean', 'list'] as const
export type AttributeType = (typeof ATTRIBUTE_TYPES)[number]
/** A value as stored: text and list as strings, dates as `YYYY-MM-DD`, numbers and booleans as themselves. */
export type AttributeValue = string | number | boolean
export type AttributeValues = Record<string, AttributeValue>

export interface AttributeDefinition {
  key: string
  label: string
  type: AttributeType
  /** `list`: the values it may take. */
  options: string[]
  createdAt: number
  updatedAt: number
}

const text = (min: number, max: number) => v.pipe(v.string(), v.trim(), v.minLength(min, 'must not be empty'), v.maxLength(max, `must be at most ${max} characters`))
const email = v.pipe(v.string(), v.trim(), v.toLowerCase(), v.email('must be an email address'), v.maxLength(320))
const attributeKey = v.pipe(v.string(), v.regex(/^[a-z][a-z0-9_]{0,39}$/, 'must be a lower-case identifier (a–z, 0–9, _; up to 40)'))
const option = text(1, 100)

export const AttributeDefinitionBody = v.strictObject({
  key: attributeKey,
  label: text(1, 100),
  type: v.picklist(ATTRIBUTE_TYPES, `must be one of ${ATTRIBUTE_TYPES.join(', ')}`),
  options: v.optional(v.pipe(v.array(option), v.maxLength(100, 'must have at most 100 options'))),
})
/** The key and the type of a definition stay what they are: stored values were checked against them. */
export const AttributeDefinitionPatchBody = v.strictObject({
  label: v.optional(text(1, 100)),
  options: v.optional(v.pipe(v.array(option), v.maxLength(100, 'must have at most 100 options'))),
})

/** Values as they arrive; checked against the workspace's definitions by `checkAttributes`. */
const RawAttributes = v.pipe(
  v.record(v.pipe(v.string(), v.maxLength(40)), v.nullable(v.union([v.string(), v.number(), v.boolean()]))),
  v.check((record) => Object.keys(record).length <= 100, 'must have at most 100 attributes'),
)
const phone = v.pipe(v.string(), v.trim(), v.maxLength(40, 'must be at most 40 characters'), v.regex(/^[+()\d\s./-]*\d[+()\d\s./-]*$/, 'must be a phone number (digits, spaces, + ( ) . / -)'))
const avatarUrl = v.pipe(v.string(), v.trim(), v.maxLength(2048), v.regex(/^https?:\/\/\S+$/, 'must be an http(s) address'))
const tags = v.pipe(v.array(text(1, 50)), v.maxLength(50, 'must have at most 50 tags'))

const profile = {
  name: v.optional(v.nullable(text(1, 200))),
  email: v.optional(v.nullable(email)),
  phone: v.optional(v.nullable(phone)),
  company: v.optional(v.nullable(text(1, 200))),
  avatarUrl: v.optional(v.nullable(avatarUrl)),
  notes: v.optional(v.pipe(v.string(), v.maxLength(10_000, 'must be at most 10000 characters'))),
  tags: v.optional(tags),
  /** A null value removes the attribute. */
  attributes: v.optional(RawAttributes),
}
/**
 * `POST /api/contacts` (agents and API keys of scope write): the profile, and for other systems an
 * `id` of their choosing (the create is idempotent by it: asked again, the contact as it is) and
 * `externalId`, the contact's id in their system (unique in the workspace).
 */
export const ContactCreateBody = v.strictObject({
  id: v.optional(v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{8,64}$/, 'must be 8–64 letters, digits, _ or -'))),
  externalId: v.optional(text(1, 200)),
  ...profile,
})
export const ContactPatchBody = v.strictObject(profile)
export type ContactPatch = v.InferOutput<typeof ContactPatchBody>

export const CONTACT_SORTS = ['lastSeen', 'created', 'name'] as const
export type ContactSort = (typeof CONTACT_SORTS)[number]

/**
 * `GET /api/contacts`. `q` is full text over name, email, phone, company, tags, notes and every
 * attribute value (word prefixes, all words required; trailing digits of a phone number too);
 * the named filters narrow it. `attr.<key>=<value>` filters on one attribute (taken apart before
 * this schema, which sees only the fixed keys).
 */
export const ContactListQuery = v.strictObject({
  q: v.optional(v.pipe(v.string(), v.maxLength(200, 'must be at most 200 characters'))),
  name: v.optional(v.pipe(v.string(), v.maxLength(200))),
  email: v.optional(v.pipe(v.string(), v.maxLength(320))),
  phone: v.optional(v.pipe(v.string(), v.maxLength(40))),
  company: v.optional(v.pipe(v.string(), v.maxLength(200))),
  tag: v.optional(v.pipe(v.string(), v.maxLength(50))),
  sort: v.optional(v.picklist(CONTACT_SORTS, `must be one of ${CONTACT_SORTS.join(', ')}`)),
  order: v.optional(v.picklist(['asc', 'desc'], 'must be asc or desc')),
  cursor: v.optional(v.pipe(v.string(), v.maxLength(400))),
  limit: v.optional(v.pipe(v.string(), v.transform(Number), v.integer('must be an integer'), v.minValue(1, 'must be at least 1'), v.maxValue(200, 'must be at most 200'))),
})
export type ContactListFilter = Omit<v.InferOutput<typeof ContactListQuery>, 'limit'> & { limit?: number; attributes?: Record<string, string> }

/** Fields of a merge whose values can differ between the two records. */
export const MERGE_FIELDS = ['name', 'email', 'phone', 'company', 'avatarUrl'] as const
export type MergeField = (typeof MERGE_FIELDS)[number] | `attributes.${string}`
/** Which record's value a conflicting field keeps: the one kept (`target`) or the one merged in (`source`). */
export const MergeContactsBody = v.strictObject({
  sourceId: v.pipe(v.string(), v.minLength(1), v.maxLength(80)),
  resolution: v.optional(v.record(v.pipe(v.string(), v.maxLength(60)), v.picklist(['source', 'target'], 'must be source or target'))),
})
export interface MergeConflict { field: string; target: AttributeValue | null; source: AttributeValue | null }

/** A contact as the API answers it. */
export interface ContactRecord {
  id: string
  /** The name lists show: the name, else the email, else a stable "Visitor #1234". */
  displayName: string
  name: string | null
  email: string | null
  phone: string | null
  company: string | null
  avatarUrl: string | null
  notes: string
  tags: string[]
  attributes: AttributeValues
  /** Free-form values from pre-chat forms and the widget that no attribute is defined for. */
  fields: Record<string, string>
  externalId: string | null
  mergedInto: string | null
  createdAt: number
  lastSeenAt: number
  updatedAt: number
  conversationCount: number
  openConversations: number
}

const DATE = /^\d{4}-\d{2}-\d{2}$/

/** Checks one value against its definition; returns it normalised, or a message saying what is wrong. */
export function checkAttributeValue(definition: Pick<AttributeDefinition, 'type' | 'options'>, value: unknown): { value: AttributeValue } | { error: string } {
  switch (definition.type) {
    case 'text':
      if (typeof value !== 'string') return { error: 'must be text' }
      if (value.trim().length > 1000) return { error: 'must be at most 1000 characters' }
      return { value: value.trim() }
    case 'number': {
      const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value
      return typeof n === 'number' && Number.isFinite(n) ? { value: n } : { error: 'must be a number' }
    }
    case 'date': {
      if (typeof value !== 'string' || !DATE.test(value)) return { error: 'must be a date like 2026-12-31' }
      const d = new Date(`${value}T00:00:00Z`)
      return Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== value ? { error: 'must be a real date like 2026-12-31' } : { value }
    }
    case 'boolean':
      if (typeof value === 'boolean') return { value }
      if (value === 'true' || value === 'false') return { value: value === 'true' }
      return { error: 'must be true or false' }
    case 'list':
      if (typeof value !== 'string' || !definition.options.includes(value)) return { error: `must be one of ${definition.options.join(', ')}` }
      return { value }
  }
}

/**
 * The attribute values a contact will have after `changes` (null removes one) are applied, each
 * checked against its definition. An unknown key or a bad value is a 400 naming `attributes.<key>`.
 */
export function checkAttributes(definitions: readonly Pick<AttributeDefinition, 'key' | 'type' | 'options'>[], current: AttributeValues, changes: Record<string, unknown>, field = 'attributes'): AttributeValues {
  const byKey = new Map(definitions.map((d) => [d.key, d]))
  const next: AttributeValues = { ...current }
  for (const [key, value] of Object.entries(changes)) {
    const definition = byKey.get(key)
    if (!definition) throw new ParleyError('bad-request', `${field}.${key}: no attribute of this workspace has this key`, `${field}.${key}`)
    if (value === null || value === '') { delete next[key]; continue }
    const checked = checkAttributeValue(definition, value)
    if ('error' in checked) throw new ParleyError('bad-request', `${field}.${key}: ${checked.error}`, `${field}.${key}`)
    next[key] = checked.value
  }
  return next
}

/** How a value reads in a list or a search index. */
export const formatAttributeValue = (value: AttributeValue | null | undefined): string =>
  value === null || value === undefined ? '' : typeof value === 'boolean' ? (value ? 'yes' : 'no') : String(value)
