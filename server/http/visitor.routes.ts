/** The widget's API: visitor sessions (server/contacts/identify.ts), their own conversations, and the customer send path. */
import { CreateConversationBody, ParleyError, VisitorSessionBody, formatContactName, parseInput, CustomerMessageBody } from '../../protocol/index.ts'
import type { Contact } from '../../db/tables.ts'
import { getContact } from '../../db/contact.repository.ts'
import { listConversations } from '../../db/conversation.repository.ts'
import { getWidgetBySiteKey } from '../../db/widget.repository.ts'
import { openVisitorSession } from '../contacts/identify.ts'
import type { Services } from '../services.ts'
import { visitorOf } from './principal.ts'
import { publicWidget } from './widgets.routes.ts'
import { Reply, type Router } from './router.ts'
import { widgetCallerOf } from './widget-caller.ts'

export function addVisitorRoutes(router: Router, services: Services): void {
  router.add('POST', '/api/widget/session', async (ctx) => {
    const body = parseInput(VisitorSessionBody, await ctx.body())
    // The address first, so a flood of made-up site keys is stopped before it reaches the database.
    const caller = widgetCallerOf(services, ctx)
    await services.widgetLimits.take('sessions', caller)
    const widget = await getWidgetBySiteKey(services.db, body.siteKey)
    if (!widget) throw new ParleyError('not-found', 'no widget has this site key', 'siteKey')
    const workspaceId = widget.workspace_id
    await services.widgetLimits.take('sessions', { site: workspaceId })
    const { token, contact, verified, mergedFrom } = await openVisitorSession(services, widget, body)
    const { id: _id, ...config } = publicWidget(widget)
    return { token, contact: { id: contact.id, name: contact.name, email: contact.email, verified, ...(mergedFrom ? { mergedFrom } : {}) }, widget: config }
    }, { summary: 'Start or resume a visitor session for a widget', tag: 'Widget', auth: 'public', body: VisitorSessionBody })

  router.add('GET', '/api/widget/conversations', async (ctx) => {
    const visitor = await visitorOf(services, ctx)
    const page = await listConversations(services.db, { workspaceId: visitor.workspaceId, contactId: visitor.contactId, limit: 50 })
    return { items: page.items.map((c) => ({ id: c.id, status: c.status, preview: c.preview, lastActivityAt: c.last_activity_at, createdAt: c.created_at, csat: c.csat_rating })) }
  }, { summary: 'The visitor\'s conversations', tag: 'Widget', auth: 'visitor' })

  router.add('POST', '/api/widget/conversations', async (ctx) => {
    const visitor = await visitorOf(services, ctx)
    await services.widgetLimits.take('conversations', widgetCallerOf(services, ctx, visitor))
    const body = parseInput(CreateConversationBody, await ctx.body())
    if (body.message) await services.widgetLimits.take('messages', widgetCallerOf(services, ctx, visitor))
    const contact = await getContact(services.db, visitor.workspaceId, visitor.contactId)
    if (!contact) throw new ParleyError('not-found', 'no such contact')
    const widget = body.siteKey ? await getWidgetBySiteKey(services.db, body.siteKey) : undefined
    if (body.siteKey && widget?.workspace_id !== visitor.workspaceId) throw new ParleyError('bad-request', 'siteKey: no widget of this workspace has this site key', 'siteKey')
    // The widget's language (its setting, else the browser's), else the request's first language:
    // the bot greets in it and falls back to it while a message is too short to tell.
    const language = body.language ?? /^([a-z]{2})(?![a-z])/i.exec(String(ctx.req.headers['accept-language'] ?? ''))?.[1]?.toLowerCase()
    const id = await services.conversations.createConversation({ workspaceId: visitor.workspaceId, contactId: visitor.contactId, widgetId: widget?.id ?? null, ...(body.page ? { page: body.page } : {}), ...(language ? { language } : {}) })
    const sent = body.message ? await services.conversations.sendCustomerMessage({ ...visitor, name: authorName(contact) }, id, body.message) : null
    return new Reply(201, { id, document: `conversation:${id}`, message: sent?.message ?? null })
  }, { summary: 'The visitor opens a conversation', tag: 'Widget', auth: 'visitor', body: CreateConversationBody, status: 201 })

  router.add('POST', '/api/widget/conversations/:id/messages', async (ctx) => {
    const visitor = await visitorOf(services, ctx)
    await services.widgetLimits.take('messages', widgetCallerOf(services, ctx, visitor))
    const body = await ctx.body()
    const contact = await getContact(services.db, visitor.workspaceId, visitor.contactId)
    const result = await services.conversations.sendCustomerMessage({ ...visitor, name: contact ? authorName(contact) : formatContactName({ id: visitor.contactId }) }, ctx.params.id as string, body)
    return new Reply(result.duplicate ? 200 : 201, result)
  }, { summary: 'The customer sends a message (idempotent by id)', tag: 'Widget', auth: 'visitor', body: CustomerMessageBody })
}

/** The name a customer's messages carry: the one the team's lists show (a stable "Visitor #1234" when unknown). */
const authorName = (c: Contact): string => formatContactName({ id: c.id, name: c.name ?? undefined, email: c.email ?? undefined }).slice(0, 200)
