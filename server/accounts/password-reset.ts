/**
 * "Forgot password": the answer is the same, and returns as fast, whether or not the email has an
 * account: the lookup, the token and the email happen after the answer, off the request. The
 * link is single use and expires (PASSWORD_RESET_TTL_MINUTES); using it sets the password and
 * ends every session of the account, closing their sockets.
 */
import { ParleyError, createId } from '../../protocol/index.ts'
import { findAgentByEmail, updateAgent } from '../../db/agent.repository.ts'
import { findAccountToken, insertAccountToken, revokeOpenTokens, useAccountToken } from '../../db/account-token.repository.ts'
import { revokeAgentSessions } from '../../db/session.repository.ts'
import { hashPassword } from '../auth/passwords.ts'
import { createToken, hashToken } from '../auth/tokens.ts'
import type { Services } from '../services.ts'
import { agentEmailLanguage } from '../email/agent-language.ts'
import { renderEmail, templates } from '../email/templates.ts'

/** Starts a reset in the background; resolves at once whatever the email. The promise it returns is for tests. */
export function requestPasswordReset(services: Services, email: string): { done: Promise<void> } {
  const done = (async () => {
    const agent = await findAgentByEmail(services.db, email)
    if (!agent || agent.active !== 1 || !services.email.configured) return
    await revokeOpenTokens(services.db, 'reset', null, agent.email)
    const secret = createToken('pr')
    const expiresAt = Date.now() + services.config.resetTtlMs
    await insertAccountToken(services.db, { token_hash: hashToken(secret), id: createId('rst'), kind: 'reset', workspace_id: agent.workspace_id, agent_id: agent.id, email: agent.email, role: null, created_by: null, expires_at: expiresAt })
    const url = `${services.publicUrl()}/reset-password?token=${encodeURIComponent(secret)}`
    // The account's own language, never the asking browser's: whoever asks need not be its owner.
    const language = await agentEmailLanguage(services.db, agent.id)
    await services.email.queue({ workspaceId: agent.workspace_id, kind: 'reset', to: agent.email, agentId: agent.id, email: renderEmail(templates.reset({ language, email: agent.email, url, expiresAt }), language) })
  })().catch((error) => services.log.error('password reset request failed', { error }))
  return { done }
}

export async function completePasswordReset(services: Services, secret: string, password: string): Promise<void> {
  const token = await findAccountToken(services.db, hashToken(secret))
  const refused = new ParleyError('forbidden', 'this reset link was used already, replaced by a newer one, or has expired; ask for a new one', 'token')
  if (!token || token.kind !== 'reset' || !token.agent_id) throw refused
  const passwordHash = await hashPassword(password)
  if (!(await useAccountToken(services.db, token.token_hash))) throw refused
  await updateAgent(services.db, token.agent_id, { password_hash: passwordHash })
  await revokeAgentSessions(services.db, token.agent_id)
  await services.revocations.revoke({ kind: 'agent', agentId: token.agent_id, why: 'password-changed' })
  services.log.info('password reset', { agent: token.agent_id })
}
