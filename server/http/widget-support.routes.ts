/** Everything the customer widget needs beyond the core visitor API (issue 3), registered in one call. */
import type { VisitorStatusExtension } from '../extensions/visitor-status.ts'
import type { Services } from '../services.ts'
import { addAttachmentRoutes } from './attachments.routes.ts'
import { addAvailabilityRoutes } from './availability.routes.ts'
import { addCsatRoutes } from './csat.routes.ts'
import { addDemoRoutes } from './demo.routes.ts'
import { addLeaveMessageRoutes } from './leave-message.routes.ts'
import { addPrechatRoutes } from './prechat.routes.ts'
import type { Router } from './router.ts'

export function addWidgetSupportRoutes(router: Router, services: Services, visitorStatus: VisitorStatusExtension): void {
  addAvailabilityRoutes(router, services, visitorStatus)
  addAttachmentRoutes(router, services, services.attachments)
  addCsatRoutes(router, services)
  addLeaveMessageRoutes(router, services)
  addPrechatRoutes(router, services)
  addDemoRoutes(router, services)
}
