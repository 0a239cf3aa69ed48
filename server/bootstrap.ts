/** First start: a workspace, its owner and a widget, so `npm start` is a working desk with no extra step. */
import { createId } from '../protocol/index.ts'
import type { Db } from '../db/database.ts'
import { createAgent, countAgents } from '../db/agent.repository.ts'
import { createWidget, listWidgets } from '../db/widget.repository.ts'
import { createWorkspace, listWorkspaces } from '../db/workspace.repository.ts'
import { LOCK_KEYS, underSetupLock } from '../db/setup-lock.ts'
import { hashPassword } from './auth/passwords.ts'
import { createSecret } from './auth/tokens.ts'
import { seedExampleArticle } from './knowledge-base/example-article.ts'

export interface FirstRun { workspaceId: string; email: string; password: string; siteKey: string }

/**
 * Returns the credentials it made, or null when the database already had an agent. Safe with
 * any number of instances starting at once: the check and the inserts run under one lock
 * (an advisory lock on PostgreSQL, a write lock on SQLite), so one instance creates the
 * workspace and owner and the others wait for it, then find them and return null.
 */
/**
 * `exampleArticle`: the new workspace starts with one example article (what `npm start` does;
 * tests of other things start with an empty knowledge base).
 */
export async function bootstrapFirstRun(db: Db, owner: { email: string; password: string | null }, options: { exampleArticle?: boolean } = {}): Promise<FirstRun | null> {
  if ((await countAgents(db)) > 0) return null
  const password = owner.password ?? createSecret(12)
  // Hashed before the lock: scrypt takes tens of milliseconds the others need not wait for.
  const passwordHash = await hashPassword(password)
  return underSetupLock(db, LOCK_KEYS.firstRun, async (locked) => {
    if ((await countAgents(locked)) > 0) return null
    const workspaceId = (await listWorkspaces(locked))[0]?.id ?? (await createWorkspace(locked, { id: createId('ws'), name: 'My workspace', aiSettings: { enabled: true } })).id
    await createAgent(locked, { id: createId('a'), workspace_id: workspaceId, email: owner.email, name: 'Owner', role: 'owner', password_hash: passwordHash })
    if (options.exampleArticle) await seedExampleArticle(locked, workspaceId)
    const widget = (await listWidgets(locked, workspaceId))[0] ?? (await createWidget(locked, { id: createId('w'), workspace_id: workspaceId, site_key: createSecret(12), name: 'Website', config: '{}', secret: createSecret() }))
    return { workspaceId, email: owner.email, password, siteKey: widget.site_key }
  })
}
