/**
 * Workspaces: who may create one (PARLEY_SIGNUP), creating one for a signed-in agent, and
 * removing an agent from a workspace (signing up: sign-up.ts). Every workspace starts as the first one does: a
 * workspace, its owner and a widget, so it is a working desk at once.
 */
import { ParleyError, createId, type Role } from '../../protocol/index.ts'
import { addMember, getMember, updateMember } from '../../db/agent.repository.ts'
import { createWidget } from '../../db/widget.repository.ts'
import { createWorkspace } from '../../db/workspace.repository.ts'
import { appendMessage, readMeta, updateMeta } from '../../protocol/index.ts'
import { assertMayAssignRole } from '../auth/role-rules.ts'
import { createSecret } from '../auth/tokens.ts'
import { SERVER_ORIGIN } from '../conversation-service.ts'
import type { Services } from '../services.ts'
import { endWorkspaceSessions } from './sessions.ts'

/** The first start's owner: the first agent ever made (bootstrap makes it before anyone else). */
export async function installOwnerId(services: Services): Promise<string | null> {
  const row = await services.db.kysely.selectFrom('agents').select('id').where('role', '=', 'owner').orderBy('created_at').orderBy('id').executeTakeFirst()
  return row?.id ?? null
}

/** Throws unless `me` may create another workspace under the configured policy. */
export async function assertMayCreateWorkspace(services: Services, me: { agentId: string; role: Role }): Promise<void> {
  const mode = services.config.signup
  if (mode === 'disabled') throw new ParleyError('forbidden', 'creating workspaces is turned off on this server (PARLEY_SIGNUP=disabled)')
  if (mode === 'open') return
  if (mode === 'invite-only') { if (me.role !== 'owner') throw new ParleyError('forbidden', 'only a workspace owner creates workspaces here (PARLEY_SIGNUP=invite-only)'); return }
  if (me.agentId !== (await installOwnerId(services))) throw new ParleyError('forbidden', 'only the owner made at first start creates workspaces here (PARLEY_SIGNUP=owner)')
}

/** A workspace with `ownerId` as its owner and a first widget. */
export async function createWorkspaceFor(services: Services, ownerId: string, name: string): Promise<{ id: string; name: string }> {
  const workspace = await createWorkspace(services.db, { id: createId('ws'), name, aiSettings: { enabled: true } })
  await addMember(services.db, { workspace_id: workspace.id, agent_id: ownerId, role: 'owner' })
  await createWidget(services.db, { id: createId('w'), workspace_id: workspace.id, site_key: createSecret(12), name: 'Website', config: '{}', secret: createSecret() })
  return { id: workspace.id, name: workspace.name }
}

/**
 * Removes an agent from a workspace: their membership ends (kept, so their replies stay
 * attributed to them by name in reports), their sessions there end and close their sockets, and
 * their open conversations go back to the queue, each with an event saying why.
 */
export async function removeAgent(services: Services, me: { workspaceId: string; agentId: string; role: Role }, agentId: string): Promise<{ unassigned: number }> {
  const target = await getMember(services.db, me.workspaceId, agentId)
  if (!target) throw new ParleyError('not-found', 'no such agent')
  if (target.role === 'owner') throw new ParleyError('forbidden', 'the owner cannot be removed', 'id')
  if (agentId === me.agentId) throw new ParleyError('forbidden', 'you cannot remove yourself', 'id')
  assertMayAssignRole(me.role, 'agent', target.role)
  await updateMember(services.db, me.workspaceId, agentId, { removed_at: Date.now(), active: 0 })
  await endWorkspaceSessions(services, agentId, me.workspaceId, 'removed-from-workspace')
  const name = (await services.db.kysely.selectFrom('agents').select('name').where('id', '=', agentId).executeTakeFirst())?.name ?? 'An agent'
  const open = await services.db.kysely.selectFrom('conversations').select('id').where('workspace_id', '=', me.workspaceId).where('assignee_id', '=', agentId).where('status', '!=', 'resolved').execute()
  let unassigned = 0
  for (const { id } of open) {
    // Routing owns who has a conversation (issue 12): back to its queue through it, then say why.
    const routing = await services.routing.assignments.routingOf(me.workspaceId, id)
    if (routing.assignee_id !== agentId) continue
    await services.routing.assignments.transfer(me, id, {})
    const now = Date.now()
    await services.conversations.change(id, (doc) => {
      appendMessage(doc, { id: `removed-${agentId}-${now}`.slice(0, 80), author: { role: 'system', id: 'parley', name: 'Parley' }, kind: 'event', text: `${name} was removed from the workspace; the conversation is back in the queue`, attachments: [], createdAt: now }, SERVER_ORIGIN)
    })
    unassigned += 1
  }
  if (unassigned > 0) void services.routing.autoAssign.request(me.workspaceId)
  services.log.info('agent removed from workspace', { agent: agentId, workspace: me.workspaceId, unassigned })
  return { unassigned }
}
