/**
 * Retention's rows (server/housekeeping/retention.ts): a workspace's policy, the claim that lets
 * one instance at a time run it, the conversations it is due to erase, and the mark it leaves.
 */
import type { Db } from './database.ts'

export const DAY_MS = 24 * 3600_000

export async function getRetentionDays(db: Db, workspaceId: string): Promise<number | null> {
  const row = await db.kysely.selectFrom('workspaces').select('retention_days').where('id', '=', workspaceId).executeTakeFirst()
  return row?.retention_days ?? null
}

export async function setRetentionDays(db: Db, workspaceId: string, days: number | null): Promise<void> {
  await db.kysely.updateTable('workspaces').set({ retention_days: days }).where('id', '=', workspaceId).execute()
}

/** The workspaces whose policy is on, with their window in days. */
export const listRetentionPolicies = (db: Db): Promise<{ id: string; retention_days: number | null }[]> =>
  db.kysely.selectFrom('workspaces').select(['id', 'retention_days']).where('retention_days', 'is not', null).orderBy('id').execute()

/**
 * Claims the workspace's retention run: a conditional write that succeeds for exactly one caller
 * (of any instance) until `leaseMs` after the last claim. False: another instance has it.
 */
export async function claimRetention(db: Db, workspaceId: string, now: number, leaseMs: number): Promise<boolean> {
  const result = await db.kysely.updateTable('workspaces').set({ retention_claimed_at: now }).where('id', '=', workspaceId)
    .where((eb) => eb.or([eb('retention_claimed_at', 'is', null), eb('retention_claimed_at', '<=', now - leaseMs)]))
    .executeTakeFirst()
  return Number(result.numUpdatedRows) === 1
}

/** Renews a claim this caller holds (a long run): false when it lapsed and another caller claimed the workspace. */
export async function renewRetention(db: Db, workspaceId: string, claimedAt: number, now: number): Promise<boolean> {
  const result = await db.kysely.updateTable('workspaces').set({ retention_claimed_at: now }).where('id', '=', workspaceId).where('retention_claimed_at', '=', claimedAt).executeTakeFirst()
  return Number(result.numUpdatedRows) === 1
}

/** Ends the claim early (the run finished), so the next scheduled run, here or elsewhere, may claim again. */
export async function releaseRetention(db: Db, workspaceId: string, claimedAt: number): Promise<void> {
  await db.kysely.updateTable('workspaces').set({ retention_claimed_at: null }).where('id', '=', workspaceId).where('retention_claimed_at', '=', claimedAt).execute()
}

/** Resolved conversations whose last activity is before `cutoff` and that retention has not erased yet, oldest first. */
export async function listRetentionDue(db: Db, workspaceId: string, cutoff: number, limit: number): Promise<string[]> {
  const rows = await db.kysely.selectFrom('conversations').select('id').where('workspace_id', '=', workspaceId).where('status', '=', 'resolved')
    .where('last_activity_at', '<', cutoff).where('retention_erased_at', 'is', null).orderBy('last_activity_at').orderBy('id').limit(limit).execute()
  return rows.map((r) => r.id)
}

export async function markRetentionErased(db: Db, ids: string[], at: number): Promise<void> {
  for (let i = 0; i < ids.length; i += 500) await db.kysely.updateTable('conversations').set({ retention_erased_at: at }).where('id', 'in', ids.slice(i, i + 500)).execute()
}
