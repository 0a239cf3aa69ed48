/**
 * The audit trail (issue 14): `GET /api/audit`, owners and admins, filtered by agent, conversation,
 * kind and date (days in the workspace's time zone), newest first, keyset-paged. Read from the event
 * log, which the projection writes from the documents, so it shows what really happened.
 */
import { AuditQuery, ParleyError, addDays, parseInput, type AuditEntry, type AuditPage } from '../../protocol/index.ts'
import { AUDIT_KINDS, listAuditEvents } from '../../db/audit.repository.ts'
import { getConversation } from '../../db/conversation.repository.ts'
import { startOfLocalDay } from '../../db/time-zone.ts'
import { readAiSettings } from '../http/settings.routes.ts'
import { agentOf } from '../http/principal.ts'
import type { Router } from '../http/router.ts'
import type { Services } from '../services.ts'

export function addAuditRoutes(router: Router, services: Services): void {
  router.add('GET', '/api/audit', async (ctx): Promise<AuditPage> => {
    const me = await agentOf(services, ctx, 'admin')
    const query = parseInput(AuditQuery, ctx.query)
    if (query.kind && !AUDIT_KINDS.includes(query.kind)) throw new ParleyError('bad-request', `kind: must be one of ${AUDIT_KINDS.join(', ')}`, 'kind')
    if (query.from && query.to && query.from > query.to) throw new ParleyError('bad-request', 'from: must not be after to', 'from')
    // Another workspace's conversation id finds nothing, like an unknown one.
    if (query.conversation) {
      const conversation = await getConversation(services.db, query.conversation)
      if (!conversation || conversation.workspace_id !== me.workspaceId) return { items: [], nextCursor: null, kinds: [...AUDIT_KINDS] }
    }
    const timeZone = (await readAiSettings(services.db, me.workspaceId)).businessHours?.timezone ?? 'UTC'
    const page = await listAuditEvents(services.db, {
      workspaceId: me.workspaceId,
      ...(query.agent ? { agentId: query.agent } : {}), ...(query.conversation ? { conversationId: query.conversation } : {}), ...(query.kind ? { kind: query.kind } : {}),
      ...(query.from ? { from: startOfLocalDay(query.from, timeZone) } : {}), ...(query.to ? { to: startOfLocalDay(addDays(query.to, 1), timeZone) } : {}),
      ...(query.cursor ? { cursor: query.cursor } : {}), ...(query.limit ? { limit: query.limit } : {}),
    })
    const items: AuditEntry[] = page.items.map((e) => ({
      id: e.id, at: Number(e.at), kind: e.kind, conversationId: e.conversation_id, actorId: e.actor_id, assigneeId: e.assignee_id,
      fromAssigneeId: e.from_assignee_id, priority: e.priority, reason: e.reason, rating: e.rating, untilAt: e.until_at === null ? null : Number(e.until_at),
    }))
    return { items, nextCursor: page.nextCursor, kinds: [...AUDIT_KINDS] }
  }, { summary: 'The audit trail: who did what to which conversation, newest first', tag: 'Reports', auth: 'admin', query: AuditQuery })
}
