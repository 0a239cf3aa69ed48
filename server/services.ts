/** What route modules and extensions share; built once in app.ts. */
import type { Hocuspocus } from '@hocuspocus/server'
import type { Db } from '../db/database.ts'
import type { AvailabilityService } from './routing/availability.ts'
import type { RoutingService } from './routing/routing-service.ts'
import type { Config } from './config.ts'
import type { ConversationService } from './conversation-service.ts'
import type { InboxWriter } from './inbox-writer.ts'
import type { JobQueue } from './job-queue.ts'
import type { Logger } from './log.ts'
import type { Metrics } from './metrics.ts'
import type { SignInGuard } from './rate-limits/sign-in-guard.ts'
import type { WidgetLimits } from './rate-limits/widget-limits.ts'
import type { Revocations } from './revocation/revocations.ts'
import type { AttachmentStore } from './storage/attachment-store.ts'
import type { EmailService } from './email/email-service.ts'
import type { AccountLimits } from './accounts/account-limits.ts'

export interface Services {
  config: Config
  db: Db
  log: Logger
  metrics: Metrics
  hocuspocus: Hocuspocus
  /** Agents' availability, counted across instances (server/routing/availability.ts). */
  presence: AvailabilityService
  /** Teams, inboxes, assignment, SLA (server/routing/). */
  routing: RoutingService
  conversations: ConversationService
  inbox: InboxWriter
  jobs: JobQueue
  attachments: AttachmentStore
  /** Rate limits of the widget's HTTP paths and its send path over the socket. */
  widgetLimits: WidgetLimits
  signInGuard: SignInGuard
  serviceTokenHash: string
  redisStatus(): Promise<'ok' | 'down' | 'not-configured'>
  /** Closes the sockets of ended sessions, on every instance. */
  revocations: Revocations
  /** Email out: the delivery log and its queue (server/email/). */
  email: EmailService
  /** This server's address as people reach it (PUBLIC_URL, else where it listens): links in emails. */
  publicUrl(): string
  /** Limits on password resets and invitations (they send email to typed addresses). */
  accountLimits: AccountLimits
}
