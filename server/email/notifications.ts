/**
 * Agent notification emails: "assigned to you" and "a customer replied while you were away",
 * each switchable per agent and workspace (Settings → Notifications). Read from what the
 * projection writes (the event log and the new message rows), after it committed, so a
 * notification is about something that is durably so. The delivery id is made from the event
 * or message and the agent, so a re-projection, a rebuild or a second instance never sends a
 * second email. An agent connected to this server sees it in the app and is not emailed.
 * Only fresh things notify (NOTIFY_WINDOW_MS): a rebuild of old history sends nothing.
 */
import { createHash } from 'node:crypto'
import type { Db } from '../../db/database.ts'
import { getWorkspaceAgent } from '../../db/agent.repository.ts'
import { getWorkspace } from '../../db/workspace.repository.ts'
import type { ConversationProjection } from '../projection.ts'
import type { Logger } from '../log.ts'
import type { AvailabilityService } from '../routing/availability.ts'
import { readNotificationPrefs } from '../accounts/notification-prefs.ts'
import type { EmailService } from './email-service.ts'
import { renderEmail, templates } from './templates.ts'
import type { NotificationKind } from '../../protocol/index.ts'

const NOTIFY_WINDOW_MS = 10 * 60_000

export class AgentNotifier {
  constructor(private readonly db: Db, private readonly email: EmailService, private readonly presence: Pick<AvailabilityService, 'isOnline'>, private readonly log: Logger, private readonly publicUrl: () => string) {}

  /** Called with each committed batch; never throws (a notification must not fail a projection). */
  async afterProjection(projections: ConversationProjection[], now = Date.now()): Promise<void> {
    if (!this.email.configured) return
    for (const p of projections) {
      try {
        for (const event of p.events) {
          if (event.kind === 'assigned' && event.assignee_id && event.actor_id !== event.assignee_id && now - event.at < NOTIFY_WINDOW_MS) {
            await this.notify(p, event.assignee_id, 'assigned', `${event.id}:${event.assignee_id}`, null)
          }
        }
        const assignee = p.entry.assignee
        if (!assignee) continue
        // Only what the customer wrote after this assignment: a batch that assigns can carry earlier
        // customer messages again (routing's transcript events re-place rows), which the assignee
        // learns of from the "assigned" email, not as a reply.
        const assignedAt = Math.max(0, ...p.events.filter((e) => e.kind === 'assigned' && e.assignee_id === assignee).map((e) => Number(e.at)))
        const replies = p.rows.filter((r) => r.author_role === 'customer' && r.kind === 'message' && now - r.created_at < NOTIFY_WINDOW_MS && r.created_at > assignedAt)
        const last = replies.at(-1)
        if (last) await this.notify(p, assignee, 'customerReplied', `${p.entry.id}:${last.id}:${assignee}`, last.text)
      } catch (error) {
        this.log.warn('agent notification failed', { conversation: p.entry.id, error })
      }
    }
  }

  private async notify(p: ConversationProjection, agentId: string, kind: NotificationKind, key: string, text: string | null): Promise<void> {
    if (this.presence.isOnline(p.workspaceId, agentId)) return
    const agent = await getWorkspaceAgent(this.db, p.workspaceId, agentId)
    if (!agent || agent.active !== 1) return
    if (!(await readNotificationPrefs(this.db, p.workspaceId, agentId))[kind]) return
    const workspace = (await getWorkspace(this.db, p.workspaceId))?.name ?? 'Parley'
    const url = `${this.publicUrl()}/inbox/mine/${encodeURIComponent(p.entry.id)}`
    const values = { workspace, subject: p.entry.subject || p.entry.preview.slice(0, 60) || p.entry.contactName, customer: p.entry.contactName || 'A customer', url }
    const content = kind === 'assigned' ? templates.assigned({ ...values, preview: p.entry.preview }) : templates['customer-replied']({ ...values, text: text ?? '' })
    await this.email.queue({
      id: `ntf_${createHash('sha256').update(key).digest('base64url').slice(0, 32)}`,
      workspaceId: p.workspaceId, kind: kind === 'assigned' ? 'assigned' : 'customer-replied', to: agent.email, agentId, conversationId: p.entry.id, email: renderEmail(content),
    })
  }
}
