import type { Db } from './database.ts'
import type { Session } from './tables.ts'

export async function createSession(db: Db, session: Omit<Session, 'revoked_at' | 'created_at' | 'user_agent' | 'ip' | 'language'> & { user_agent?: string | null; ip?: string | null; language?: string | null }): Promise<void> {
  await db.kysely.insertInto('sessions').values({ user_agent: null, ip: null, language: null, ...session, created_at: Date.now(), revoked_at: null }).execute()
}

/** The agent's sessions that can still be used, newest first (one per signed-in device and workspace). */
export const listAgentSessions = (db: Db, agentId: string, now = Date.now()): Promise<Session[]> =>
  db.kysely.selectFrom('sessions').selectAll().where('agent_id', '=', agentId).where('kind', '=', 'agent')
    .where('revoked_at', 'is', null).where('expires_at', '>', now).orderBy('created_at', 'desc').execute()

export const findSession = (db: Db, tokenHash: string): Promise<Session | undefined> =>
  db.kysely.selectFrom('sessions').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst()

export async function revokeSession(db: Db, tokenHash: string): Promise<void> {
  await db.kysely.updateTable('sessions').set({ revoked_at: Date.now() }).where('token_hash', '=', tokenHash).where('revoked_at', 'is', null).execute()
}

/** Revokes every session of the agent, except `keepTokenHash` when given (the one making the change). */
export async function revokeAgentSessions(db: Db, agentId: string, keepTokenHash?: string): Promise<void> {
  let query = db.kysely.updateTable('sessions').set({ revoked_at: Date.now() }).where('agent_id', '=', agentId).where('revoked_at', 'is', null)
  if (keepTokenHash) query = query.where('token_hash', '!=', keepTokenHash)
  await query.execute()
}

/** Deletes sessions that expired before `before`; returns how many. */
export async function deleteExpiredSessions(db: Db, before: number): Promise<number> {
  const result = await db.kysely.deleteFrom('sessions').where('expires_at', '<', before).executeTakeFirst()
  return Number(result.numDeletedRows)
}
