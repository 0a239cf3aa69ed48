/**
 * Invitations and password resets. A link carries a random token; only its sha256 is stored.
 * Using one is a conditional write (unused, not revoked, not expired), so a link works exactly
 * once even when two requests, or two instances, race on it.
 */
import type { Db } from './database.ts'
import type { AccountToken } from './tables.ts'

export async function insertAccountToken(db: Db, row: Omit<AccountToken, 'used_at' | 'revoked_at' | 'created_at' | 'details'> & { details?: string | null }): Promise<AccountToken> {
  const token: AccountToken = { details: null, ...row, created_at: Date.now(), used_at: null, revoked_at: null }
  await db.kysely.insertInto('account_tokens').values(token).execute()
  return token
}

export const findAccountToken = (db: Db, tokenHash: string): Promise<AccountToken | undefined> =>
  db.kysely.selectFrom('account_tokens').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst()

export const getAccountToken = (db: Db, workspaceId: string, id: string): Promise<AccountToken | undefined> =>
  db.kysely.selectFrom('account_tokens').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst()

/** Marks the token used; false when it was used, revoked or expired meanwhile (the link is spent). */
export async function useAccountToken(db: Db, tokenHash: string, now = Date.now()): Promise<boolean> {
  const result = await db.kysely.updateTable('account_tokens').set({ used_at: now })
    .where('token_hash', '=', tokenHash).where('used_at', 'is', null).where('revoked_at', 'is', null).where('expires_at', '>', now).executeTakeFirst()
  return Number(result.numUpdatedRows) === 1
}

/** Revokes the open tokens of a kind for an email in a workspace (a resend replaces the old link; a revoke ends it). */
export async function revokeOpenTokens(db: Db, kind: AccountToken['kind'], workspaceId: string | null, email: string, now = Date.now()): Promise<number> {
  let query = db.kysely.updateTable('account_tokens').set({ revoked_at: now }).where('kind', '=', kind).where('email', '=', email)
    .where('used_at', 'is', null).where('revoked_at', 'is', null)
  if (workspaceId) query = query.where('workspace_id', '=', workspaceId)
  const result = await query.executeTakeFirst()
  return Number(result.numUpdatedRows)
}

/** The workspace's invitations not yet accepted nor revoked (expired ones too, so they can be resent). */
export const listOpenInvitations = (db: Db, workspaceId: string): Promise<AccountToken[]> =>
  db.kysely.selectFrom('account_tokens').selectAll().where('workspace_id', '=', workspaceId).where('kind', '=', 'invite')
    .where('used_at', 'is', null).where('revoked_at', 'is', null).orderBy('created_at', 'desc').execute()

/**
 * Housekeeping: deletes the links that can never work again, `graceMs` after they stopped working
 * (used, revoked or expired), so an expired invitation stays listed for a resend a while. A live
 * link (unused, unrevoked, unexpired) is never touched. Returns how many of each kind went.
 */
export async function deleteSpentAccountTokens(db: Db, now: number, graceMs: number): Promise<{ invite: number; reset: number }> {
  const before = now - graceMs
  const deleted = { invite: 0, reset: 0 }
  for (const kind of ['invite', 'reset'] as const) {
    const result = await db.kysely.deleteFrom('account_tokens').where('kind', '=', kind)
      .where((eb) => eb.or([eb('used_at', '<', before), eb('revoked_at', '<', before), eb('expires_at', '<', before)]))
      .executeTakeFirst()
    deleted[kind] = Number(result.numDeletedRows)
  }
  return deleted
}
