import type { Db } from './database.ts'
import type { Contact } from './tables.ts'

export async function createContact(db: Db, row: Omit<Contact, 'created_at' | 'last_seen_at'>): Promise<Contact> {
  const now = Date.now()
  const contact = { ...row, created_at: now, last_seen_at: now }
  await db.kysely.insertInto('contacts').values(contact).execute()
  return contact
}

export const getContact = (db: Db, workspaceId: string, id: string): Promise<Contact | undefined> =>
  db.kysely.selectFrom('contacts').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst()

export const findContactByExternalId = (db: Db, workspaceId: string, externalId: string): Promise<Contact | undefined> =>
  db.kysely.selectFrom('contacts').selectAll().where('workspace_id', '=', workspaceId).where('external_id', '=', externalId).executeTakeFirst()

export async function updateContact(db: Db, workspaceId: string, id: string, patch: Partial<Pick<Contact, 'name' | 'email' | 'fields' | 'last_seen_at'>>): Promise<Contact | undefined> {
  if (Object.keys(patch).length > 0) await db.kysely.updateTable('contacts').set(patch).where('workspace_id', '=', workspaceId).where('id', '=', id).execute()
  return getContact(db, workspaceId, id)
}

export const listContacts = (db: Db, workspaceId: string, limit = 100): Promise<Contact[]> =>
  db.kysely.selectFrom('contacts').selectAll().where('workspace_id', '=', workspaceId).orderBy('last_seen_at', 'desc').limit(limit).execute()

/**
 * GDPR erase of the profile (server/privacy/erase.ts): the row stays, so conversations keep their
 * contact, but holds nothing of the person. Columns added to contacts later must be emptied here too.
 */
export async function eraseContactProfile(db: Db, workspaceId: string, id: string): Promise<void> {
  await db.kysely.updateTable('contacts').set({ name: '[erased]', email: null, external_id: null, fields: '{}' })
    .where('workspace_id', '=', workspaceId).where('id', '=', id).execute()
}
