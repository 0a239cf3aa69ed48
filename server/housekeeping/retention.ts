/**
 * Retention (issue 18): a workspace's optional policy, off by default, erases its resolved
 * conversations N days after their last activity, through the erase path of a contact's GDPR
 * erase (server/privacy/conversation-erase.ts) with everyone's words in scope: every message and
 * note becomes the placeholder in the documents, the update log and snapshots are compacted to
 * the erased state, the projection's rows and the full-text index are overwritten, the files are
 * deleted, and the freed bytes purged. The conversation's shell stays (its id, status, times,
 * counts and event log), so reports and links keep working and say "[erased]".
 *
 * Erase rather than archive: resolved conversations already leave the agents' inbox documents
 * after INBOX_RESOLVED_DAYS (server/inbox-writer.ts); what an operator asks retention for is that
 * the data is gone after a while (storage limitation), which an archive that keeps it does not give.
 *
 * Run by housekeeping. Safe with several instances: each workspace's run is claimed by a
 * conditional write (db/retention.repository.ts), so one instance runs it; a conversation it
 * erased is marked, so no run does it twice, and one reopened meanwhile (read inside its
 * document's transaction) is left as it is. Each run is logged and audited (ids and counts only).
 */
import { getMeta } from '../../protocol/index.ts'
import { insertEvents } from '../../db/conversation-event.repository.ts'
import { insertAudit, purgeDeletedContent } from '../../db/privacy.repository.ts'
import { DAY_MS, claimRetention, listRetentionDue, listRetentionPolicies, markRetentionErased, releaseRetention, renewRetention } from '../../db/retention.repository.ts'
import type { EraseDeps } from '../privacy/contact-erase.ts'
import { TOUCHED_TABLES } from '../privacy/contact-erase.ts'
import { eraseConversationsContent } from '../privacy/conversation-erase.ts'

/** The actor named in the audit and the event log for what retention does. */
export const RETENTION_ACTOR = 'retention'
/** How long a claim holds when its instance dies mid-run; a finished run releases it at once. */
export const RETENTION_LEASE_MS = 15 * 60_000
/** At most this many conversations per workspace and run (the rest at the next run), erased this many at a time. */
const PER_RUN = 500
const CHUNK = 50

export interface RetentionRun { workspaces: number; claimedElsewhere: number; conversationsErased: number; messagesErased: number; attachmentsDeleted: number }

export async function runRetention(deps: EraseDeps, now = Date.now()): Promise<RetentionRun> {
  const run: RetentionRun = { workspaces: 0, claimedElsewhere: 0, conversationsErased: 0, messagesErased: 0, attachmentsDeleted: 0 }
  for (const policy of await listRetentionPolicies(deps.db)) {
    const days = policy.retention_days as number
    if (!await claimRetention(deps.db, policy.id, now, RETENTION_LEASE_MS)) { run.claimedElsewhere++; continue }
    run.workspaces++
    let claimedAt = now
    try {
      const due = await listRetentionDue(deps.db, policy.id, now - days * DAY_MS, PER_RUN)
      const erasedIds: string[] = []
      let messages = 0
      let attachments = 0
      for (let i = 0; i < due.length; i += CHUNK) {
        const erased = await eraseConversationsContent(deps, policy.id, due.slice(i, i + CHUNK), { kind: 'everyone' }, {
          // Reopened since it was listed: it is no longer due.
          unless: (doc) => getMeta(doc).get('status') !== 'resolved',
        })
        const at = Date.now()
        await markRetentionErased(deps.db, erased.ids, at)
        await insertEvents(deps.db, erased.ids.map((id) => ({
          id: `${id}:erased:${at}`, workspace_id: policy.id, conversation_id: id, kind: 'erased' as const, at, actor_id: null,
          assignee_id: null, from_assignee_id: null, priority: null, reason: RETENTION_ACTOR, rating: null, comment: null, until_at: null,
        })))
        erasedIds.push(...erased.ids)
        messages += erased.messages
        attachments += erased.attachments
        // A long run keeps its claim; one whose claim lapsed (another instance took over) stops here.
        const renewed = Math.max(claimedAt + 1, Date.now())
        if (!await renewRetention(deps.db, policy.id, claimedAt, renewed)) break
        claimedAt = renewed
      }
      if (erasedIds.length > 0) {
        await insertAudit(deps.db, {
          workspace_id: policy.id, action: 'retention-erased', actor_id: RETENTION_ACTOR, contact_id: null, conversation_id: null,
          detail: { days, conversations: erasedIds, messages, attachments },
        })
        await purgeDeletedContent(deps.db, TOUCHED_TABLES)
      }
      deps.log.info('retention', { workspaceId: policy.id, days, due: due.length, conversations: erasedIds.length, messages, attachments })
      run.conversationsErased += erasedIds.length
      run.messagesErased += messages
      run.attachmentsDeleted += attachments
    } finally {
      await releaseRetention(deps.db, policy.id, claimedAt)
    }
  }
  return run
}
