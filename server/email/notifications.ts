/**
 * Agent notification emails: "assigned to you", "a customer replied while you were away" and
 * "SLA about to breach", each switchable per agent and workspace (Your account → Notification
 * emails), each in the agent's own language (agent-language.ts). The first two are read from
 * what the projection writes (the event log and the new message rows), after it committed, so a
 * notification is about something that is durably so; the delivery id is made from the event or
 * message and the agent, so a re-projection, a rebuild or a second instance never sends a second
 * email. Only fresh things notify (NOTIFY_WINDOW_MS): a rebuild of old history sends nothing.
 * SLA warnings come from routing's periodic pass (sla-warnings.ts) and are claimed per
 * conversation and target in the database before they are sent.
 *
 * An agent who is Online (a device connected on any instance, not Away, not idle) sees it in the
 * app and is not emailed; that is asked fresh of the availability service, which counts devices
 * across instances through Redis when scaled out.
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
import { agentEmailLanguage } from './agent-language.ts'
import { renderEmail, templates, type EmailContent, type EmailKind } from './templates.ts'
import type { NotificationKind } from '../../protocol/index.ts'

const NOTIFY_WINDOW_MS = 10 * 60_000

export type Presence = Pick<AvailabilityService, 'onlineNow'>

/** What a notification says about its conversation. */
export interface AboutConversation { id: string; subject: string; preview: string; contactName: string; /** The app's view the link opens it in (default: mine). */ view?: 'mine' | 'unassigned' }

export class AgentNotifier {
  constructor(private readonly db: Db, private readonly email: EmailService, private readonly presence: Presence, private readonly log: Logger, private readonly publicUrl: () => string) {}

  /** Called with each committed batch; never throws (a notification must not fail a projection). */
  async afterProjection(projections: ConversationProjection[], now = Date.now()): Promise<void> {
    if (!this.email.configured) return
    for (const p of projections) {
      try {
        const about = { id: p.entry.id, subject: p.entry.subject, preview: p.entry.preview, contactName: p.entry.contactName }
        for (const event of p.events) {
          if (event.kind === 'assigned' && event.assignee_id && event.actor_id !== event.assignee_id && now - event.at < NOTIFY_WINDOW_MS) {
            await this.notify(p.workspaceId, about, event.assignee_id, 'assigned', `${event.id}:${event.assignee_id}`, (v) => templates.assigned({ ...v, preview: p.entry.preview }))
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
        if (last) await this.notify(p.workspaceId, about, assignee, 'customerReplied', `${p.entry.id}:${last.id}:${assignee}`, (v) => templates['customer-replied']({ ...v, text: last.text }))
      } catch (error) {
        this.log.warn('agent notification failed', { conversation: p.entry.id, error })
      }
    }
  }

  /**
   * Emails the agents among `agentIds` who are away and want `kind`; returns how many were queued.
   * `key` makes each agent's delivery id, so the same notification queued again is the same email.
   */
  async notifyAgents(
    workspaceId: string, about: AboutConversation, agentIds: string[], kind: NotificationKind, key: string,
    content: (values: { language: string; workspace: string; subject: string; customer: string; url: string }) => EmailContent,
  ): Promise<number> {
    if (!this.email.configured || agentIds.length === 0) return 0
    const online = await this.presence.onlineNow(workspaceId)
    let queued = 0
    for (const agentId of agentIds) {
      if (online.has(agentId)) continue
      if (await this.queueFor(workspaceId, about, agentId, kind, `${key}:${agentId}`, content)) queued += 1
    }
    return queued
  }

  private async notify(workspaceId: string, about: AboutConversation, agentId: string, kind: NotificationKind, key: string, content: Parameters<AgentNotifier['notifyAgents']>[5]): Promise<void> {
    if ((await this.presence.onlineNow(workspaceId)).has(agentId)) return
    await this.queueFor(workspaceId, about, agentId, kind, key, content)
  }

  private async queueFor(workspaceId: string, about: AboutConversation, agentId: string, kind: NotificationKind, key: string, content: Parameters<AgentNotifier['notifyAgents']>[5]): Promise<boolean> {
    const agent = await getWorkspaceAgent(this.db, workspaceId, agentId)
    if (!agent || agent.active !== 1) return false
    if (!(await readNotificationPrefs(this.db, workspaceId, agentId))[kind]) return false
    const workspace = (await getWorkspace(this.db, workspaceId))?.name ?? 'Parley'
    const language = await agentEmailLanguage(this.db, agentId)
    const url = `${this.publicUrl()}/inbox/${about.view ?? 'mine'}/${encodeURIComponent(about.id)}`
    const values = { language, workspace, subject: about.subject || about.preview.slice(0, 60) || about.contactName, customer: about.contactName || 'A customer', url }
    await this.email.queue({
      id: `ntf_${createHash('sha256').update(key).digest('base64url').slice(0, 32)}`,
      workspaceId, kind: EMAIL_KIND[kind], to: agent.email, agentId, conversationId: about.id, email: renderEmail(content(values), language),
    })
    return true
  }
}

const EMAIL_KIND: Record<NotificationKind, EmailKind> = { assigned: 'assigned', customerReplied: 'customer-replied', slaWarning: 'sla-warning' }
