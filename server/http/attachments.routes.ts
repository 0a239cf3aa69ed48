/**
 * Attachments of a conversation: uploaded as the raw request body (`POST …/attachments?name=…`,
 * Content-Type the file's type), stored behind the AttachmentStore interface, and served only
 * to principals of that conversation. What is accepted (the widget's `maxAttachmentBytes`, no
 * programs) is server/storage/upload-policy.ts, shared with attachments of emailed replies.
 */
import path from 'node:path'
import { AttachmentUploadQuery, ParleyError, createId, parseInput, type Attachment, AttachmentSchema } from '../../protocol/index.ts'
import type { AttachmentStore } from '../storage/attachment-store.ts'
import { DiskAttachmentStore } from '../storage/disk-attachment-store.ts'
import type { Services } from '../services.ts'
import { conversationFor } from './conversation-access.ts'
import { principalOf } from './principal.ts'
import type { RequestContext, Router } from './router.ts'
import { widgetCallerOf } from './widget-caller.ts'
import { maxUploadBytes, refuseUpload, storedContentType } from '../storage/upload-policy.ts'

/** Shown inline; anything else is served as a download, never as a page of this origin. */
const INLINE_TYPES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp'])

export const attachmentUrl = (conversationId: string, attachmentId: string): string => `/api/widget/conversations/${conversationId}/attachments/${attachmentId}`

export function addAttachmentRoutes(router: Router, services: Services, store: AttachmentStore = new DiskAttachmentStore(path.join(services.config.dataDir, 'attachments'))): void {
  router.add('POST', '/api/widget/conversations/:id/attachments', async (ctx) => {
    const principal = await principalOf(services, ctx)
    // Visitors' uploads are limited like their messages; agents and the bot are the team's own.
    if (principal.kind === 'visitor') {
      await services.widgetLimits.take('uploads', widgetCallerOf(services, ctx, principal)).catch((error: unknown) => {
        ctx.res.setHeader('connection', 'close') // refused: the file is not read
        throw error
      })
    }
    const conversation = await conversationFor(services, principal, ctx.params.id as string, 'agent')
    const { name } = parseInput(AttachmentUploadQuery, ctx.query)
    const contentType = storedContentType(ctx.req.headers['content-type'])
    const limit = await maxUploadBytes(services, conversation)
    const refused = refuseUpload({ name, contentType }, limit)
    if (refused?.reason === 'forbidden-type') {
      ctx.res.setHeader('connection', 'close') // refused: the file is not read
      throw new ParleyError('bad-request', `name: files of this type (${refused.type}) are not accepted: programs and scripts cannot be attached`, 'name')
    }
    const data = await readRaw(ctx, limit)
    if (data.length === 0) throw new ParleyError('bad-request', '(body): the file is empty', '(body)')
    const id = createId('att')
    await store.put(`${conversation.id}/${id}`, data, { name, contentType, size: data.length, createdAt: Date.now() })
    return { id, name, contentType, size: data.length, url: attachmentUrl(conversation.id, id) } satisfies Attachment
  }, { summary: 'Upload a file to a conversation (the raw bytes as the body)', tag: 'Widget', auth: 'agent-or-visitor', query: AttachmentUploadQuery, consumes: 'application/octet-stream', response: AttachmentSchema })

  router.add('GET', '/api/widget/conversations/:id/attachments/:attachmentId', async (ctx) => {
    const principal = await principalOf(services, ctx)
    const conversation = await conversationFor(services, principal, ctx.params.id as string)
    const attachmentId = ctx.params.attachmentId as string
    const found = /^[A-Za-z0-9_-]{1,80}$/.test(attachmentId) ? await store.get(`${conversation.id}/${attachmentId}`) : null
    if (!found) throw new ParleyError('not-found', 'no such attachment')
    const inline = INLINE_TYPES.has(found.info.contentType)
    ctx.res.writeHead(200, {
      'content-type': inline ? found.info.contentType : 'application/octet-stream',
      'content-length': found.info.size,
      'content-disposition': `${inline ? 'inline' : 'attachment'}; filename*=UTF-8''${encodeURIComponent(found.info.name)}`,
      'content-security-policy': "default-src 'none'; sandbox",
      'x-content-type-options': 'nosniff',
      'cache-control': 'private, max-age=3600',
    })
    await new Promise<void>((resolve, reject) => found.open().on('error', reject).pipe(ctx.res).on('finish', resolve))
  }, { summary: 'Download an attachment of a conversation', tag: 'Widget', auth: 'agent-or-visitor', produces: 'application/octet-stream' })
}

async function readRaw(ctx: RequestContext, limit: number): Promise<Buffer> {
  const tooBig = () => new ParleyError('payload-too-large', `the file is over the limit of ${limit} bytes`, '(body)')
  const declared = Number(ctx.req.headers['content-length'] ?? NaN)
  if (declared > limit) {
    // Answer now and drop the rest of the upload instead of reading it.
    ctx.res.setHeader('connection', 'close')
    throw tooBig()
  }
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of ctx.req) {
    size += (chunk as Buffer).length
    if (size > limit) { ctx.res.setHeader('connection', 'close'); throw tooBig() }
    chunks.push(chunk as Buffer)
  }
  return Buffer.concat(chunks)
}
