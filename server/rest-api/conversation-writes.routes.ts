/**
 * REST writes for other systems and scripts (issue 16): create a conversation for a contact,
 * reply or note, assign or transfer, priority, labels, status, snooze, resolve (contacts are
 * created by POST /api/contacts in server/contacts). Callers need the agent role: a session, or
 * an API key of scope write or admin.
 */
import * as v from 'valibot'
import {
  ApiAssignBody, ApiCreateConversationBody, ApiLabelsBody, ApiMessageBody, ApiPriorityBody, ApiResolveBody, ApiSnoozeBody, ApiStatusBody,
  MessageSchema, ParleyError, parseInput, resolvePatch, snoozePatch, statusPatch,
} from '../../protocol/index.ts'
import { getContact } from '../../db/contact.repository.ts'
import { getConversation } from '../../db/conversation.repository.ts'
import { conversationFor } from '../http/conversation-access.ts'
import { publicConversation } from '../http/conversations.routes.ts'
import { agentOf } from '../http/principal.ts'
import { Reply, type RequestContext, type Router } from '../http/router.ts'
import type { Services } from '../services.ts'
import type { ConversationWriter } from './conversation-writer.ts'

const MetaSchema = v.object({ conversation: v.record(v.string(), v.unknown()) })
const MessageReply = v.object({ message: MessageSchema, duplicate: v.boolean() })

export function addConversationWriteRoutes(router: Router, services: Services, writer: ConversationWriter): void {
  const writable = async (ctx: RequestContext) => {
    const me = await agentOf(services, ctx, 'agent')
    const conversation = await conversationFor(services, me, ctx.params.id as string, 'agent')
    return { me, conversationId: conversation.id }
  }
  const meta = (conversationId: string, m: Record<string, unknown>) => ({ conversation: { id: conversationId, ...m } })

  router.add('POST', '/api/conversations', async (ctx) => {
    const me = await agentOf(services, ctx, 'agent')
    const body = parseInput(ApiCreateConversationBody, await ctx.body())
    if (!(await getContact(services.db, me.workspaceId, body.contactId))) throw new ParleyError('not-found', 'contactId: no such contact in this workspace', 'contactId')
    const existing = await getConversation(services.db, body.id)
    if (existing) {
      if (existing.workspace_id !== me.workspaceId || existing.contact_id !== body.contactId) throw new ParleyError('conflict', 'id: this conversation id is taken', 'id')
      return publicConversation(existing)
    }
    // A conversation the team opens with a message is theirs; without one it waits in the queue. The bot greets neither.
    await services.conversations.createConversation({ id: body.id, workspaceId: me.workspaceId, contactId: body.contactId, widgetId: null, noBot: true, ...(body.message ? { assignee: me.agentId } : {}), ...(body.subject ? { subject: body.subject } : {}) })
    if (body.message) await writer.postMessage(me, body.id, { id: `${body.id}-first`, text: body.message.text })
    return new Reply(201, publicConversation((await getConversation(services.db, body.id))!))
  }, { summary: 'Create a conversation for a contact, optionally with a first message from the team (idempotent by id)', tag: 'Conversation writes', auth: 'agent', body: ApiCreateConversationBody, status: 201 })

  router.add('POST', '/api/conversations/:id/messages', async (ctx) => {
    const { me, conversationId } = await writable(ctx)
    const body = parseInput(ApiMessageBody, await ctx.body())
    const author = await writer.authorOf(me, body.agentId)
    const result = await writer.postMessage(author, conversationId, body)
    return new Reply(result.duplicate ? 200 : 201, result)
  }, { summary: 'Post a reply the customer sees as the agent\'s, or a private note (kind "note"); idempotent by id', tag: 'Conversation writes', auth: 'agent', body: ApiMessageBody, response: MessageReply, status: 201 })

  router.add('POST', '/api/conversations/:id/assign', async (ctx) => {
    const { me, conversationId } = await writable(ctx)
    const body = parseInput(ApiAssignBody, await ctx.body())
    return meta(conversationId, await writer.assign(me, conversationId, body.id, body.assignee))
  }, { summary: 'Assign, transfer (another assignee) or unassign (null)', tag: 'Conversation writes', auth: 'agent', body: ApiAssignBody, response: MetaSchema })

  router.add('POST', '/api/conversations/:id/priority', async (ctx) => {
    const { me, conversationId } = await writable(ctx)
    const body = parseInput(ApiPriorityBody, await ctx.body())
    return meta(conversationId, await writer.act(me, conversationId, 'priority', body.id, body, (_m, now) => ({ priority: body.priority, updatedAt: now })))
  }, { summary: 'Set the priority', tag: 'Conversation writes', auth: 'agent', body: ApiPriorityBody, response: MetaSchema })

  router.add('PUT', '/api/conversations/:id/labels', async (ctx) => {
    const { me, conversationId } = await writable(ctx)
    const body = parseInput(ApiLabelsBody, await ctx.body())
    return meta(conversationId, await writer.act(me, conversationId, 'labels', body.id, body, (_m, now) => ({ labels: [...new Set(body.labels)], updatedAt: now })))
  }, { summary: 'Replace the labels', tag: 'Conversation writes', auth: 'agent', body: ApiLabelsBody, response: MetaSchema })

  router.add('POST', '/api/conversations/:id/status', async (ctx) => {
    const { me, conversationId } = await writable(ctx)
    const body = parseInput(ApiStatusBody, await ctx.body())
    // Open without an assignee is taken by the caller, waiting goes back to the queue: who has it
    // through routing (the server's), then the status itself (without the assignee) as before.
    if (body.status === 'waiting' || body.status === 'open') {
      const target = body.status === 'waiting' ? null : ((await services.routing.assignments.routingOf(me.workspaceId, conversationId)).assignee_id ?? me.agentId)
      await writer.route(me, conversationId, 'status', body.id, body, target)
      return meta(conversationId, await writer.act(me, conversationId, 'status-set', `${body.id}:set`, body, (m, now) => {
        const { assignee: _assignee, ...patch } = statusPatch({ ...m, assignee: target ?? m.assignee ?? null }, body.status, me.agentId, now)
        return patch
      }))
    }
    return meta(conversationId, await writer.act(me, conversationId, 'status', body.id, body, (m, now) => statusPatch(m, body.status, me.agentId, now)))
  }, { summary: 'Set the status: open (taken by the caller if unassigned), waiting (back to the queue) or resolved', tag: 'Conversation writes', auth: 'agent', body: ApiStatusBody, response: MetaSchema })

  router.add('POST', '/api/conversations/:id/snooze', async (ctx) => {
    const { me, conversationId } = await writable(ctx)
    const body = parseInput(ApiSnoozeBody, await ctx.body())
    if (body.until <= Date.now()) throw new ParleyError('bad-request', 'until: must be in the future', 'until')
    return meta(conversationId, await writer.act(me, conversationId, 'snooze', body.id, body, (_m, now) => snoozePatch(body.until, now)))
  }, { summary: 'Snooze until a time (ms since the epoch); it comes back by itself then', tag: 'Conversation writes', auth: 'agent', body: ApiSnoozeBody, response: MetaSchema })

  router.add('POST', '/api/conversations/:id/resolve', async (ctx) => {
    const { me, conversationId } = await writable(ctx)
    const body = parseInput(ApiResolveBody, await ctx.body())
    return meta(conversationId, await writer.act(me, conversationId, 'resolve', body.id, body, (_m, now) => resolvePatch(now)))
  }, { summary: 'Resolve', tag: 'Conversation writes', auth: 'agent', body: ApiResolveBody, response: MetaSchema })
}
