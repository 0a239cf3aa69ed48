import { sql } from 'kysely'
import type { Db } from './database.ts'
import { ftsMatch, pgTsQuery, searchTerms } from './full-text.ts'
import type { Article } from './tables.ts'

export type NewArticle = Omit<Article, 'created_at' | 'updated_at' | 'source_key' | 'source_url'> & Partial<Pick<Article, 'source_key' | 'source_url'>>

export async function createArticle(db: Db, row: NewArticle): Promise<Article> {
  const now = Date.now()
  const article: Article = { source_key: null, source_url: null, ...row, created_at: now, updated_at: now }
  await db.kysely.insertInto('articles').values(article).execute()
  return article
}

export const getArticle = (db: Db, workspaceId: string, id: string): Promise<Article | undefined> =>
  db.kysely.selectFrom('articles').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst()

export const listArticles = (db: Db, workspaceId: string): Promise<Article[]> =>
  db.kysely.selectFrom('articles').selectAll().where('workspace_id', '=', workspaceId).orderBy('title').execute()

export async function updateArticle(db: Db, workspaceId: string, id: string, patch: Partial<Pick<Article, 'title' | 'body' | 'tags'>>): Promise<Article | undefined> {
  await db.kysely.updateTable('articles').set({ ...patch, updated_at: Date.now() }).where('workspace_id', '=', workspaceId).where('id', '=', id).execute()
  return getArticle(db, workspaceId, id)
}

export const countArticles = async (db: Db, workspaceId: string): Promise<number> =>
  Number((await db.kysely.selectFrom('articles').select((eb) => eb.fn.countAll<number>().as('n')).where('workspace_id', '=', workspaceId).executeTakeFirstOrThrow()).n)

/** An article as an import brings it: keyed by where it came from. */
export interface ImportedArticle { sourceKey: string; sourceUrl: string | null; title: string; body: string; tags: string[] }
export type ImportAction = 'created' | 'updated' | 'unchanged'

/**
 * Writes an import in one transaction: each article is created, or updates the one an earlier
 * import made from the same source (the unique (workspace, source_key) index decides, so two
 * instances importing at once still make one article per source). All or nothing.
 */
export async function upsertImportedArticles(db: Db, workspaceId: string, articles: ImportedArticle[], newId: () => string): Promise<{ id: string; action: ImportAction }[]> {
  return db.kysely.transaction().execute(async (trx) => {
    const keys = articles.map((a) => a.sourceKey)
    const existing = new Map<string, Article>()
    // In slices: a statement has a bound-parameter limit (SQLite's is 32,766; PostgreSQL's 65,535).
    for (let i = 0; i < keys.length; i += 500) {
      const rows = await trx.selectFrom('articles').selectAll().where('workspace_id', '=', workspaceId).where('source_key', 'in', keys.slice(i, i + 500)).execute()
      for (const row of rows) existing.set(row.source_key as string, row)
    }
    const now = Date.now()
    const results: { id: string; action: ImportAction }[] = new Array(articles.length)
    // Written in source-key order: two imports at once then take the index's row locks in the
    // same order and wait for each other instead of deadlocking (PostgreSQL).
    const order = articles.map((_, i) => i).sort((a, b) => (articles[a]!.sourceKey < articles[b]!.sourceKey ? -1 : 1))
    const writes: { i: number; id: string; isNew: boolean }[] = []
    for (const i of order) {
      const article = articles[i]!
      const before = existing.get(article.sourceKey)
      if (before && before.title === article.title && before.body === article.body && before.tags === JSON.stringify(article.tags) && before.source_url === article.sourceUrl) {
        results[i] = { id: before.id, action: 'unchanged' }
      } else writes.push({ i, id: before?.id ?? newId(), isNew: !before })
    }
    // Many rows a statement (9 parameters a row, far under either dialect's limit); between
    // statements other requests get a turn, since SQLite's driver would otherwise keep the
    // event loop for the whole write.
    for (let at = 0; at < writes.length; at += 100) {
      const batch = writes.slice(at, at + 100)
      const rows = await trx.insertInto('articles')
        .values(batch.map(({ i, id }) => {
          const a = articles[i]!
          return { id, workspace_id: workspaceId, title: a.title, body: a.body, tags: JSON.stringify(a.tags), source_key: a.sourceKey, source_url: a.sourceUrl, created_at: now, updated_at: now }
        }))
        .onConflict((oc) => oc.columns(['workspace_id', 'source_key']).doUpdateSet((eb) => ({
          title: eb.ref('excluded.title'), body: eb.ref('excluded.body'), tags: eb.ref('excluded.tags'), source_url: eb.ref('excluded.source_url'), updated_at: now,
        })))
        .returning(['id', 'source_key']).execute()
      const written = new Map(rows.map((row) => [row.source_key as string, row.id]))
      for (const { i, id, isNew } of batch) {
        const stored = written.get(articles[i]!.sourceKey) ?? id
        // Another import may have made it between our read and our write: then this one updated it.
        results[i] = { id: stored, action: isNew && stored === id ? 'created' : 'updated' }
      }
      await new Promise<void>((resolve) => setImmediate(resolve))
    }
    return results
  })
}

export async function deleteArticle(db: Db, workspaceId: string, id: string): Promise<boolean> {
  const result = await db.kysely.deleteFrom('articles').where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst()
  return Number(result.numDeletedRows) > 0
}

export interface ArticleHit { article: Article; score: number }

/** Articles matching any word of the query, best first; score is higher for better matches. */
export async function searchArticles(db: Db, workspaceId: string, query: string, limit = 5): Promise<ArticleHit[]> {
  const terms = searchTerms(query)
  if (terms.length === 0) return []
  if (db.dialect === 'postgres') {
    const q = pgTsQuery(terms, 'any')
    const rows = await db.kysely.selectFrom('articles').selectAll()
      .select(sql<number>`ts_rank(search, ${q})`.as('score'))
      .where('workspace_id', '=', workspaceId).where(sql<boolean>`search @@ ${q}`)
      .orderBy('score', 'desc').limit(limit).execute()
    return rows.map(({ score, ...article }) => ({ article: article as Article, score: Number(score) }))
  }
  const { rows } = await sql<Article & { rank: number }>`
    select articles.*, bm25(articles_fts, 4.0, 1.0) as rank from articles_fts
    join articles on articles.rowid = articles_fts.rowid
    where articles_fts match ${ftsMatch(terms, 'any')} and articles.workspace_id = ${workspaceId}
    order by rank limit ${limit}`.execute(db.kysely)
  // bm25() is lower-is-better and negative; flip it so every dialect reads higher-is-better.
  return rows.map(({ rank, ...article }) => ({ article: article as Article, score: -Number(rank) }))
}
