/** HTTP routes of workspaces, invitations, passwords and sessions (issue 15). */
import {
  AcceptInviteBody, CreateWorkspaceBody, InviteBody, InviteTokenQuery, NotificationPrefsBody, ParleyError,
  ResetPasswordBody, ResetRequestBody, SignUpBody, SwitchWorkspaceBody, parseInput,
} from '../../protocol/index.ts'
import { listMemberships } from '../../db/agent.repository.ts'
import { revokeSession } from '../../db/session.repository.ts'
import { agentOf } from '../http/principal.ts'
import { clientIp } from '../rate-limits/client-ip.ts'
import { Reply, type Router } from '../http/router.ts'
import type { Services } from '../services.ts'
import { acceptInvitation, describeInvitation, invite, listInvitations, resend, revoke } from './invitations.ts'
import { readNotificationPrefs, writeNotificationPrefs } from './notification-prefs.ts'
import { completePasswordReset, requestPasswordReset } from './password-reset.ts'
import { endSessions, listSessions, openAgentSession } from './sessions.ts'
import { assertMayCreateWorkspace, createWorkspaceFor, removeAgent, signUp } from './workspaces.ts'

export function addAccountRoutes(router: Router, services: Services): void {
  // What the sign-in page may offer: sign-up, "forgot password" (only when email can be sent).
  router.add('GET', '/api/auth/options', async () => ({ signUp: services.config.signup === 'open', passwordReset: services.email.configured }))

  router.add('POST', '/api/auth/sign-up', async (ctx) => {
    const body = parseInput(SignUpBody, await ctx.body())
    const made = await signUp(services, body)
    return new Reply(201, await openAgentSession(services, made.agentId, made.workspaceId, ctx.req))
  })

  router.add('GET', '/api/workspaces', async (ctx) => {
    const me = await agentOf(services, ctx)
    const items = (await listMemberships(services.db, me.agentId)).map((m) => ({ id: m.workspaceId, name: m.name, role: m.role, active: m.active === 1, current: m.workspaceId === me.workspaceId }))
    let mayCreate = true
    try { await assertMayCreateWorkspace(services, me) } catch { mayCreate = false }
    return { items, mayCreate }
  })

  router.add('POST', '/api/workspaces', async (ctx) => {
    const me = await agentOf(services, ctx)
    const body = parseInput(CreateWorkspaceBody, await ctx.body())
    await assertMayCreateWorkspace(services, me)
    return new Reply(201, await createWorkspaceFor(services, me.agentId, body.name))
  })

  /** A session in another of the agent's workspaces; the current one ends (its sockets close). */
  router.add('POST', '/api/auth/switch', async (ctx) => {
    const me = await agentOf(services, ctx)
    const body = parseInput(SwitchWorkspaceBody, await ctx.body())
    const next = await openAgentSession(services, me.agentId, body.workspaceId, ctx.req)
    if (body.workspaceId !== me.workspaceId) {
      await revokeSession(services.db, me.tokenHash)
      await services.revocations.revoke({ kind: 'session', tokenHash: me.tokenHash, why: 'workspace-switched' })
    }
    return next
  })

  router.add('GET', '/api/invitations', async (ctx) => {
    const me = await agentOf(services, ctx, 'admin')
    return { items: await listInvitations(services, me.workspaceId) }
  })
  router.add('POST', '/api/invitations', async (ctx) => {
    const me = await agentOf(services, ctx, 'admin')
    const body = parseInput(InviteBody, await ctx.body())
    await services.accountLimits.invitation(me.workspaceId)
    return new Reply(201, await invite(services, me, body.email, body.role))
  })
  router.add('POST', '/api/invitations/:id/resend', async (ctx) => resend(services, await agentOf(services, ctx, 'admin'), ctx.params.id as string))
  router.add('DELETE', '/api/invitations/:id', async (ctx) => {
    await revoke(services, await agentOf(services, ctx, 'admin'), ctx.params.id as string)
    return { ok: true }
  })
  // The invitee's side: no session yet; the link's token is the credential.
  router.add('GET', '/api/auth/invitation', async (ctx) => describeInvitation(services, parseInput(InviteTokenQuery, ctx.query).token))
  router.add('POST', '/api/auth/invitation/accept', async (ctx) => {
    const body = parseInput(AcceptInviteBody, await ctx.body())
    const accepted = await acceptInvitation(services, body.token, body)
    return new Reply(201, await openAgentSession(services, accepted.agentId, accepted.workspaceId, ctx.req))
  })

  router.add('DELETE', '/api/agents/:id', async (ctx) => {
    const me = await agentOf(services, ctx, 'admin')
    return removeAgent(services, me, ctx.params.id as string)
  })

  router.add('POST', '/api/auth/password-reset', async (ctx) => {
    const body = parseInput(ResetRequestBody, await ctx.body())
    if (!services.email.configured) throw new ParleyError('bad-request', 'this server cannot send email (SMTP_URL); ask an admin to set a new password', 'email')
    await services.accountLimits.passwordReset(clientIp(ctx.req, services.config.trustProxy), body.email)
    requestPasswordReset(services, body.email)
    return new Reply(202, { ok: true, message: 'If this email has an account, a link to reset its password is on its way.' })
  })
  router.add('POST', '/api/auth/password-reset/complete', async (ctx) => {
    const body = parseInput(ResetPasswordBody, await ctx.body())
    await completePasswordReset(services, body.token, body.password)
    return { ok: true }
  })

  router.add('GET', '/api/auth/sessions', async (ctx) => {
    const me = await agentOf(services, ctx)
    return { items: await listSessions(services, me.agentId, me.tokenHash) }
  })
  router.add('POST', '/api/auth/sessions/sign-out-others', async (ctx) => {
    const me = await agentOf(services, ctx)
    return { ended: await endSessions(services, me.agentId, { exceptTokenHash: me.tokenHash }) }
  })
  router.add('DELETE', '/api/auth/sessions/:id', async (ctx) => {
    const me = await agentOf(services, ctx)
    return { ended: await endSessions(services, me.agentId, { id: ctx.params.id as string }) }
  })

  router.add('GET', '/api/me/notifications', async (ctx) => {
    const me = await agentOf(services, ctx)
    return { ...(await readNotificationPrefs(services.db, me.workspaceId, me.agentId)), emailConfigured: services.email.configured }
  })
  router.add('PUT', '/api/me/notifications', async (ctx) => {
    const me = await agentOf(services, ctx)
    const body = parseInput(NotificationPrefsBody, await ctx.body())
    return writeNotificationPrefs(services.db, me.workspaceId, me.agentId, body)
  })
}
