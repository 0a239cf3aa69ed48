/**
 * What the contacts routes, the widget's identify and the pre-chat form share: turning a checked
 * patch into row changes (attributes checked against the workspace's definitions), the merge
 * rule, the contact as the API answers it, and keeping the conversations' contact summary (the
 * name the inbox and the customer panel show, read from `meta.contact`) in step with the record.
 */
import {
  ParleyError, checkAttributes, formatContactName, readMeta, updateMeta,
  type AttributeValues, type ContactPatch, type ContactRecord, type MergeConflict,
} from '../../protocol/index.ts'
import { listAttributeDefinitions } from '../../db/contact-attribute.repository.ts'
import { conversationCounts, type ContactChanges } from '../../db/contact.repository.ts'
import type { MergeDecision } from '../../db/contact-merge.repository.ts'
import type { Contact } from '../../db/tables.ts'
import type { Services } from '../services.ts'

/** Conversations whose summary follows a renamed contact: the most recent (the working set, and then some). */
const SUMMARY_SYNC_LIMIT = 50

export function toContactRecord(c: Contact, counts?: { total: number; open: number }): ContactRecord {
  return {
    id: c.id, displayName: formatContactName({ id: c.id, name: c.name ?? undefined, email: c.email ?? undefined }),
    name: c.name, email: c.email, phone: c.phone, company: c.company, avatarUrl: c.avatar_url, notes: c.notes,
    tags: JSON.parse(c.tags) as string[], attributes: JSON.parse(c.attributes) as AttributeValues, fields: JSON.parse(c.fields) as Record<string, string>,
    externalId: c.external_id, mergedInto: c.merged_into, createdAt: c.created_at, lastSeenAt: c.last_seen_at, updatedAt: c.updated_at,
    conversationCount: counts?.total ?? 0, openConversations: counts?.open ?? 0,
  }
}

export async function toContactRecords(services: Services, workspaceId: string, rows: Contact[]): Promise<ContactRecord[]> {
  const counts = await conversationCounts(services.db, workspaceId, rows.map((r) => r.id))
  return rows.map((r) => toContactRecord(r, counts.get(r.id)))
}

/** A checked patch as row changes; attribute values are checked against the workspace's definitions here. */
export async function profileChanges(services: Services, workspaceId: string, current: Pick<Contact, 'attributes'> | null, patch: ContactPatch): Promise<ContactChanges> {
  const changes: ContactChanges = {}
  if (patch.name !== undefined) changes.name = patch.name
  if (patch.email !== undefined) changes.email = patch.email
  if (patch.phone !== undefined) changes.phone = patch.phone || null
  if (patch.company !== undefined) changes.company = patch.company
  if (patch.avatarUrl !== undefined) changes.avatar_url = patch.avatarUrl || null
  if (patch.notes !== undefined) changes.notes = patch.notes
  if (patch.tags !== undefined) changes.tags = JSON.stringify([...new Set(patch.tags)])
  if (patch.attributes !== undefined) {
    const definitions = await listAttributeDefinitions(services.db, workspaceId)
    changes.attributes = JSON.stringify(checkAttributes(definitions, current ? JSON.parse(current.attributes) : {}, patch.attributes))
  }
  return changes
}

type Side = 'source' | 'target'
const COLUMN = { name: 'name', email: 'email', phone: 'phone', company: 'company', avatarUrl: 'avatar_url' } as const

/** Fields both records have, with different values: what the agent must decide. */
export function mergeConflicts(source: Contact, target: Contact): MergeConflict[] {
  const out: MergeConflict[] = []
  for (const [field, column] of Object.entries(COLUMN)) {
    const s = source[column], t = target[column]
    if (s && t && s !== t) out.push({ field, source: s, target: t })
  }
  const sa = JSON.parse(source.attributes) as AttributeValues, ta = JSON.parse(target.attributes) as AttributeValues
  for (const key of Object.keys(sa)) if (key in ta && sa[key] !== ta[key]) out.push({ field: `attributes.${key}`, source: sa[key]!, target: ta[key]! })
  return out
}

/**
 * The merge rule: a field only one record has is kept; tags are joined; notes are kept one after
 * the other; a field both have with different values keeps the side `resolution` names for it, and
 * every such field must be named (the agent confirms each), unless `fallback` says which side wins
 * (the widget's verified identify: the identified record).
 */
