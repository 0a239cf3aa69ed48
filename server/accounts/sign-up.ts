/**
 * Open sign-up (PARLEY_SIGNUP=open): a new account, owner of a new workspace.
 *
 * With email (SMTP_URL), the address is verified first and the answer says nothing about it:
 * every request gets the same 202, as fast, and the work happens after the answer (like a
 * password reset). A new email gets a link (single use, expiring like an invitation, only its
 * hash kept); an email with an account gets "you already have an account" instead. The workspace
 * and its owner are made only when the link is used, with the password chosen then, so nobody
 * but the mailbox's owner ever sets it.
 *
 * Without email there is nothing to verify with: the account is made at once and a known email
 * is told so (409). That answer tells whether an address has an account; an install that opens
 * sign-up to the public should configure SMTP_URL (README, "Sign-up").
 */
import { ParleyError, createId } from '../../protocol/index.ts'
import { createAgent, findAgentByEmail } from '../../db/agent.repository.ts'
import { findAccountToken, insertAccountToken, revokeOpenTokens, useAccountToken } from '../../db/account-token.repository.ts'
import type { Db } from '../../db/database.ts'
import type { AccountToken } from '../../db/tables.ts'
import { createWidget } from '../../db/widget.repository.ts'
import { createWorkspace } from '../../db/workspace.repository.ts'
import { hashPassword } from '../auth/passwords.ts'
import { createSecret, createToken, hashToken } from '../auth/tokens.ts'
import { agentEmailLanguage, languageOfHeader } from '../email/agent-language.ts'
import { renderEmail, templates } from '../email/templates.ts'
import type { Services } from '../services.ts'

export interface SignUpInput { email: string; name: string; workspaceName: string; password?: string | undefined }
interface PendingSignUp { name: string; workspaceName: string }

const closed = () => new ParleyError('forbidden', 'sign-up is not open on this server; ask for an invitation')
const spent = () => new ParleyError('forbidden', 'this sign-up link was used already, replaced by a newer one, or has expired; sign up again', 'token')

/** Whether sign-up goes through an emailed link (open sign-up with SMTP configured). */
export const signUpVerifies = (services: Services): boolean => services.config.signup === 'open' && services.email.configured

/** Without email: the workspace and its owner at once (a known email is a 409, see above). */
export async function signUpAtOnce(services: Services, input: SignUpInput): Promise<{ agentId: string; workspaceId: string }> {
  if (services.config.signup !== 'open') throw closed()
  if (!input.password) throw new ParleyError('bad-request', 'password: is required', 'password')
  if (await findAgentByEmail(services.db, input.email)) throw new ParleyError('conflict', 'this email has an account already: sign in, then create the workspace from the app', 'email')
  return createOwnedWorkspace(services.db, { workspaceId: createId('ws'), workspaceName: input.workspaceName, email: input.email, name: input.name, passwordHash: await hashPassword(input.password) })
}

/**
 * With email: resolves at once, whatever the email; the link or the "you have an account" email
 * follows off the request. The promise it returns is for tests.
 */
export function requestSignUp(services: Services, input: SignUpInput, acceptLanguage: string | null): { done: Promise<void> } {
  const done = (async () => {
    const known = await findAgentByEmail(services.db, input.email)
    const base = services.publicUrl()
    if (known) {
      const language = await agentEmailLanguage(services.db, known.id, acceptLanguage)
      // Filed under no workspace: no admin's log learns that someone tried this address.
      await services.email.queue({ workspaceId: createId('ws'), kind: 'account-exists', to: known.email, email: renderEmail(templates['account-exists']({ language, email: known.email, url: `${base}/` }), language) })
      return
    }
    const language = languageOfHeader(acceptLanguage) ?? 'en'
    await revokeOpenTokens(services.db, 'signup', null, input.email)
    const secret = createToken('pv')
    const expiresAt = Date.now() + services.config.inviteTtlMs
    const details: PendingSignUp = { name: input.name, workspaceName: input.workspaceName }
    // The token's workspace is the one it will make: the verification email is in that workspace's log once it exists.
    const token = await insertAccountToken(services.db, {
      token_hash: hashToken(secret), id: createId('su'), kind: 'signup', workspace_id: createId('ws'), agent_id: null, email: input.email, role: null, created_by: null, expires_at: expiresAt, details: JSON.stringify(details),
    })
    const url = `${base}/verify-sign-up?token=${encodeURIComponent(secret)}`
    await services.email.queue({ workspaceId: token.workspace_id, kind: 'signup', to: input.email, email: renderEmail(templates.signup({ language, email: input.email, workspace: input.workspaceName, url, expiresAt }), language) })
  })().catch((error) => services.log.error('sign-up request failed', { error }))
  return { done }
}

async function openToken(services: Services, secret: string): Promise<AccountToken & { pending: PendingSignUp }> {
  const token = await findAccountToken(services.db, hashToken(secret))
  if (!token || token.kind !== 'signup' || token.used_at || token.revoked_at || token.expires_at <= Date.now() || !token.details) throw spent()
  return { ...token, pending: JSON.parse(token.details) as PendingSignUp }
}

/** What the link's page shows before the password is chosen. */
export async function describeSignUp(services: Services, secret: string) {
  if (services.config.signup !== 'open') throw closed()
  const token = await openToken(services, secret)
  return { email: token.email, name: token.pending.name, workspaceName: token.pending.workspaceName, expiresAt: token.expires_at }
}

/** Uses the link: the workspace and its owner, made and the link spent in one transaction. */
export async function completeSignUp(services: Services, secret: string, password: string): Promise<{ agentId: string; workspaceId: string }> {
  if (services.config.signup !== 'open') throw closed()
  const token = await openToken(services, secret)
  if (await findAgentByEmail(services.db, token.email)) throw new ParleyError('conflict', 'this email has an account now: sign in, then create the workspace from the app', 'token')
  const passwordHash = await hashPassword(password)
  try {
    return await services.db.kysely.transaction().execute(async (trx) => {
      const db: Db = { ...services.db, kysely: trx }
      // Of two uses racing on one link (or two instances), one spends it; the other is told.
      if (!(await useAccountToken(db, token.token_hash))) throw spent()
      return createOwnedWorkspace(db, { workspaceId: token.workspace_id, workspaceName: token.pending.workspaceName, email: token.email, name: token.pending.name, passwordHash })
    })
  } catch (error) {
    // Two different links of one address used at once: the address is unique, the second is told.
    if (!(error instanceof ParleyError) && /unique|duplicate/i.test(String((error as Error).message))) throw new ParleyError('conflict', 'this email has an account now: sign in', 'token')
    throw error
  }
}

/** Every workspace starts as the first one does: the workspace, its owner and a widget. */
async function createOwnedWorkspace(db: Db, v: { workspaceId: string; workspaceName: string; email: string; name: string; passwordHash: string }): Promise<{ agentId: string; workspaceId: string }> {
  const workspace = await createWorkspace(db, { id: v.workspaceId, name: v.workspaceName, aiSettings: { enabled: true } })
  const agent = await createAgent(db, { id: createId('a'), workspace_id: workspace.id, email: v.email, name: v.name, role: 'owner', password_hash: v.passwordHash })
  await createWidget(db, { id: createId('w'), workspace_id: workspace.id, site_key: createSecret(12), name: 'Website', config: '{}', secret: createSecret() })
  return { agentId: agent.id, workspaceId: workspace.id }
}
