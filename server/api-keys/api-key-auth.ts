/**
 * Requests with an API key (`Authorization: Bearer pk_…`). A key acts as the agent who made it,
 * with the role its scope allows (read: viewer, write: agent, admin: admin), never more than that
 * agent has now, so demoting or deactivating them narrows or ends their keys too. Nothing is
 * cached: the row is read on every request, so a revoked key is refused at once on every instance.
 */
import { API_KEY_PREFIX, ParleyError, type ApiKeyScope, type Role } from '../../protocol/index.ts'
import { getWorkspaceAgent } from '../../db/agent.repository.ts'
import { findApiKeyByHash, recordApiKeyRequests, touchApiKey } from '../../db/api-key.repository.ts'
import type { Db } from '../../db/database.ts'
import type { Principal } from '../auth/principal.ts'
import { hashToken } from '../auth/tokens.ts'
import type { Logger } from '../log.ts'

const SCOPE_ROLE: Record<ApiKeyScope, Role> = { read: 'viewer', write: 'agent', admin: 'admin' }
const RANK: Record<Role, number> = { viewer: 0, agent: 1, admin: 2, owner: 3 }

export const isApiKeyToken = (token: string | null | undefined): token is string => typeof token === 'string' && token.startsWith(API_KEY_PREFIX)

export async function authenticateApiKey(db: Db, token: string, now = Date.now()): Promise<Extract<Principal, { kind: 'agent' }>> {
  const tokenHash = hashToken(token)
  const key = await findApiKeyByHash(db, tokenHash)
  if (!key) throw new ParleyError('unauthenticated', 'unknown API key')
  if (key.revoked_at !== null) throw new ParleyError('token-revoked', 'this API key was revoked')
  // The maker as a member of the key's workspace: their role and whether they are active there.
  const agent = await getWorkspaceAgent(db, key.workspace_id, key.created_by)
  if (!agent || agent.active !== 1) throw new ParleyError('token-revoked', 'the agent who made this API key is deactivated')
  const scopeRole = SCOPE_ROLE[key.scope]
  const role = RANK[agent.role] < RANK[scopeRole] ? agent.role : scopeRole
  // The row is here already: a write only when the minute shown in the monitor changes.
  if (key.last_used_at === null || key.last_used_at < now - 60_000) await touchApiKey(db, key.id, now)
  return { kind: 'agent', workspaceId: key.workspace_id, agentId: agent.id, role, name: agent.name, tokenHash, apiKeyId: key.id }
}

type RequestRow = Parameters<typeof recordApiKeyRequests>[1][number]
const buffers = new WeakMap<Db, RequestRow[]>()
const FLUSH_MS = 1000

/**
 * Keeps one row per request made with a key, for its health in the monitor. Rows are written
 * in one statement a second, not one commit per request (a busy integration's writes measured a
 * third slower with a commit each); a failed write is logged, never fails a request. It is a
 * monitor, not an audit: rows of the last second die with the process.
 */
export function logApiKeyRequest(db: Db, log: Logger, keyId: string, method: string, route: string, status: number, ms: number): void {
  let buffer = buffers.get(db)
  if (!buffer) {
    const rows: RequestRow[] = []
    buffer = rows
    buffers.set(db, rows)
    setTimeout(() => {
      buffers.delete(db)
      recordApiKeyRequests(db, rows).catch((error) => log.warn('API key requests not logged', { count: rows.length, error }))
    }, FLUSH_MS).unref()
  }
  buffer.push({ key_id: keyId, at: Date.now(), method, route, status, duration_ms: Math.round(ms) })
}
