/**
 * A workspace's knowledge base, read from the database (the same `DATABASE_URL` as the
 * server) and indexed in memory. The index is rebuilt when it is older than `ttlMs`, so an
 * article edited in the app is used within seconds.
 */
import type { Db } from '../db/database.ts'
import { listArticles } from '../db/article.repository.ts'
import { KnowledgeIndex } from './retrieval.ts'

export class KnowledgeSource {
  private cache = new Map<string, { index: Promise<KnowledgeIndex>; at: number }>()

  constructor(private readonly db: Db, private readonly ttlMs = 5000) {}

  indexFor(workspaceId: string): Promise<KnowledgeIndex> {
    const cached = this.cache.get(workspaceId)
    if (cached && Date.now() - cached.at < this.ttlMs) return cached.index
    const index = listArticles(this.db, workspaceId).then((rows) => new KnowledgeIndex(rows.map((row) => ({ id: row.id, title: row.title, body: row.body, tags: JSON.parse(row.tags) as string[], url: row.source_url }))))
    this.cache.set(workspaceId, { index, at: Date.now() })
    index.catch(() => this.cache.delete(workspaceId))
    return index
  }
}
