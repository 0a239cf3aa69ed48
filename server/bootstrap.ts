/** First start: a workspace, its owner and a widget, so `npm start` is a working desk with no extra step. */
import { createId } from '../protocol/index.ts'
import type { Db } from '../db/database.ts'
import { createAgent, countAgents } from '../db/agent.repository.ts'
import { createWidget, listWidgets } from '../db/widget.repository.ts'
import { createWorkspace, listWorkspaces } from '../db/workspace.repository.ts'
import { hashPassword } from './auth/passwords.ts'
import { createSecret } from './auth/tokens.ts'

export interface FirstRun { workspaceId: string; email: string; password: string; siteKey: string }

/** Returns the credentials it made, or null when the database already had an agent. */
export async function bootstrapFirstRun(db: Db, owner: { email: string; password: string | null }): Promise<FirstRun | null> {
  if ((await countAgents(db)) > 0) return null
  const workspaceId = (await listWorkspaces(db))[0]?.id ?? (await createWorkspace(db, { id: createId('ws'), name: 'My workspace', aiSettings: { enabled: true } })).id
  const password = owner.password ?? createSecret(12)
  await createAgent(db, { id: createId('a'), workspace_id: workspaceId, email: owner.email, name: 'Owner', role: 'owner', password_hash: await hashPassword(password) })
  const widget = (await listWidgets(db, workspaceId))[0] ?? (await createWidget(db, { id: createId('w'), workspace_id: workspaceId, site_key: createSecret(12), name: 'Website', config: '{}', secret: createSecret() }))
  return { workspaceId, email: owner.email, password, siteKey: widget.site_key }
}
