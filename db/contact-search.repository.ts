/**
 * The contacts list: full text, filters, a sort and a keyset cursor, so page 2,000 of 100,000
 * contacts costs what page 1 does (an offset would read every row before it). Full text is FTS5
 * on SQLite and a GIN tsvector on PostgreSQL, both over `contacts.search_text`; attribute
 * filters read `contact_attribute_values` through its index.
 */
import { sql, type ExpressionBuilder, type SelectQueryBuilder, type SqlBool } from 'kysely'
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
  // SQLite: a word most contacts have ("initech", "com") is checked row by row while the sort's
  // index is walked (the page fills within a few hundred rows); a rarer one is looked up in FTS5
  // first. Reading 7,000 matches to sort them cost 40–90 ms at 100,000 contacts, the walk 2 ms.
  // PostgreSQL's planner makes that choice by itself from the tsvector's statistics.
  const broadText = terms.length > 0 && db.dialect === 'sqlite' && await countCapped(db, sql`select rowid from contacts_fts where contacts_fts match ${ftsMatch(terms, 'all')}`) >= BROAD
  if (broadText) {
    query = query.where((eb) => {
      const words = eb.and(terms.map((term) => eb(sql<string>`' ' || search_text`, 'like', `% ${term}%`)))
      return phoneSuffix ? eb.or([words, startsWith(eb, 'phone_rev', phoneSuffix)]) : words
    })
  } else if (terms.length > 0) {
    query = query.where((eb) => {
      if (db.dialect === 'postgres') {
        const text = sql<SqlBool>`search @@ ${pgTsQuery(terms, 'all')}`
        return phoneSuffix ? eb.or([text, startsWith(eb, 'phone_rev', phoneSuffix)]) : text
      }
      // On SQLite an OR of the two made it scan the table (300 ms at 100,000); a UNION of the two
      // lookups keeps both on their indexes.
      const phone = phoneSuffix ? sql` union all select rowid from contacts where workspace_id = ${workspaceId} and phone_rev >= ${phoneSuffix} and phone_rev < ${phoneSuffix + END}` : sql``
      return sql<SqlBool>`contacts.rowid in (select rowid from contacts_fts where contacts_fts match ${ftsMatch(terms, 'all')}${phone})`
    })
  }
  if (filter.name?.trim()) query = query.where((eb) => startsWith(eb, 'sort_name', filter.name!.trim().toLowerCase()))
  if (filter.email?.trim()) query = query.where((eb) => startsWith(eb, 'email', filter.email!.trim().toLowerCase()))
  if (filter.phone?.trim()) {
    const wanted = filter.phone.replace(/\D/g, '')
    if (!wanted) throw new ParleyError('bad-request', 'phone: must have digits', 'phone')
    query = query.where((eb) => startsWith(eb, 'phone_rev', [...wanted].reverse().join('')))
  }
  if (filter.company?.trim()) query = query.where(sql<SqlBool>`lower(company) like ${likePrefix(filter.company.trim().toLowerCase())} escape '\\'`)
  if (filter.tag?.trim()) query = query.where(sql<SqlBool>`tags like ${'%' + likePrefix(JSON.stringify(filter.tag.trim()))} escape '\\'`)
  for (const [key, raw] of Object.entries(filter.attributes ?? {})) query = await whereAttribute(db, query, workspaceId, key, raw, definitions)

  if (filter.cursor) {
    const [value, id] = readCursor(filter.cursor, sort, order)
    // A row-value comparison, not (a < x OR (a = x AND id < y)): both engines seek the index to
    // it, where the OR form made SQLite walk the index from the top, page 500 reading 100,000 rows.
    query = query.where(sql<SqlBool>`(${sql.ref(column)}, id) ${sql.raw(order === 'desc' ? '<' : '>')} (${value}, ${id})`)
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

/**
 * `attr.plan=pro`; numbers and dates also `>=10`, `<2026-01-01` … A value most contacts share is
 * checked row by row while the list index is walked in order (the page fills after a few hundred
 * probes); a rare one is looked up in the value index first. Which, a capped count of the value
 * index decides: at 100,000 contacts `plan=enterprise` took 70–500 ms the rare way, 2 ms the other.
 */
async function whereAttribute(db: Db, query: Query, workspaceId: string, key: string, raw: string, definitions: readonly Pick<AttributeDefinition, 'key' | 'type'>[]): Promise<Query> {
  const field = `attr.${key}`
  const definition = definitions.find((d) => d.key === key)
  if (!definition) throw new ParleyError('bad-request', `${field}: no attribute of this workspace has this key`, field)
  let column: 'value_num' | 'value_text', op: '=' | '>' | '>=' | '<' | '<=' = '=', operand: string | number
  if (definition.type === 'number' || definition.type === 'date') {
    const [, given = '=', text = ''] = /^(>=|<=|>|<|=)?(.*)$/.exec(raw.trim()) ?? []
    const n = definition.type === 'number' ? Number(text) : /^\d{4}-\d{2}-\d{2}$/.test(text) ? Date.parse(`${text}T00:00:00Z`) : NaN
    if (text === '' || !Number.isFinite(n)) throw new ParleyError('bad-request', `${field}: must be ${definition.type === 'number' ? 'a number' : 'a date like 2026-12-31'}, optionally after >, >=, < or <=`, field)
    column = 'value_num'; op = given as typeof op; operand = n
  } else {
    operand = raw.trim().toLowerCase()
    if (definition.type === 'boolean' && !['true', 'false'].includes(operand)) throw new ParleyError('bad-request', `${field}: must be true or false`, field)
    column = 'value_text'
  }
  const matching = db.kysely.selectFrom('contact_attribute_values').select('contact_id').where('workspace_id', '=', workspaceId).where('key', '=', key).where(column, op, operand)
  const capped = await db.kysely.selectFrom(matching.limit(BROAD).as('m')).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
  if (Number(capped.n) < BROAD) return query.where('id', 'in', matching)
  return query.where((eb) => eb.exists(eb.selectFrom('contact_attribute_values as v').select('v.key').whereRef('v.contact_id', '=', 'contacts.id').where('v.key', '=', key).where(`v.${column}`, op, operand)))
}

/** Matches past which a filter is checked row by row rather than looked up. */
const BROAD = 1000

/** How many rows a subquery gives, counting no further than BROAD. */
async function countCapped(db: Db, subquery: ReturnType<typeof sql>): Promise<number> {
  const row = await sql<{ n: number }>`select count(*) as n from (${subquery} limit ${BROAD}) as m`.execute(db.kysely)
  return Number(row.rows[0]?.n ?? 0)
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
