import { sql, type RawBuilder } from 'kysely'
import type { Db } from './database.ts'

/** Words of a search box, stripped of every operator so user text can never be FTS syntax. */
export const searchTerms = (query: string): string[] => (query.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).slice(0, 32)

/** An FTS5 MATCH expression: quoted terms, prefix-matched, all required or any. */
export function ftsMatch(terms: string[], mode: 'all' | 'any'): string {
  return terms.map((term) => `"${term}"*`).join(mode === 'all' ? ' ' : ' OR ')
}

/** A PostgreSQL tsquery over the same terms. */
export function pgTsQuery(terms: string[], mode: 'all' | 'any'): RawBuilder<unknown> {
  const expression = terms.map((term) => `${term.replace(/'/g, '')}:*`).join(mode === 'all' ? ' & ' : ' | ')
  return sql`to_tsquery('simple', ${expression})`
}

export const isPostgres = (db: Db): boolean => db.dialect === 'postgres'
