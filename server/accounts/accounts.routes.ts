/** HTTP routes of workspaces, invitations, passwords and sessions (issue 15). */
import {
  AcceptInviteBody, CompleteSignUpBody, CreateWorkspaceBody, SignUpTokenQuery, InviteBody, InviteTokenQuery, NotificationPrefsBody, ParleyError,
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
import { assertMayCreateWorkspace, createWorkspaceFor, removeAgent } from './workspaces.ts'
import { completeSignUp, describeSignUp, requestSignUp, signUpAtOnce, signUpVerifies } from './sign-up.ts'

const acceptLanguageOf = (req: { headers: Record<string, string | string[] | undefined> }): string | null => {
  const value = req.headers['accept-language']
  return typeof value === 'string' ? value.slice(0, 200) : null
}

export function addAccountRoutes(router: Router, services: Services): void {
  // What the sign-in page may offer: sign-up, "forgot password" (only when email can be sent).
  router.add('GET', '/api/auth/options', async () => ({ signUp: services.config.signup === 'open', signUpVerifiesEmail: signUpVerifies(services), passwordReset: services.email.configured }), { summary: 'What the sign-in page may offer (sign-up, whether it verifies the email, password reset)', tag: 'Auth', auth: 'public' })

  router.add('POST', '/api/auth/sign-up', async (ctx) => {
    const body = parseInput(SignUpBody, await ctx.body())
    if (services.config.signup !== 'open') throw new ParleyError('forbidden', 'sign-up is not open on this server; ask for an invitation')
    if (!signUpVerifies(services)) {
      const made = await signUpAtOnce(services, body)
      return new Reply(201, await openAgentSession(services, made.agentId, made.workspaceId, ctx.req))
    }
    if (body.password !== undefined) throw new ParleyError('bad-request', 'password: is chosen when you open the link we email you, not here', 'password')
    // Counted for every address, known or not, before answering: a 429 tells nothing either.
    await services.accountLimits.signUp(clientIp(ctx.req, services.config.trustProxy), body.email)
    requestSignUp(services, body, acceptLanguageOf(ctx.req))
    return new Reply(202, { ok: true, verify: true, message: 'Check your inbox: a link to finish signing up is on its way.' })
  }, {
    summary: 'Sign up (when open). With email configured: 202 whatever the address, and an emailed link finishes it (no password here); without: the account and workspace at once, signed in (201; 409 for a known email)',
    tag: 'Auth', auth: 'public', body: SignUpBody, status: 201,
  })
  router.add('GET', '/api/auth/sign-up/verify', async (ctx) => describeSignUp(services, parseInput(SignUpTokenQuery, ctx.query).token), { summary: 'What an emailed sign-up link makes (the link\'s token is the credential)', tag: 'Auth', auth: 'public', query: SignUpTokenQuery })
  router.add('POST', '/api/auth/sign-up/verify', async (ctx) => {
    const body = parseInput(CompleteSignUpBody, await ctx.body())
    const made = await completeSignUp(services, body.token, body.password)
    return new Reply(201, await openAgentSession(services, made.agentId, made.workspaceId, ctx.req))
  }, { summary: 'Use an emailed sign-up link: the workspace and its owner are made with this password, signed in', tag: 'Auth', auth: 'public', body: CompleteSignUpBody, status: 201 })

  router.add('GET', '/api/workspaces', async (ctx) => {
    const me = await agentOf(services, ctx)
    const items = (await listMemberships(services.db, me.agentId)).map((m) => ({ id: m.workspaceId, name: m.name, role: m.role, active: m.active === 1, current: m.workspaceId === me.workspaceId }))
    let mayCreate = true
    try { await assertMayCreateWorkspace(services, me) } catch { mayCreate = false }
    return { items, mayCreate }
  }, { summary: 'The workspaces the caller belongs to, and whether they may create another', tag: 'Workspaces', auth: 'viewer' })

  router.add('POST', '/api/workspaces', async (ctx) => {
    const me = await agentOf(services, ctx)
    const body = parseInput(CreateWorkspaceBody, await ctx.body())
    await assertMayCreateWorkspace(services, me)
    return new Reply(201, await createWorkspaceFor(services, me.agentId, body.name))
  }, { summary: 'Create a workspace the caller owns', tag: 'Workspaces', auth: 'viewer', body: CreateWorkspaceBody, status: 201 })

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
  }, { summary: 'A session in another of the caller\'s workspaces; the current session ends', tag: 'Auth', auth: 'viewer', body: SwitchWorkspaceBody })

  router.add('GET', '/api/invitations', async (ctx) => {
    const me = await agentOf(services, ctx, 'admin')
    return { items: await listInvitations(services, me.workspaceId) }
  }, { summary: 'Pending invitations of the workspace', tag: 'Invitations', auth: 'admin' })
  router.add('POST', '/api/invitations', async (ctx) => {
    const me = await agentOf(services, ctx, 'admin')
    const body = parseInput(InviteBody, await ctx.body())
    await services.accountLimits.invitation(me.workspaceId)
    return new Reply(201, await invite(services, me, body.email, body.role, acceptLanguageOf(ctx.req)))
  }, { summary: 'Invite someone by email (only the owner invites admins)', tag: 'Invitations', auth: 'admin', body: InviteBody, status: 201 })
  router.add('POST', '/api/invitations/:id/resend', async (ctx) => resend(services, await agentOf(services, ctx, 'admin'), ctx.params.id as string, acceptLanguageOf(ctx.req)), { summary: 'Send an invitation again with a new link', tag: 'Invitations', auth: 'admin' })
  router.add('DELETE', '/api/invitations/:id', async (ctx) => {
    await revoke(services, await agentOf(services, ctx, 'admin'), ctx.params.id as string)
    return { ok: true }
  }, { summary: 'Revoke an invitation (its link stops working)', tag: 'Invitations', auth: 'admin' })
  // The invitee's side: no session yet; the link's token is the credential.
  router.add('GET', '/api/auth/invitation', async (ctx) => describeInvitation(services, parseInput(InviteTokenQuery, ctx.query).token), { summary: 'What an invitation link invites to (the link\'s token is the credential)', tag: 'Invitations', auth: 'public', query: InviteTokenQuery })
  router.add('POST', '/api/auth/invitation/accept', async (ctx) => {
    const body = parseInput(AcceptInviteBody, await ctx.body())
    const accepted = await acceptInvitation(services, body.token, body)
    return new Reply(201, await openAgentSession(services, accepted.agentId, accepted.workspaceId, ctx.req))
  }, { summary: 'Accept an invitation (new account or existing one), signed in', tag: 'Invitations', auth: 'public', body: AcceptInviteBody, status: 201 })

  router.add('DELETE', '/api/agents/:id', async (ctx) => {
    const me = await agentOf(services, ctx, 'admin')
    return removeAgent(services, me, ctx.params.id as string)
  }, { summary: 'Remove an agent from the workspace (their sessions here end)', tag: 'Agents', auth: 'admin' })

  router.add('POST', '/api/auth/password-reset', async (ctx) => {
    const body = parseInput(ResetRequestBody, await ctx.body())
    if (!services.email.configured) throw new ParleyError('bad-request', 'this server cannot send email (SMTP_URL); ask an admin to set a new password', 'email')
    await services.accountLimits.passwordReset(clientIp(ctx.req, services.config.trustProxy), body.email)
    requestPasswordReset(services, body.email)
    return new Reply(202, { ok: true, message: 'If this email has an account, a link to reset its password is on its way.' })
  }, { summary: 'Email a password-reset link (the same answer whether or not the account exists)', tag: 'Auth', auth: 'public', body: ResetRequestBody, status: 202 })
  router.add('POST', '/api/auth/password-reset/complete', async (ctx) => {
    const body = parseInput(ResetPasswordBody, await ctx.body())
    await completePasswordReset(services, body.token, body.password)
    return { ok: true }
  }, { summary: 'Set a new password with a reset link\'s token (every session ends)', tag: 'Auth', auth: 'public', body: ResetPasswordBody })

  router.add('GET', '/api/auth/sessions', async (ctx) => {
    const me = await agentOf(services, ctx)
    return { items: await listSessions(services, me.agentId, me.tokenHash) }
  }, { summary: 'The caller\'s signed-in sessions', tag: 'Auth', auth: 'viewer' })
  router.add('POST', '/api/auth/sessions/sign-out-others', async (ctx) => {
    const me = await agentOf(services, ctx)
    return { ended: await endSessions(services, me.agentId, { exceptTokenHash: me.tokenHash }) }
  }, { summary: 'End every session of the caller but this one', tag: 'Auth', auth: 'viewer' })
  router.add('DELETE', '/api/auth/sessions/:id', async (ctx) => {
    const me = await agentOf(services, ctx)
    return { ended: await endSessions(services, me.agentId, { id: ctx.params.id as string }) }
  }, { summary: 'End one of the caller\'s sessions', tag: 'Auth', auth: 'viewer' })

  router.add('GET', '/api/me/notifications', async (ctx) => {
    const me = await agentOf(services, ctx)
    return { ...(await readNotificationPrefs(services.db, me.workspaceId, me.agentId)), emailConfigured: services.email.configured }
  }, { summary: 'The caller\'s email notification preferences in this workspace', tag: 'Auth', auth: 'viewer' })
  router.add('PUT', '/api/me/notifications', async (ctx) => {
    const me = await agentOf(services, ctx)
    const body = parseInput(NotificationPrefsBody, await ctx.body())
    return writeNotificationPrefs(services.db, me.workspaceId, me.agentId, body)
  }, { summary: 'Set the caller\'s email notification preferences in this workspace', tag: 'Auth', auth: 'viewer', body: NotificationPrefsBody })
}
