/**
 * Invitations: an owner or admin invites an email with a role; the link (single use, expiring)
 * lets the invitee choose their password, or, when that email already has a Parley account,
 * adds the workspace to it. Resending makes a new link and ends the old one.
 */
import { ParleyError, createId, type Role } from '../../protocol/index.ts'
import { addMember, createAgent, findAgentByEmail, getAgent, getMember } from '../../db/agent.repository.ts'
import { findAccountToken, getAccountToken, insertAccountToken, listOpenInvitations, revokeOpenTokens, useAccountToken } from '../../db/account-token.repository.ts'
import type { AccountToken } from '../../db/tables.ts'
import { getWorkspace } from '../../db/workspace.repository.ts'
import { hashPassword } from '../auth/passwords.ts'
import { assertMayAssignRole } from '../auth/role-rules.ts'
import { createToken, hashToken } from '../auth/tokens.ts'
import type { Services } from '../services.ts'
import { agentEmailLanguage } from '../email/agent-language.ts'
import { renderEmail, templates } from '../email/templates.ts'

type Inviter = { workspaceId: string; agentId: string; role: Role; name: string }

export const publicInvitation = (t: AccountToken, now = Date.now()) => ({
  id: t.id, email: t.email, role: t.role, createdAt: t.created_at, expiresAt: t.expires_at,
  status: t.revoked_at ? 'revoked' : t.used_at ? 'accepted' : t.expires_at <= now ? 'expired' : 'pending',
})

export interface InviteResult {
  invitation: ReturnType<typeof publicInvitation>
  /** Whether the link went out by email (queued: its delivery is in the email log). */
  emailed: boolean
  /** The link itself, only when this server cannot send email: the inviter passes it on. */
  link?: string
}

/** `acceptLanguage`: the inviter's request's, for an inviter whose app follows their browser (the invitee reads the inviter's language). */
export async function invite(services: Services, me: Inviter, email: string, role: 'admin' | 'agent' | 'viewer', acceptLanguage?: string | null): Promise<InviteResult> {
  assertMayAssignRole(me.role, role)
  const existing = await findAgentByEmail(services.db, email)
  if (existing && (await getMember(services.db, me.workspaceId, existing.id))) throw new ParleyError('conflict', 'this person is already a member of the workspace', 'email')
  await revokeOpenTokens(services.db, 'invite', me.workspaceId, email)
  return issue(services, me, email, role, acceptLanguage)
}

export async function resend(services: Services, me: Inviter, id: string, acceptLanguage?: string | null): Promise<InviteResult> {
  const old = await getAccountToken(services.db, me.workspaceId, id)
  if (!old || old.kind !== 'invite') throw new ParleyError('not-found', 'no such invitation')
  if (old.used_at) throw new ParleyError('conflict', 'this invitation was accepted already', 'id')
  if (old.revoked_at) throw new ParleyError('conflict', 'this invitation was revoked; invite again', 'id')
  assertMayAssignRole(me.role, old.role ?? 'agent')
  await revokeOpenTokens(services.db, 'invite', me.workspaceId, old.email)
  return issue(services, me, old.email, old.role ?? 'agent', acceptLanguage)
}

export async function revoke(services: Services, me: Inviter, id: string): Promise<void> {
  const token = await getAccountToken(services.db, me.workspaceId, id)
  if (!token || token.kind !== 'invite') throw new ParleyError('not-found', 'no such invitation')
  if (token.used_at) throw new ParleyError('conflict', 'this invitation was accepted already; remove the agent instead', 'id')
  assertMayAssignRole(me.role, token.role ?? 'agent')
  await revokeOpenTokens(services.db, 'invite', me.workspaceId, token.email)
}

export const listInvitations = async (services: Services, workspaceId: string) => (await listOpenInvitations(services.db, workspaceId)).map((t) => publicInvitation(t))

async function issue(services: Services, me: Inviter, email: string, role: 'admin' | 'agent' | 'viewer', acceptLanguage?: string | null): Promise<InviteResult> {
  const secret = createToken('pi')
  const expiresAt = Date.now() + services.config.inviteTtlMs
  const row = await insertAccountToken(services.db, { token_hash: hashToken(secret), id: createId('inv'), kind: 'invite', workspace_id: me.workspaceId, agent_id: null, email, role, created_by: me.agentId, expires_at: expiresAt })
  const link = `${services.publicUrl()}/accept-invitation?token=${encodeURIComponent(secret)}`
  const workspace = await getWorkspace(services.db, me.workspaceId)
  if (!services.email.configured) return { invitation: publicInvitation(row), emailed: false, link }
  // Parley has no language of a workspace: the invitee reads the inviter's (the team's language, most likely).
  const language = await agentEmailLanguage(services.db, me.agentId, acceptLanguage)
  await services.email.queue({
    workspaceId: me.workspaceId, kind: 'invite', to: email, agentId: me.agentId,
    email: renderEmail(templates.invite({ language, inviter: me.name, workspace: workspace?.name ?? 'Parley', role, url: link, expiresAt }), language),
  })
  return { invitation: publicInvitation(row), emailed: true }
}

/** What the accept page shows before the invitee decides; refuses a spent or unknown link. */
export async function describeInvitation(services: Services, secret: string) {
  const token = await openToken(services, secret)
  const [workspace, inviter, account] = await Promise.all([
    getWorkspace(services.db, token.workspace_id), token.created_by ? getAgent(services.db, token.created_by) : undefined, findAgentByEmail(services.db, token.email),
  ])
  return { email: token.email, role: token.role, workspace: { id: token.workspace_id, name: workspace?.name ?? '' }, inviter: inviter?.name ?? null, hasAccount: Boolean(account), expiresAt: token.expires_at }
}

/**
 * Accepts: a new account gets the name and password given; an existing one keeps its password
 * and gains the workspace. Returns the agent id and workspace; the caller signs them in.
 */
export async function acceptInvitation(services: Services, secret: string, input: { name?: string; password?: string }): Promise<{ agentId: string; workspaceId: string }> {
  const token = await openToken(services, secret)
  const account = await findAgentByEmail(services.db, token.email)
  if (!account && (!input.name || !input.password)) throw new ParleyError('bad-request', `${input.name ? 'password' : 'name'}: is required to create your account`, input.name ? 'password' : 'name')
  const passwordHash = !account && input.password ? await hashPassword(input.password) : null
  // The conditional write decides: of two accepts racing on one link, one wins and the other is told.
  if (!(await useAccountToken(services.db, token.token_hash))) throw spent()
  const role = token.role ?? 'agent'
  if (account) {
    await addMember(services.db, { workspace_id: token.workspace_id, agent_id: account.id, role })
    return { agentId: account.id, workspaceId: token.workspace_id }
  }
  const agent = await createAgent(services.db, { id: createId('a'), workspace_id: token.workspace_id, email: token.email, name: input.name!, role, password_hash: passwordHash! })
  return { agentId: agent.id, workspaceId: token.workspace_id }
}

const spent = () => new ParleyError('forbidden', 'this invitation link was used already, revoked, or has expired; ask for a new one', 'token')

async function openToken(services: Services, secret: string): Promise<AccountToken> {
  const token = await findAccountToken(services.db, hashToken(secret))
  if (!token || token.kind !== 'invite' || token.used_at || token.revoked_at || token.expires_at <= Date.now()) throw spent()
  return token
}
