/** Who a widget request comes from, as the rate limits count it (server/rate-limits/widget-limits.ts). */
import { clientIp } from '../rate-limits/client-ip.ts'
import type { WidgetCaller } from '../rate-limits/widget-limits.ts'
import type { Services } from '../services.ts'
import type { RequestContext } from './router.ts'

/** The client's address, plus the visitor (their contact) and their site (workspace) once the token is known. */
export const widgetCallerOf = (services: Services, ctx: RequestContext, visitor?: { contactId: string; workspaceId: string }): WidgetCaller => ({
  ip: clientIp(ctx.req, services.config.trustProxy),
  ...(visitor ? { visitor: visitor.contactId, site: visitor.workspaceId } : {}),
})
