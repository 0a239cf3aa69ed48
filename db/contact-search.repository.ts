/**
 * The contacts list: full text, filters, a sort and a keyset cursor, so page 2,000 of 100,000
 * contacts costs what page 1 does (an offset would read every row before it). Full text is FTS5
 * on SQLite and a GIN tsvector on PostgreSQL, both over `contacts.search_text`; attribute
 * filters read `contact_attribute_values` through its index.
 */
import { sql, type ExpressionBuilder, type SelectQueryBuilder } from 'kysely'
import { ParleyError, type AttributeDefinition, type ContactListFilter, type ContactSort } from '../protocol/index.ts'
import type { Db } from './database.ts'
import { ftsMatch, pgTsQuery, searchTerms } from './full-text.ts'
import type { Contact, Database } from './tables.ts'

type Query = SelectQueryBuilder<Database, 'contacts', Contact>
const SORT_COLUMN = { lastSeen: 'last_seen_at', created: 'created_at', name: 'sort_name' } as const
const DEFAULT_ORDER: Record<ContactSort, 'asc' | 'desc'> = { lastSeen: 'desc', created: 'desc', name: 'asc' }
/** The highest code point a text column is compared with: `x <= col < x + END` is "starts with x". */
const END = '\u{10FFFF}'

export interface ContactPage { items: Contact[]; nextCursor: string | null }

export async function searchContacts(db: Db, workspaceId: string, filter: ContactListFilter, definitions: readonly Pick<AttributeDefinition, 'key' | 'type'>[] = []): Promise<ContactPage> {
  const sort = filter.sort ?? 'lastSeen'
  const order = filter.order ?? DEFAULT_ORDER[sort]
  const column = SORT_COLUMN[sort]
  const limit = filter.limit ?? 50
  let query: Query = db.kysely.selectFrom('contacts').selectAll().where('workspace_id', '=', workspaceId).where('merged_into', 'is', null)

  const q = filter.q?.trim() ?? ''
  const terms = searchTerms(q)
  const digits = q.replace(/[\s()+./-]/g, '')
  const phoneSuffix = /^\d{3,}$/.test(digits) ? [...digits].reverse().join('') : null
  if (terms.length > 0) {
    query = query.where((eb) => {
      const text = db.dialect === 'postgres'
        ? sql<boolean>`search @@ ${pgTsQuery(terms, 'all')}`
        : sql<boolean>`contacts.rowid in (select rowid from contacts_fts where contacts_fts match ${ftsMatch(terms, 'all')})`
      return phoneSuffix ? eb.or([eb(text, '=', sql<boolean>`true`), startsWith(eb, 'phone_rev', phoneSuffix)]) : eb(text, '=', sql<boolean>`true`)
    })
  }
  if (filter.name?.trim()) query = query.where((eb) => startsWith(eb, 'sort_name', filter.name!.trim().toLowerCase()))
  if (filter.email?.trim()) query = query.where((eb) => startsWith(eb, 'email', filter.email!.trim().toLowerCase()))
  if (filter.phone?.trim()) {
    const wanted = filter.phone.replace(/\D/g, '')
    if (!wanted) throw new ParleyError('bad-request', 'phone: must have digits', 'phone')
    query = query.where((eb) => startsWith(eb, 'phone_rev', [...wanted].reverse().join('')))
  }
  if (filter.company?.trim()) query = query.where(sql<boolean>`lower(company) like ${likePrefix(filter.company.trim().toLowerCase())} escape '\\'`, '=', sql<boolean>`true`)
  if (filter.tag?.trim()) query = query.where('tags', 'like', `%${JSON.stringify(filter.tag.trim()).replace(/[%_\\]/g, (c) => '\\' + c)}%`)
  for (const [key, raw] of Object.entries(filter.attributes ?? {})) query = whereAttribute(query, workspaceId, key, raw, definitions)

  if (filter.cursor) {
    const [value, id] = readCursor(filter.cursor, sort, order)
    query = query.where((eb) => eb.or([
      eb(column, order === 'desc' ? '<' : '>', value as never),
      eb.and([eb(column, '=', value as never), eb('id', order === 'desc' ? '<' : '>', id)]),
    ]))
  }
  const rows = await query.orderBy(column, order).orderBy('id', order).limit(limit + 1).execute()
  const items = rows.slice(0, limit)
  const last = items[items.length - 1]
  return { items, nextCursor: rows.length > limit && last ? writeCursor(sort, order, last[column], last.id) : null }
}

function startsWith(eb: ExpressionBuilder<Database, 'contacts'>, column: 'sort_name' | 'email' | 'phone_rev', prefix: string) {
  return eb.and([eb(column, '>=', prefix), eb(column, '<', prefix + END)])
}

const likePrefix = (text: string) => text.replace(/[%_\\]/g, (c) => '\\' + c) + '%'

/** `attr.plan=pro`; numbers and dates also `>=10`, `<2026-01-01` … */
function whereAttribute(query: Query, workspaceId: string, key: string, raw: string, definitions: readonly Pick<AttributeDefinition, 'key' | 'type'>[]): Query {
  const field = `attr.${key}`
  const definition = definitions.find((d) => d.key === key)
  if (!definition) throw new ParleyError('bad-request', `${field}: no attribute of this workspace has this key`, field)
  const values = (eb: ExpressionBuilder<Database, 'contacts'>) => eb.selectFrom('contact_attribute_values').select('contact_id').where('workspace_id', '=', workspaceId).where('key', '=', key)
  if (definition.type === 'number' || definition.type === 'date') {
    const [, op = '=', operand = ''] = /^(>=|<=|>|<|=)?(.*)$/.exec(raw.trim()) ?? []
    const n = definition.type === 'number' ? Number(operand) : /^\d{4}-\d{2}-\d{2}$/.test(operand) ? Date.parse(`${operand}T00:00:00Z`) : NaN
    if (operand === '' || !Number.isFinite(n)) throw new ParleyError('bad-request', `${field}: must be ${definition.type === 'number' ? 'a number' : 'a date like 2026-12-31'}, optionally after >, >=, < or <=`, field)
    return query.where('id', 'in', (eb) => values(eb).where('value_num', op as '=', n))
  }
  const wanted = raw.trim().toLowerCase()
  if (definition.type === 'boolean' && !['true', 'false'].includes(wanted)) throw new ParleyError('bad-request', `${field}: must be true or false`, field)
  return query.where('id', 'in', (eb) => values(eb).where('value_text', '=', wanted))
}

function writeCursor(sort: ContactSort, order: string, value: unknown, id: string): string {
  return Buffer.from(JSON.stringify([sort, order, value, id])).toString('base64url')
}

function readCursor(cursor: string, sort: ContactSort, order: string): [string | number, string] {
  try {
    const [s, o, value, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[]
    if (s === sort && o === order && (typeof value === 'string' || typeof value === 'number') && typeof id === 'string') return [value, id]
  } catch {}
  throw new ParleyError('bad-request', 'cursor: not a cursor of this sort and order (start again without one)', 'cursor')
}
