/** Who is asking: every HTTP request and every document connection resolves its token to one of these. */
import { ParleyError, type Role } from '../../protocol/index.ts'
import type { Db } from '../../db/database.ts'
import { getWorkspaceAgent } from '../../db/agent.repository.ts'
import { findSession } from '../../db/session.repository.ts'
import { hashToken, safeEqual } from './tokens.ts'

export type Principal =
  /** `apiKeyId`: the request came with an API key acting as that agent, its role capped by the key's scope. */
  | { kind: 'agent'; workspaceId: string; agentId: string; role: Role; name: string; tokenHash: string; apiKeyId?: string }
  | { kind: 'visitor'; workspaceId: string; contactId: string; tokenHash: string }
  | { kind: 'service'; name: 'bot' }

export const isAgent = (p: Principal): p is Extract<Principal, { kind: 'agent' }> => p.kind === 'agent'

export async function authenticate(db: Db, serviceTokenHash: string, token: string | null | undefined, now = Date.now()): Promise<Principal> {
  return (await authenticateSession(db, serviceTokenHash, token, now)).principal
}

/** The principal and when its session ends (never, for the service token): sockets close then. */
export async function authenticateSession(db: Db, serviceTokenHash: string, token: string | null | undefined, now = Date.now()): Promise<{ principal: Principal; expiresAt: number }> {
  if (!token) throw new ParleyError('unauthenticated', 'a token is required')
  const tokenHash = hashToken(token)
  if (safeEqual(tokenHash, serviceTokenHash)) return { principal: { kind: 'service', name: 'bot' }, expiresAt: Infinity }
  const session = await findSession(db, tokenHash)
  if (!session) throw new ParleyError('unauthenticated', 'unknown token')
  if (session.revoked_at !== null) throw new ParleyError('token-revoked', 'this token was revoked (signed out)')
  if (session.expires_at <= now) throw new ParleyError('token-expired', 'this token has expired; sign in again')
  const expiresAt = session.expires_at
  if (session.kind === 'visitor' && session.contact_id) return { principal: { kind: 'visitor', workspaceId: session.workspace_id, contactId: session.contact_id, tokenHash }, expiresAt }
  if (session.kind === 'agent' && session.agent_id) {
    // The role is the one the agent has in the session's workspace; removed from it, the session is over.
    const agent = await getWorkspaceAgent(db, session.workspace_id, session.agent_id)
    if (!agent) throw new ParleyError('token-revoked', 'this account is no longer a member of the workspace')
    if (agent.active !== 1) throw new ParleyError('token-revoked', 'this account is deactivated')
    return { principal: { kind: 'agent', workspaceId: session.workspace_id, agentId: agent.id, role: agent.role, name: agent.name, tokenHash }, expiresAt }
  }
  throw new ParleyError('unauthenticated', 'unknown token')
}

const RANK: Record<Role, number> = { viewer: 0, agent: 1, admin: 2, owner: 3 }

/** Throws unless the principal is an agent with at least `role`. */
export function requireAgent(principal: Principal, role: Role = 'viewer'): Extract<Principal, { kind: 'agent' }> {
  if (principal.kind !== 'agent') throw new ParleyError('forbidden', 'agents only')
  if (RANK[principal.role] < RANK[role]) throw new ParleyError('forbidden', `needs the ${role} role or higher`)
  return principal
}
