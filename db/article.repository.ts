import { sql } from 'kysely'
import type { Db } from './database.ts'
import { ftsMatch, pgTsQuery, searchTerms } from './full-text.ts'
import type { Article } from './tables.ts'

export async function createArticle(db: Db, row: Omit<Article, 'created_at' | 'updated_at'>): Promise<Article> {
  const now = Date.now()
  const article = { ...row, created_at: now, updated_at: now }
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
