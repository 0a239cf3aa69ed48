/** The custom attributes a workspace defines for its contacts (issue 13). */
import { ParleyError, type AttributeDefinition, type AttributeType } from '../protocol/index.ts'
import type { Db } from './database.ts'
import { deriveProfile } from './contact-profile.ts'
import type { ContactAttribute } from './tables.ts'

export const toDefinition = (row: ContactAttribute): AttributeDefinition => ({
  key: row.key, label: row.label, type: row.type as AttributeType, options: JSON.parse(row.options) as string[], createdAt: row.created_at, updatedAt: row.updated_at,
})

export async function listAttributeDefinitions(db: Db, workspaceId: string): Promise<AttributeDefinition[]> {
  const rows = await db.kysely.selectFrom('contact_attributes').selectAll().where('workspace_id', '=', workspaceId).orderBy('created_at').orderBy('key').execute()
  return rows.map(toDefinition)
}

export async function createAttributeDefinition(db: Db, workspaceId: string, input: { key: string; label: string; type: AttributeType; options: string[] }, now = Date.now()): Promise<AttributeDefinition> {
  const row: ContactAttribute = { id: `${workspaceId}:${input.key}`, workspace_id: workspaceId, key: input.key, label: input.label, type: input.type, options: JSON.stringify(input.options), created_at: now, updated_at: now }
  // The unique (workspace, key) index decides between two agents creating the same key at once.
  const inserted = await db.kysely.insertInto('contact_attributes').values(row).onConflict((oc) => oc.doNothing()).executeTakeFirst()
  if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0) throw new ParleyError('conflict', `key: an attribute "${input.key}" exists already`, 'key')
  return toDefinition(row)
}

export async function updateAttributeDefinition(db: Db, workspaceId: string, key: string, patch: { label?: string; options?: string[] }, now = Date.now()): Promise<AttributeDefinition | undefined> {
  const set = { ...(patch.label !== undefined ? { label: patch.label } : {}), ...(patch.options !== undefined ? { options: JSON.stringify(patch.options) } : {}), updated_at: now }
  await db.kysely.updateTable('contact_attributes').set(set).where('workspace_id', '=', workspaceId).where('key', '=', key).execute()
  const row = await db.kysely.selectFrom('contact_attributes').selectAll().where('workspace_id', '=', workspaceId).where('key', '=', key).executeTakeFirst()
  return row ? toDefinition(row) : undefined
}

/** Removes the definition and its value from every contact that had one; returns how many. */
export async function deleteAttributeDefinition(db: Db, workspaceId: string, key: string, now = Date.now()): Promise<number | undefined> {
  return db.kysely.transaction().execute(async (trx) => {
    const gone = await trx.deleteFrom('contact_attributes').where('workspace_id', '=', workspaceId).where('key', '=', key).executeTakeFirst()
    if (Number(gone.numDeletedRows) === 0) return undefined
    const holders = await trx.selectFrom('contacts').selectAll().where('workspace_id', '=', workspaceId)
      .where('id', 'in', (eb) => eb.selectFrom('contact_attribute_values').select('contact_id').where('workspace_id', '=', workspaceId).where('key', '=', key)).execute()
    for (const contact of holders) {
      const attributes = JSON.parse(contact.attributes) as Record<string, unknown>
      delete attributes[key]
      const next = { ...contact, attributes: JSON.stringify(attributes) }
      await trx.updateTable('contacts').set({ attributes: next.attributes, ...deriveProfile(next), updated_at: now }).where('id', '=', contact.id).execute()
    }
    await trx.deleteFrom('contact_attribute_values').where('workspace_id', '=', workspaceId).where('key', '=', key).execute()
    return holders.length
  })
}