export function decideMerge(source: Contact, target: Contact, resolution: Record<string, Side>, fallback?: Side): MergeDecision {
  const conflicts = mergeConflicts(source, target)
  const known = new Set(conflicts.map((c) => c.field))
  for (const field of Object.keys(resolution)) {
    if (!known.has(field)) throw new ParleyError('bad-request', `resolution.${field}: not a field the two contacts disagree on`, `resolution.${field}`)
  }
  const decided: Record<string, Side> = {}
  for (const c of conflicts) {
    const side = resolution[c.field] ?? fallback
    if (!side) throw new ParleyError('conflict', `resolution.${c.field}: the contacts disagree (${JSON.stringify(c.target)} here, ${JSON.stringify(c.source)} in the other); say which to keep`, `resolution.${c.field}`)
    decided[c.field] = side
  }
  const pick = <T>(field: string, s: T | null, t: T | null): T | null => (s && t ? (decided[field] === 'source' ? s : t) : t || s || null)
  const sa = JSON.parse(source.attributes) as AttributeValues, ta = JSON.parse(target.attributes) as AttributeValues
  const attributes: AttributeValues = { ...sa, ...ta }
  for (const key of Object.keys(sa)) if (key in ta && decided[`attributes.${key}`] === 'source') attributes[key] = sa[key]!
  const notes = [target.notes.trim(), source.notes.trim()].filter(Boolean)
  return {
    resolution: decided,
    changes: {
      name: pick('name', source.name, target.name), email: pick('email', source.email, target.email), phone: pick('phone', source.phone, target.phone),
      company: pick('company', source.company, target.company), avatar_url: pick('avatarUrl', source.avatar_url, target.avatar_url),
      // The target keeps its user id; the source's stays on its tombstone, which leads here.
      external_id: target.external_id ?? source.external_id,
      tags: JSON.stringify([...new Set([...JSON.parse(target.tags) as string[], ...JSON.parse(source.tags) as string[]])]),
      notes: [...new Set(notes)].join('\n\n'), attributes: JSON.stringify(attributes),
      fields: JSON.stringify({ ...JSON.parse(source.fields), ...JSON.parse(target.fields) }),
    },
  }
}

/**
 * Writes the record's name and email into the summaries of its conversations, so the inbox rows,
 * the customer panel and an old conversation opened from the history show who it is. The most
 * recent (and the ones named, e.g. just moved by a merge) are written before the answer; the rest,
 * oldest history of a long-standing customer, follow in the background, a batch at a time, so a
 * rename never waits on hundreds of documents. A document that cannot be changed now is logged and
 * left: the next change of the record repairs it.
 */
export async function syncConversationSummaries(services: Services, contact: Contact, alsoIds: string[] = []): Promise<void> {
  const recent = await services.db.kysely.selectFrom('conversations').select(['id', 'last_activity_at']).where('workspace_id', '=', contact.workspace_id).where('contact_id', '=', contact.id)
    .orderBy('last_activity_at', 'desc').orderBy('id', 'desc').limit(SUMMARY_SYNC_LIMIT).execute()
  const ids = [...new Set([...alsoIds, ...recent.map((r) => r.id)])]
  for (const id of ids) await writeSummary(services, contact, id)
  if (recent.length === SUMMARY_SYNC_LIMIT) {
    const last = recent[recent.length - 1]!
    const rest = syncOlderSummaries(services, contact, { at: last.last_activity_at, id: last.id })
    olderSyncs.add(rest)
    void rest.finally(() => olderSyncs.delete(rest))
  }
}

/** Background syncs under way (tests and shutdown wait for them). */
const olderSyncs = new Set<Promise<void>>()
export const summarySyncsSettled = (): Promise<unknown> => Promise.allSettled([...olderSyncs])

async function syncOlderSummaries(services: Services, contact: Contact, after: { at: number; id: string }): Promise<void> {
  let cursor = after
  let written = 0
  try {
    for (;;) {
      const page = await services.db.kysely.selectFrom('conversations').select(['id', 'last_activity_at']).where('workspace_id', '=', contact.workspace_id).where('contact_id', '=', contact.id)
        .where((eb) => eb.or([eb('last_activity_at', '<', cursor.at), eb.and([eb('last_activity_at', '=', cursor.at), eb('id', '<', cursor.id)])]))
        .orderBy('last_activity_at', 'desc').orderBy('id', 'desc').limit(SUMMARY_SYNC_LIMIT).execute()
      for (const row of page) await writeSummary(services, contact, row.id)
      written += page.length
      if (page.length < SUMMARY_SYNC_LIMIT) break
      cursor = { at: page[page.length - 1]!.last_activity_at, id: page[page.length - 1]!.id }
      // Each batch lets the sync traffic through before the next.
      await new Promise((resolve) => setImmediate(resolve))
    }
    if (written > 0) services.log.info('older conversation summaries updated', { contactId: contact.id, conversations: written })
  } catch (error) {
    services.log.warn('older conversation summaries not all updated', { contactId: contact.id, err: String(error) })
  }
}

async function writeSummary(services: Services, contact: Contact, id: string): Promise<void> {
  try {
    await services.conversations.change(id, (doc) => {
      const summary = readMeta(doc).contact
      if (!summary) return
      const name = contact.name ? contact.name.slice(0, 200) : undefined
      // Already right (e.g. written before the answer, or by an earlier rename): no write.
      if (summary.id === contact.id && summary.name === name && summary.email === (contact.email ?? undefined)) return
      const { name: _n, email: _e, ...rest } = summary
      updateMeta(doc, { contact: { ...rest, id: contact.id, ...(name ? { name } : {}), ...(contact.email ? { email: contact.email } : {}) } })
    })
  } catch (error) {
    services.log.warn('contact summary not updated', { err: String(error), conversationId: id })
  }
}
