/**
 * Agent sessions: one per signed-in device and workspace. Made here for sign-in, accepting an
 * invitation, sign-up and switching workspace; listed per agent; ended one by one or all but the
 * current ("sign out other devices"), each closing its sockets at once on every instance.
 */
import type { IncomingMessage } from 'node:http'
import { ParleyError } from '../../protocol/index.ts'
import { getWorkspace } from '../../db/workspace.repository.ts'
import { createSession, listAgentSessions, revokeSession } from '../../db/session.repository.ts'
import { getWorkspaceAgent } from '../../db/agent.repository.ts'
import { createToken, hashToken } from '../auth/tokens.ts'
import { clientIp } from '../rate-limits/client-ip.ts'
import type { Services } from '../services.ts'

export interface AgentSignIn {
  token: string
  expiresAt: number
  agent: { id: string; email: string; name: string; role: string; active: boolean; workspaceId: string }
  workspace: { id: string; name: string }
}

/** A new session of `agentId` in `workspaceId` (a member, active there), from the device of `req`. */
export async function openAgentSession(services: Services, agentId: string, workspaceId: string, req: IncomingMessage): Promise<AgentSignIn> {
  const agent = await getWorkspaceAgent(services.db, workspaceId, agentId)
  if (!agent) throw new ParleyError('forbidden', 'you are not a member of this workspace', 'workspaceId')
  if (agent.active !== 1) throw new ParleyError('forbidden', 'this account is deactivated in this workspace')
  const token = createToken('pa')
  const expiresAt = Date.now() + services.config.sessionTtlMs
  const userAgent = typeof req.headers['user-agent'] === 'string' ? req.headers['user-agent'].slice(0, 300) : null
  const language = typeof req.headers['accept-language'] === 'string' ? req.headers['accept-language'].slice(0, 200) : null
  await createSession(services.db, { token_hash: hashToken(token), kind: 'agent', workspace_id: workspaceId, agent_id: agentId, contact_id: null, expires_at: expiresAt, user_agent: userAgent, ip: clientIp(req, services.config.trustProxy), language })
  const workspace = await getWorkspace(services.db, workspaceId)
  return {
    token, expiresAt,
    agent: { id: agent.id, email: agent.email, name: agent.name, role: agent.role, active: true, workspaceId },
    workspace: { id: workspaceId, name: workspace?.name ?? '' },
  }
}

/** A session's public id: a prefix of its token's hash (never the token, which is not stored). */
export const sessionId = (tokenHash: string): string => tokenHash.slice(0, 16)

export async function listSessions(services: Services, agentId: string, currentTokenHash: string) {
  const sessions = await listAgentSessions(services.db, agentId)
  const names = new Map<string, string>()
  for (const s of sessions) if (!names.has(s.workspace_id)) names.set(s.workspace_id, (await getWorkspace(services.db, s.workspace_id))?.name ?? '')
  return sessions.map((s) => ({
    id: sessionId(s.token_hash), current: s.token_hash === currentTokenHash, createdAt: s.created_at, expiresAt: s.expires_at,
    userAgent: s.user_agent, ip: s.ip, workspace: { id: s.workspace_id, name: names.get(s.workspace_id) ?? '' },
  }))
}

/** Ends the agent's sessions matching `which` (all but the current one, or one by id); returns how many. */
export async function endSessions(services: Services, agentId: string, which: { exceptTokenHash: string } | { id: string }, why: 'signed-out' | 'removed-from-workspace' = 'signed-out'): Promise<number> {
  const sessions = await listAgentSessions(services.db, agentId)
  const ending = 'id' in which ? sessions.filter((s) => sessionId(s.token_hash) === which.id) : sessions.filter((s) => s.token_hash !== which.exceptTokenHash)
  if ('id' in which && ending.length === 0) throw new ParleyError('not-found', 'no such session')
  for (const s of ending) {
    await revokeSession(services.db, s.token_hash)
    await services.revocations.revoke({ kind: 'session', tokenHash: s.token_hash, why })
  }
  return ending.length
}

/** Ends the agent's sessions in one workspace (removed or deactivated there; their other workspaces go on). */
export async function endWorkspaceSessions(services: Services, agentId: string, workspaceId: string, why: 'removed-from-workspace' | 'deactivated'): Promise<number> {
  const sessions = (await listAgentSessions(services.db, agentId)).filter((s) => s.workspace_id === workspaceId)
  for (const s of sessions) {
    await revokeSession(services.db, s.token_hash)
    await services.revocations.revoke({ kind: 'session', tokenHash: s.token_hash, why })
  }
  return sessions.length
}
