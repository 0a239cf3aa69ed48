/**
 * `POST /api/knowledge-base/import` (admins): Markdown/HTML files, a zip of them, or a Zendesk
 * Guide / Intercom articles export. The body is larger than other API bodies (a help center's
 * zip), so it has its own limit, checked before it is read when the client declares its length.
 */
import { KnowledgeImportBody, MAX_IMPORT_BYTES, ParleyError, parseInput } from '../../protocol/index.ts'
import type { Services } from '../services.ts'
import { agentOf } from '../http/principal.ts'
import { Reply, type RequestContext, type Router } from '../http/router.ts'
import { ImportRefusedError, importKnowledge } from './knowledge-import.ts'

export function addKnowledgeBaseRoutes(router: Router, services: Services): void {
  router.add('POST', '/api/knowledge-base/import', async (ctx) => {
    const me = await agentOf(services, ctx, 'admin')
    const body = parseInput(KnowledgeImportBody, await readLargeJson(ctx, MAX_IMPORT_BYTES))
    try {
      const report = await importKnowledge(services.db, me.workspaceId, body)
      services.log.info('knowledge base imported', { workspaceId: me.workspaceId, created: report.created, updated: report.updated, unchanged: report.unchanged })
      return report
    } catch (error) {
      if (!(error instanceof ImportRefusedError)) throw error
      return new Reply(400, { error: { code: error.code, message: error.message, field: error.field }, report: error.report })
    }
  }, { summary: 'Import articles: Markdown/HTML files, a zip of them, or a Zendesk Guide / Intercom export (larger body limit)', tag: 'Knowledge base', auth: 'admin', body: KnowledgeImportBody })
}

async function readLargeJson(ctx: RequestContext, limit: number): Promise<unknown> {
  const tooBig = () => {
    ctx.res.setHeader('connection', 'close') // the rest of the upload is not read
    return new ParleyError('payload-too-large', `the import is over ${Math.round(limit / 1024 / 1024)} MB; split it into several imports`, '(body)')
  }
  if (Number(ctx.req.headers['content-length'] ?? 0) > limit) throw tooBig()
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of ctx.req) {
    size += (chunk as Buffer).length
    if (size > limit) throw tooBig()
    chunks.push(chunk as Buffer)
  }
  const text = Buffer.concat(chunks).toString('utf8')
  if (text.trim() === '') throw new ParleyError('bad-request', '(body): a JSON body is required', '(body)')
  try { return JSON.parse(text) } catch (error) { throw new ParleyError('bad-request', `(body): not valid JSON (${(error as Error).message})`, '(body)') }
}
