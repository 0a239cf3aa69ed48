/**
 * Contacts: the customer as a record (issue 13). Every write of a profile column goes through
 * `updateContact`, which keeps the derived columns (db/contact-profile.ts) and the attribute
 * index rows in step, in one transaction.
 */
import type { Kysely } from 'kysely'
import type { Db } from './database.ts'
import { attributeRows, deriveProfile, type ProfileColumns } from './contact-profile.ts'
import type { Contact, Database } from './tables.ts'

type Executor = Kysely<Database>
export type ContactInput = Pick<Contact, 'id' | 'workspace_id'> & Partial<Pick<Contact, 'name' | 'email' | 'external_id' | 'fields' | 'phone' | 'company' | 'avatar_url' | 'notes' | 'tags' | 'attributes'>>
export type ContactChanges = Partial<Pick<Contact, 'name' | 'email' | 'external_id' | 'fields' | 'phone' | 'company' | 'avatar_url' | 'notes' | 'tags' | 'attributes' | 'last_seen_at'>>

const PROFILE_KEYS = ['name', 'email', 'external_id', 'phone', 'company', 'notes', 'tags', 'attributes'] as const

export async function createContact(db: Db, input: ContactInput, now = Date.now()): Promise<Contact> {
  const base = {
    name: null, email: null, external_id: null, fields: '{}', phone: null, company: null, avatar_url: null, notes: '', tags: '[]', attributes: '{}',
    ...input,
  }
  const contact: Contact = { ...base, ...deriveProfile(base as ProfileColumns), merged_into: null, created_at: now, last_seen_at: now, updated_at: now }
  await db.kysely.transaction().execute(async (trx) => {
    await trx.insertInto('contacts').values(contact).execute()
    await writeAttributeRows(trx, contact)
  })
  return contact
}

export const getContact = (db: Db | { kysely: Executor }, workspaceId: string, id: string): Promise<Contact | undefined> =>
  db.kysely.selectFrom('contacts').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst()

/** The live contact an id leads to: itself, or the one it was merged into (and on). */
export async function resolveContact(db: Db, workspaceId: string, id: string): Promise<Contact | undefined> {
  let contact = await getContact(db, workspaceId, id)
  for (let hops = 0; contact?.merged_into && hops < 10; hops++) contact = await getContact(db, workspaceId, contact.merged_into)
  return contact?.merged_into ? undefined : contact
}

export async function findContactByExternalId(db: Db, workspaceId: string, externalId: string): Promise<Contact | undefined> {
  const row = await db.kysely.selectFrom('contacts').select('id').where('workspace_id', '=', workspaceId).where('external_id', '=', externalId).executeTakeFirst()
  return row ? resolveContact(db, workspaceId, row.id) : undefined
}

export async function updateContact(db: Db, workspaceId: string, id: string, changes: ContactChanges, now = Date.now()): Promise<Contact | undefined> {
  return db.kysely.transaction().execute((trx) => updateContactIn(trx, workspaceId, id, changes, now))
}

/** `updateContact` inside a transaction the caller holds (a merge). */
export async function updateContactIn(trx: Executor, workspaceId: string, id: string, changes: ContactChanges, now = Date.now()): Promise<Contact | undefined> {
  const current = await getContact({ kysely: trx }, workspaceId, id)
  if (!current) return undefined
  const keys = Object.keys(changes) as (keyof ContactChanges)[]
  if (keys.length === 0) return current
  const next = { ...current, ...changes }
  const profileChanged = PROFILE_KEYS.some((k) => k in changes && changes[k] !== current[k])
  const set = { ...changes, ...(profileChanged ? { ...deriveProfile(next), updated_at: now } : {}), ...('avatar_url' in changes || 'fields' in changes ? { updated_at: now } : {}) }
  await trx.updateTable('contacts').set(set).where('workspace_id', '=', workspaceId).where('id', '=', id).execute()
  if ('attributes' in changes && changes.attributes !== current.attributes) await writeAttributeRows(trx, next)
  return { ...current, ...set }
}

async function writeAttributeRows(trx: Executor, contact: Pick<Contact, 'id' | 'workspace_id' | 'attributes'>): Promise<void> {
  await trx.deleteFrom('contact_attribute_values').where('contact_id', '=', contact.id).execute()
  const rows = attributeRows(contact.workspace_id, contact.id, JSON.parse(contact.attributes))
  if (rows.length > 0) await trx.insertInto('contact_attribute_values').values(rows).execute()
}

/** Conversations per contact, and how many are not resolved: the list's two counts, for one page of ids. */
export async function conversationCounts(db: Db, workspaceId: string, contactIds: string[]): Promise<Map<string, { total: number; open: number; lastActivityAt: number | null }>> {
  const out = new Map<string, { total: number; open: number; lastActivityAt: number | null }>()
  if (contactIds.length === 0) return out
  const rows = await db.kysely.selectFrom('conversations')
    .select((eb) => ['contact_id', eb.fn.countAll<number>().as('total'), eb.fn.sum<number>(eb.case().when('status', '!=', 'resolved').then(1).else(0).end()).as('open'), eb.fn.max('last_activity_at').as('last')])
    .where('workspace_id', '=', workspaceId).where('contact_id', 'in', contactIds).groupBy('contact_id').execute()
  for (const r of rows) out.set(r.contact_id, { total: Number(r.total), open: Number(r.open ?? 0), lastActivityAt: r.last === null ? null : Number(r.last) })
  return out
}

/** The 100 most recently seen, as `GET /api/contacts` answered before search existed (kept for callers of that shape). */
export const listContacts = (db: Db, workspaceId: string, limit = 100): Promise<Contact[]> =>
  db.kysely.selectFrom('contacts').selectAll().where('workspace_id', '=', workspaceId).where('merged_into', 'is', null).orderBy('last_seen_at', 'desc').limit(limit).execute()

/**
 * GDPR erase of the profile (server/privacy/contact-erase.ts): the row stays, so conversations keep
 * their contact, but holds nothing of the person: every profile column, its derived search copies
 * (search_text feeds the contacts' full-text index), its attribute values, the merge audit's
 * snapshots of it, and the records merged into it. Columns added to contacts later must be emptied here too.
 */
export async function eraseContactProfile(db: Db, workspaceId: string, id: string): Promise<void> {
  const blank = { name: '[erased]', email: null, external_id: null, fields: '{}', phone: null, company: null, avatar_url: null, notes: '', tags: '[]', attributes: '{}' }
  const derived = deriveProfile({ id, name: blank.name, email: null, phone: null, company: null, notes: '', tags: '[]', attributes: '{}', external_id: null })
  await db.kysely.transaction().execute(async (trx) => {
    const merged = await trx.selectFrom('contacts').select('id').where('workspace_id', '=', workspaceId).where('merged_into', '=', id).execute()
    const ids = [id, ...merged.map((m) => m.id)]
    for (const contactId of ids) {
      const d = contactId === id ? derived : deriveProfile({ id: contactId, name: blank.name, email: null, phone: null, company: null, notes: '', tags: '[]', attributes: '{}', external_id: null })
      await trx.updateTable('contacts').set({ ...blank, ...d }).where('workspace_id', '=', workspaceId).where('id', '=', contactId).execute()
    }
    await trx.deleteFrom('contact_attribute_values').where('contact_id', 'in', ids).execute()
    await trx.updateTable('contact_merges').set({ source_snapshot: '{}' }).where((eb) => eb.or([eb('target_id', 'in', ids), eb('source_id', 'in', ids)])).execute()
  })
}
