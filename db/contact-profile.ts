/**
 * What a contact row derives from its profile: the words full-text search reads, the name the
 * list sorts by, the reversed phone digits, and one index row per attribute value. Pure; the
 * repository writes them with the profile, in the same statement or transaction.
 */
import { formatAttributeValue, formatContactName, visitorNumber, type AttributeValues } from '../protocol/index.ts'
import type { Contact, ContactAttributeValueTable } from './tables.ts'

export type ProfileColumns = Pick<Contact, 'id' | 'name' | 'email' | 'phone' | 'company' | 'notes' | 'tags' | 'attributes' | 'external_id'>

/**
 * Lower-cased letter-and-digit runs, space-separated: the words the search box is split into too
 * (db/full-text.ts), so SQLite's tokenizer and PostgreSQL's parser (which keeps an email or a URL
 * whole) see the same words, and "example" finds ada@example.com on both.
 */
export const searchWords = (text: string): string => (text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).join(' ')

export const phoneDigits = (phone: string | null | undefined): string => (phone ?? '').replace(/\D/g, '')

export function deriveProfile(row: ProfileColumns): Pick<Contact, 'search_text' | 'sort_name' | 'phone_rev'> {
  const attributes = JSON.parse(row.attributes) as AttributeValues
  const tags = JSON.parse(row.tags) as string[]
  const digits = phoneDigits(row.phone)
  const words = [
    row.name, row.email, row.phone, digits, row.company, row.external_id, ...tags, row.notes,
    ...Object.values(attributes).map(formatAttributeValue),
    // "Visitor #1042" is how an anonymous contact is shown everywhere, so it is how one is found.
    row.name || row.email ? null : `visitor ${visitorNumber(row.id)}`,
  ]
  return {
    search_text: searchWords(words.filter((w): w is string => !!w).join(' ')).slice(0, 20_000),
    sort_name: formatContactName({ id: row.id, name: row.name ?? undefined, email: row.email ?? undefined }).toLowerCase().slice(0, 200),
    phone_rev: [...digits].reverse().join(''),
  }
}

export function attributeRows(workspaceId: string, contactId: string, attributes: AttributeValues): ContactAttributeValueTable[] {
  return Object.entries(attributes).map(([key, value]) => ({
    workspace_id: workspaceId, contact_id: contactId, key,
    value_text: typeof value === 'boolean' ? String(value) : String(value).toLowerCase().slice(0, 200),
    value_num: typeof value === 'number' ? value : typeof value === 'boolean' ? Number(value) : /^\d{4}-\d{2}-\d{2}$/.test(value) ? Date.parse(`${value}T00:00:00Z`) : null,
  }))
}
