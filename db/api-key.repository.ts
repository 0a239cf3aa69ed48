import type { Db } from './database.ts'
import type { ApiKey, ApiKeyScope } from './tables.ts'

export async function insertApiKey(db: Db, row: Omit<ApiKey, 'last_used_at' | 'revoked_at'>): Promise<void> {
  await db.kysely.insertInto('api_keys').values({ ...row, last_used_at: null, revoked_at: null }).execute()
}

export const findApiKeyByHash = (db: Db, tokenHash: string): Promise<ApiKey | undefined> =>
  db.kysely.selectFrom('api_keys').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst()

export const getApiKey = (db: Db, workspaceId: string, id: string): Promise<ApiKey | undefined> =>
  db.kysely.selectFrom('api_keys').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst()

export const listApiKeys = (db: Db, workspaceId: string): Promise<ApiKey[]> =>
  db.kysely.selectFrom('api_keys').selectAll().where('workspace_id', '=', workspaceId).orderBy('created_at', 'desc').execute()

/** Returns false when the key was already revoked (or is not of this workspace). */
export async function revokeApiKey(db: Db, workspaceId: string, id: string, now = Date.now()): Promise<boolean> {
  const result = await db.kysely.updateTable('api_keys').set({ revoked_at: now }).where('workspace_id', '=', workspaceId).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst()
  return Number(result.numUpdatedRows) > 0
}

/**
 * Notes a use. At most one write a minute per key (a conditional write, so instances do not
 * race): the monitor shows minutes, and a busy integration must not write a row per request.
 */
export async function touchApiKey(db: Db, id: string, now = Date.now()): Promise<void> {
  await db.kysely.updateTable('api_keys').set({ last_used_at: now }).where('id', '=', id)
    .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', now - 60_000)])).execute()
}

export async function recordApiKeyRequests(db: Db, rows: { key_id: string; at: number; method: string; route: string; status: number; duration_ms: number }[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 500) await db.kysely.insertInto('api_key_requests').values(rows.slice(i, i + 500)).execute()
}

export interface ApiKeyHealth { requests: number; errors: number; p50Ms: number | null; p99Ms: number | null; lastStatus: number | null; lastRoute: string | null }

/** Requests made with a key since `since`: how many, how many failed (5xx and 4xx but 404), latency percentiles. */
export async function apiKeyHealth(db: Db, keyId: string, since: number): Promise<ApiKeyHealth> {
  const rows = await db.kysely.selectFrom('api_key_requests').select(['status', 'duration_ms', 'route', 'at']).where('key_id', '=', keyId).where('at', '>=', since).orderBy('at', 'desc').limit(10_000).execute()
  const durations = rows.map((r) => r.duration_ms).sort((a, b) => a - b)
  return {
    requests: rows.length,
    errors: rows.filter((r) => r.status >= 400 && r.status !== 404).length,
    p50Ms: percentile(durations, 0.5), p99Ms: percentile(durations, 0.99),
    lastStatus: rows[0]?.status ?? null, lastRoute: rows[0]?.route ?? null,
  }
}

export async function deleteApiKeyRequestsBefore(db: Db, before: number): Promise<void> {
  await db.kysely.deleteFrom('api_key_requests').where('at', '<', before).execute()
}

/** Nearest-rank percentile of sorted numbers; null for none. */
export function percentile(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] as number
}

export type { ApiKeyScope }
