/**
 * Housekeeping on a schedule: expired sessions deleted, spent and expired invitation and
 * password-reset links deleted a grace period after (ACCOUNT_TOKEN_GRACE_DAYS), uploads no message refers to deleted
 * after a grace period, resolved conversations past a workspace's retention policy erased
 * (retention.ts). Each run is logged with what it removed. Safe on several instances at
 * once (each step is a delete of what is already unwanted), and runs never overlap in one.
 */
import { deleteSpentAccountTokens } from '../../db/account-token.repository.ts'
import { deleteExpiredSessions } from '../../db/session.repository.ts'
import type { Services } from '../services.ts'
import { deleteOrphanUploads } from './orphan-uploads.ts'
import { pruneIntegrationRows } from '../webhooks/integration-retention.ts'
import type { EraseDeps } from '../privacy/contact-erase.ts'
import { runRetention } from './retention.ts'

export interface HousekeepingRun { sessionsDeleted: number; invitationsDeleted: number; resetsDeleted: number; uploadsChecked: number; uploadsDeleted: number; inboxEntriesRemoved: number; inboxesRotated: number; conversationsErased: number; ms: number }

/** `erase`: what retention erases through (the durability and projection extensions); without it, retention does not run. */
type HousekeepingServices = Pick<Services, 'db' | 'attachments' | 'config' | 'log'> & { inbox?: Pick<Services['inbox'], 'prune' | 'size' | 'rotate'>; hocuspocus?: Services['hocuspocus']; erase?: Pick<EraseDeps, 'durability' | 'projection'> }

export async function runHousekeeping(services: HousekeepingServices, now = Date.now()): Promise<HousekeepingRun> {
  const started = performance.now()
  const sessionsDeleted = await deleteExpiredSessions(services.db, now)
  const tokens = await deleteSpentAccountTokens(services.db, now, services.config.accountTokenGraceMs)
  const uploads = await deleteOrphanUploads(services.db, services.attachments, { now, graceMs: services.config.orphanUploadGraceMs })
  // Old integration logs (server/webhooks/integration-retention.ts); counted in the log line, not in the run's figures.
  const integrationRows = await pruneIntegrationRows(services.db, now)
  if (integrationRows > 0) services.log.info('integration logs pruned', { rows: integrationRows })
  // Resolved conversations whose window has passed leave the inbox documents (the working set).
  // An inbox whose deleted keys (Yjs keeps a tombstone of each) outnumber its live entries and the
  // configured floor starts a fresh generation (server/inbox-writer.ts).
  let inboxEntriesRemoved = 0
  let inboxesRotated = 0
  if (services.inbox) {
    const workspaces = await services.db.kysely.selectFrom('workspaces').select('id').execute()
    for (const { id } of workspaces) {
      inboxEntriesRemoved += await services.inbox.prune(id, now)
      const size = await services.inbox.size(id)
      if (size.tombstones > Math.max(services.config.inboxRotateTombstones, size.live) && await services.inbox.rotate(id)) {
        inboxesRotated += 1
        services.log.info('inbox rotated to a new generation', { workspaceId: id, ...size })
      }
    }
  }
  // Workspaces' retention policies (retention.ts): one instance runs each, the others skip it.
  let conversationsErased = 0
  if (services.erase && services.hocuspocus) {
    // A failed retention run (retried at the next interval) does not stop the rest of housekeeping.
    try {
      const retention = await runRetention({ db: services.db, hocuspocus: services.hocuspocus, attachments: services.attachments, log: services.log, durability: services.erase.durability, projection: services.erase.projection }, now)
      conversationsErased = retention.conversationsErased
    } catch (error) {
      services.log.error('retention failed; it runs again at the next interval', { error })
    }
  }
  const run = { sessionsDeleted, invitationsDeleted: tokens.invite, resetsDeleted: tokens.reset, uploadsChecked: uploads.checked, uploadsDeleted: uploads.deleted, inboxEntriesRemoved, inboxesRotated, conversationsErased, ms: Math.round(performance.now() - started) }
  services.log.info('housekeeping', run)
  return run
}

/** First run a minute after start (not in the way of startup), then every HOUSEKEEPING_INTERVAL_MINUTES. */
export function startHousekeeping(services: HousekeepingServices, firstAfterMs = 60_000): () => Promise<void> {
  let running: Promise<unknown> | null = null
  const tick = () => {
    if (running) return
    running = runHousekeeping(services)
      .catch((error) => services.log.error('housekeeping failed; it runs again at the next interval', { error }))
      .finally(() => { running = null })
  }
  const first = setTimeout(tick, Math.min(firstAfterMs, services.config.housekeepingIntervalMs))
  const every = setInterval(tick, services.config.housekeepingIntervalMs)
  first.unref()
  every.unref()
  // Stopping waits for a run in progress: the database must not close under it.
  return async () => { clearTimeout(first); clearInterval(every); await running }
}
