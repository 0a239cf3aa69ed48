import { ChangePasswordBody, ParleyError, SignInBody, parseInput } from '../../protocol/index.ts'
import { findAgentByEmail, getAgent, listMemberships, updateAgent } from '../../db/agent.repository.ts'
import { openAgentSession } from '../accounts/sessions.ts'
import { revokeAgentSessions, revokeSession } from '../../db/session.repository.ts'
import { getWorkspace } from '../../db/workspace.repository.ts'
import { hashPassword, verifyPassword, verifyPasswordOrDummy } from '../auth/passwords.ts'
import { clientIp } from '../rate-limits/client-ip.ts'
import type { Services } from '../services.ts'
import { agentOf, principalOf } from './principal.ts'
import type { Router } from './router.ts'

export function addAuthRoutes(router: Router, services: Services): void {
  router.add('POST', '/api/auth/sign-in', async (ctx) => {
    const body = parseInput(SignInBody, await ctx.body())
    const attempt = await services.signInGuard.begin(clientIp(ctx.req, services.config.trustProxy), body.email)
    const agent = await findAgentByEmail(services.db, body.email)
    // Same answer, and the same time, for an unknown email and a wrong password: no account enumeration.
    if (!(await verifyPasswordOrDummy(body.password, agent?.password_hash)) || !agent) throw new ParleyError('unauthenticated', 'wrong email or password')
    await attempt.succeeded()
    // The home workspace when the agent is still active there, else the first where they are.
    const memberships = (await listMemberships(services.db, agent.id)).filter((m) => m.active === 1)
    const home = memberships.find((m) => m.workspaceId === agent.workspace_id) ?? memberships[0]
    if (!home) throw new ParleyError('forbidden', 'this account is deactivated')
    const signedIn = await openAgentSession(services, agent.id, home.workspaceId, ctx.req)
    services.log.info('agent signed in', { agent: agent.id })
    return signedIn
    }, { summary: 'Sign in with email and password; answers a session token', tag: 'Auth', auth: 'public', body: SignInBody })

  router.add('POST', '/api/auth/sign-out', async (ctx) => {
    const principal = await principalOf(services, ctx)
    if (principal.kind === 'service') throw new ParleyError('forbidden', 'the service token cannot sign out')
    await revokeSession(services.db, principal.tokenHash)
    await services.revocations.revoke({ kind: 'session', tokenHash: principal.tokenHash, why: 'signed-out' })
    return { ok: true }
  }, { summary: 'End this session (its sockets close at once)', tag: 'Auth', auth: 'agent-or-visitor' })

  /** Changing the password signs out every other session of the account, and closes their sockets. */
  router.add('POST', '/api/auth/password', async (ctx) => {
    const me = await agentOf(services, ctx)
    const body = parseInput(ChangePasswordBody, await ctx.body())
    const agent = await getAgent(services.db, me.agentId)
    if (!agent || !(await verifyPassword(body.currentPassword, agent.password_hash))) throw new ParleyError('forbidden', 'currentPassword: is wrong', 'currentPassword')
    await updateAgent(services.db, agent.id, { password_hash: await hashPassword(body.newPassword) })
    await revokeAgentSessions(services.db, agent.id, me.tokenHash)
    await services.revocations.revoke({ kind: 'agent', agentId: agent.id, exceptTokenHash: me.tokenHash, why: 'password-changed' })
    return { ok: true }
  }, { summary: 'Change my password (my other sessions end)', tag: 'Auth', auth: 'viewer', body: ChangePasswordBody })

  router.add('GET', '/api/auth/me', async (ctx) => {
    const agent = await agentOf(services, ctx)
    const workspace = await getWorkspace(services.db, agent.workspaceId)
    // The inbox document to open: a device offline across rotations of it opens the current one directly.
    return { agent: { id: agent.agentId, name: agent.name, role: agent.role }, workspace: { id: workspace?.id, name: workspace?.name }, inboxDocument: await services.inbox.documentName(agent.workspaceId) }
    }, { summary: 'Who I am: agent and workspace', tag: 'Auth', auth: 'viewer' })
}

export const publicAgent = (agent: { id: string; email: string; name: string; role: string; active: number; workspace_id: string; capacity?: number }) => ({
  id: agent.id, email: agent.email, name: agent.name, role: agent.role, active: agent.active === 1, workspaceId: agent.workspace_id,
  ...(agent.capacity !== undefined ? { capacity: agent.capacity } : {}),
})
