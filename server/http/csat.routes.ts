/**
 * CSAT: the visitor rates a resolved conversation, 1–5 with an optional comment. meta.csat is
 * server-only, so it is written here through the conversation service; the projection copies it to SQL.
 * Rating again (say, adding a comment after the one-click rating) replaces the earlier one.
 */
import { CsatBody, ParleyError, parseInput, readMeta, updateMeta } from '../../protocol/index.ts'
import { SERVER_ORIGIN } from '../conversation-service.ts'
import type { Services } from '../services.ts'
import { conversationFor } from './conversation-access.ts'
import { visitorOf } from './principal.ts'
import type { Router } from './router.ts'
import { widgetCallerOf } from './widget-caller.ts'

export function addCsatRoutes(router: Router, services: Services): void {
  router.add('POST', '/api/widget/conversations/:id/csat', async (ctx) => {
    const visitor = await visitorOf(services, ctx)
    await services.widgetLimits.take('forms', widgetCallerOf(services, ctx, visitor))
    const conversation = await conversationFor(services, visitor, ctx.params.id as string)
    const body = parseInput(CsatBody, await ctx.body())
    const csat = { rating: body.rating, ...(body.comment ? { comment: body.comment } : {}) }
    await services.conversations.change(conversation.id, (doc) => {
      if (readMeta(doc).status !== 'resolved') throw new ParleyError('conflict', 'a conversation can be rated once it is resolved', 'rating')
      updateMeta(doc, { csat }, SERVER_ORIGIN)
    })
    return { csat }
  }, { summary: 'The customer rates the conversation', tag: 'Widget', auth: 'visitor', body: CsatBody })
}
