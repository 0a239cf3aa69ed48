/**
 * Whether anyone can answer a visitor, and where a visitor's conversation stands: the widget
 * asks before it opens a conversation and falls back to `…/status` when its socket is down
 * (the socket pushes the same status live: extensions/visitor-status.ts).
 */
import { ParleyError, type ConversationStatusReply, type WidgetAvailability } from '../../protocol/index.ts'
import { isWithinBusinessHours, nextOpening } from '../../protocol/business-hours.ts'
import { getWidgetBySiteKey } from '../../db/widget.repository.ts'
import type { VisitorStatusExtension } from '../extensions/visitor-status.ts'
import type { Services } from '../services.ts'
import { conversationFor } from './conversation-access.ts'
import { principalOf } from './principal.ts'
import type { Router } from './router.ts'
import { readAiSettings } from './settings.routes.ts'

/** Kept here for callers of the route module; the rule itself lives in protocol/business-hours.ts. */
export { isWithinBusinessHours }

export function addAvailabilityRoutes(router: Router, services: Services, visitorStatus: VisitorStatusExtension): void {
  router.add('GET', '/api/public/widgets/:siteKey/availability', async (ctx) => {
    const widget = await getWidgetBySiteKey(services.db, ctx.params.siteKey as string)
    if (!widget) throw new ParleyError('not-found', 'no widget has this site key')
    const settings = await readAiSettings(services.db, widget.workspace_id)
    const now = Date.now()
    return {
      agentsOnline: services.presence.anyOnline(widget.workspace_id),
      botEnabled: settings.enabled,
      withinBusinessHours: isWithinBusinessHours(settings.businessHours, now),
      nextOpenAt: nextOpening(settings.businessHours, now),
      ...(await services.presence.typicalWaitMinutes(widget.workspace_id).then((minutes) => (minutes === null ? {} : { typicalWaitMinutes: minutes }))),
    } satisfies WidgetAvailability
  }, { summary: 'Whether anyone is there: agents online, the bot, business hours', tag: 'Widget', auth: 'public' })

  router.add('GET', '/api/widget/conversations/:id/status', async (ctx) => {
    const principal = await principalOf(services, ctx)
    const conversation = await conversationFor(services, principal, ctx.params.id as string)
    // The projected status (a few milliseconds behind the document) is enough for a fallback poll.
    return (await visitorStatus.statusFor(conversation.workspace_id, conversation.id, conversation.status)) satisfies ConversationStatusReply
  }, { summary: 'A conversation\'s status and the visitor\'s place in the queue', tag: 'Widget', auth: 'agent-or-visitor' })
}
