/** Knowledge-base articles (the bot's retrieval source) and canned responses. */
import { ArticleBody, ArticleListQuery, CannedBody, ParleyError, createId, parseInput } from '../../protocol/index.ts'
import { createArticle, deleteArticle, getArticle, listArticles, searchArticles, updateArticle } from '../../db/article.repository.ts'
import { createCannedResponse, deleteCannedResponse, listCannedResponses } from '../../db/canned-response.repository.ts'
import type { Article } from '../../db/tables.ts'
import type { Services } from '../services.ts'
import { EXAMPLE_SOURCE_KEY } from '../knowledge-base/example-article.ts'
import { agentOf } from './principal.ts'
import { Reply, type Router } from './router.ts'
import * as v from 'valibot'

export const publicArticle = (a: Article) => ({
  id: a.id, title: a.title, body: a.body, tags: JSON.parse(a.tags) as string[], source: a.source_key, url: a.source_url, example: a.source_key === EXAMPLE_SOURCE_KEY, createdAt: a.created_at, updatedAt: a.updated_at,
})

export function addKnowledgeRoutes(router: Router, services: Services): void {
  router.add('GET', '/api/articles', async (ctx) => {
    const me = await agentOf(services, ctx)
    const { q } = parseInput(ArticleListQuery, ctx.query)
    if (q) return { items: (await searchArticles(services.db, me.workspaceId, q, 10)).map((h) => ({ ...publicArticle(h.article), score: h.score })) }
    return { items: (await listArticles(services.db, me.workspaceId)).map(publicArticle) }
  }, { summary: 'List knowledge-base articles, or search them with q', tag: 'Knowledge base', auth: 'viewer', query: ArticleListQuery })
  router.add('POST', '/api/articles', async (ctx) => {
    const me = await agentOf(services, ctx, 'admin')
    const body = parseInput(ArticleBody, await ctx.body())
    return new Reply(201, publicArticle(await createArticle(services.db, { id: createId('k'), workspace_id: me.workspaceId, title: body.title, body: body.body, tags: JSON.stringify(body.tags ?? []) })))
  }, { summary: 'Add an article', tag: 'Knowledge base', auth: 'admin', body: ArticleBody, status: 201 })
  router.add('GET', '/api/articles/:id', async (ctx) => {
    const me = await agentOf(services, ctx)
    const article = await getArticle(services.db, me.workspaceId, ctx.params.id as string)
    if (!article) throw new ParleyError('not-found', 'no such article')
    return publicArticle(article)
  }, { summary: 'One article', tag: 'Knowledge base', auth: 'viewer' })
  router.add('PATCH', '/api/articles/:id', async (ctx) => {
    const me = await agentOf(services, ctx, 'admin')
    const body = parseInput(v.partial(ArticleBody), await ctx.body())
    if (!(await getArticle(services.db, me.workspaceId, ctx.params.id as string))) throw new ParleyError('not-found', 'no such article')
    const article = await updateArticle(services.db, me.workspaceId, ctx.params.id as string, { ...(body.title ? { title: body.title } : {}), ...(body.body ? { body: body.body } : {}), ...(body.tags ? { tags: JSON.stringify(body.tags) } : {}) })
    return publicArticle(article!)
  }, { summary: 'Change an article', tag: 'Knowledge base', auth: 'admin', body: v.partial(ArticleBody) })
  router.add('DELETE', '/api/articles/:id', async (ctx) => {
    const me = await agentOf(services, ctx, 'admin')
    if (!(await deleteArticle(services.db, me.workspaceId, ctx.params.id as string))) throw new ParleyError('not-found', 'no such article')
    return { ok: true }
  }, { summary: 'Delete an article', tag: 'Knowledge base', auth: 'admin' })

  router.add('GET', '/api/canned-responses', async (ctx) => {
    const me = await agentOf(services, ctx)
    return { items: (await listCannedResponses(services.db, me.workspaceId)).map((c) => ({ id: c.id, shortcut: c.shortcut, title: c.title, body: c.body })) }
  }, { summary: 'List canned responses', tag: 'Knowledge base', auth: 'viewer' })
  router.add('POST', '/api/canned-responses', async (ctx) => {
    const me = await agentOf(services, ctx, 'admin')
    const body = parseInput(CannedBody, await ctx.body())
    if ((await listCannedResponses(services.db, me.workspaceId)).some((c) => c.shortcut === body.shortcut)) throw new ParleyError('conflict', 'this shortcut is taken', 'shortcut')
    const canned = await createCannedResponse(services.db, { id: createId('r'), workspace_id: me.workspaceId, ...body })
    return new Reply(201, { id: canned.id, shortcut: canned.shortcut, title: canned.title, body: canned.body })
  }, { summary: 'Add a canned response', tag: 'Knowledge base', auth: 'admin', body: CannedBody, status: 201 })
  router.add('DELETE', '/api/canned-responses/:id', async (ctx) => {
    const me = await agentOf(services, ctx, 'admin')
    if (!(await deleteCannedResponse(services.db, me.workspaceId, ctx.params.id as string))) throw new ParleyError('not-found', 'no such canned response')
    return { ok: true }
  }, { summary: 'Delete a canned response', tag: 'Knowledge base', auth: 'admin' })
}
