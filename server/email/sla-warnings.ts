/**
 * "SLA about to breach": once per conversation and target (first response, resolution), when its
 * due time is within the workspace's lead (routing settings: `slaWarningMinutes`, or
 * `slaWarningPercent` of the target when that is sooner), an email to whoever should act, if
 * they are away: the assignee; nobody assigned, the members of the team whose queue it waits in
 * (they are the ones who may take it), or, without a team, the workspace's owners and admins
 * (who answer for the shared queue). Each target is claimed by a conditional write on its
 * routing row before anything is sent, so two instances sweeping at once send it once; a claim
 * whose email could not be queued is given back and tried on the next pass.
 */
import { slaWarningLeadMs, SLA_WARNING_MAX_MINUTES } from '../../protocol/index.ts'
import type { Db } from '../../db/database.ts'
import { claimWarning, listDueForWarning, releaseWarning, type SlaTarget } from '../../db/routing.repository.ts'
import { getTeam } from '../../db/team.repository.ts'
import type { ConversationRouting } from '../../db/tables.ts'
import type { Logger } from '../log.ts'
import { readRoutingSettings } from '../routing/availability.ts'
import type { AgentNotifier } from './notifications.ts'
import { templates } from './templates.ts'

export class SlaWarnings {
  constructor(private readonly db: Db, private readonly notifier: AgentNotifier, private readonly log: Logger, private readonly configured: () => boolean) {}

  /** One sweep at `now` (routing's clock); returns how many targets were warned of. Never throws. */
  async sweep(now: number): Promise<number> {
    if (!this.configured()) return 0
    let warned = 0
    try {
      const rows = await listDueForWarning(this.db, now, SLA_WARNING_MAX_MINUTES * 60_000)
      const settings = new Map<string, Awaited<ReturnType<typeof readRoutingSettings>>>()
      for (const row of rows) {
        if (!settings.has(row.workspace_id)) settings.set(row.workspace_id, await readRoutingSettings(this.db, row.workspace_id))
        const workspace = settings.get(row.workspace_id)!
        const targets: [SlaTarget, number | null, number | null, number | null][] = [
          ['first_response', row.first_response_due_at, row.first_response_at, row.first_response_warned_at],
          ['resolution', row.resolution_due_at, row.resolved_at, row.resolution_warned_at],
        ]
        for (const [which, due, metAt, warnedAt] of targets) {
          if (due === null || metAt !== null || warnedAt !== null || due <= now || row.queued_at === null) continue
          if (due - now > slaWarningLeadMs(workspace, due - row.queued_at)) continue
          if (which === 'first_response' && (await this.repliedSince(row.conversation_id, row.queued_at))) continue
          if (await this.warn(row, which, due, now)) warned += 1
        }
      }
    } catch (error) {
      this.log.warn('SLA warning sweep failed', { error })
    }
    return warned
  }

  /** The first reply may be in the event log before routing's row knows of it (that is marked at the due time). */
  private async repliedSince(conversationId: string, queuedAt: number): Promise<boolean> {
    const row = await this.db.kysely.selectFrom('conversation_events').select('id').where('conversation_id', '=', conversationId)
      .where('kind', '=', 'first_human_reply').where('at', '>=', queuedAt).executeTakeFirst()
    return row !== undefined
  }

  private async warn(row: ConversationRouting & { status: string }, which: SlaTarget, due: number, now: number): Promise<boolean> {
    if (!(await claimWarning(this.db, row.conversation_id, which, now))) return false
    try {
      const conversation = await this.db.kysely.selectFrom('conversations as c').leftJoin('contacts as k', 'k.id', 'c.contact_id')
        .select(['c.id', 'c.subject', 'c.preview', 'k.name as contactName']).where('c.id', '=', row.conversation_id).executeTakeFirstOrThrow()
      const recipients = await this.recipients(row)
      const about = { id: conversation.id, subject: conversation.subject, preview: conversation.preview, contactName: conversation.contactName ?? '', view: row.assignee_id ? 'mine' as const : 'unassigned' as const }
      const minutesLeft = Math.max(1, Math.round((due - now) / 60_000))
      const sent = await this.notifier.notifyAgents(row.workspace_id, about, recipients, 'slaWarning', `sla:${row.conversation_id}:${which}:${due}`, (v) => templates['sla-warning']({
        ...v, target: which, dueAt: due, minutesLeft, assigned: row.assignee_id !== null, preview: conversation.preview,
      }))
      this.log.info('SLA warning', { conversation: row.conversation_id, target: which, recipients: recipients.length, emailed: sent })
      return true
    } catch (error) {
      await releaseWarning(this.db, row.conversation_id, which, now).catch(() => {})
      throw error
    }
  }

  private async recipients(row: ConversationRouting): Promise<string[]> {
    if (row.assignee_id) return [row.assignee_id]
    if (row.team_id) {
      const team = await getTeam(this.db, row.workspace_id, row.team_id)
      if (team && team.members.length > 0) return team.members
    }
    const admins = await this.db.kysely.selectFrom('workspace_members').select('agent_id').where('workspace_id', '=', row.workspace_id)
      .where('role', 'in', ['owner', 'admin']).where('removed_at', 'is', null).where('active', '=', 1).execute()
    return admins.map((a) => a.agent_id)
  }
}
