/**
 * Housekeeping on a schedule: expired sessions deleted, uploads no message refers to deleted
 * after a grace period. Each run is logged with what it removed. Safe on several instances at
 * once (each step is a delete of what is already unwanted), and runs never overlap in one.
 */
import { deleteExpiredSessions } from '../../db/session.repository.ts'
import type { Services } from '../services.ts'
import { deleteOrphanUploads } from './orphan-uploads.ts'
import { pruneIntegrationRows } from '../webhooks/integration-retention.ts'

export interface HousekeepingRun { sessionsDeleted: number; uploadsChecked: number; uploadsDeleted: number; ms: number }

export async function runHousekeeping(services: Pick<Services, 'db' | 'attachments' | 'config' | 'log'>, now = Date.now()): Promise<HousekeepingRun> {
  const started = performance.now()
  const sessionsDeleted = await deleteExpiredSessions(services.db, now)
  const uploads = await deleteOrphanUploads(services.db, services.attachments, { now, graceMs: services.config.orphanUploadGraceMs })
  // Old integration logs (server/webhooks/integration-retention.ts); counted in the log line, not in the run's figures.
  const integrationRows = await pruneIntegrationRows(services.db, now)
  if (integrationRows > 0) services.log.info('integration logs pruned', { rows: integrationRows })
  const run = { sessionsDeleted, uploadsChecked: uploads.checked, uploadsDeleted: uploads.deleted, ms: Math.round(performance.now() - started) }
  services.log.info('housekeeping', run)
  return run
}

/** First run a minute after start (not in the way of startup), then every HOUSEKEEPING_INTERVAL_MINUTES. */
export function startHousekeeping(services: Pick<Services, 'db' | 'attachments' | 'config' | 'log'>, firstAfterMs = 60_000): () => Promise<void> {
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
