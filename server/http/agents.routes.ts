import { CreateAgentBody, ParleyError, UpdateAgentBody, createId, parseInput } from '../../protocol/index.ts'
import { createAgent, findAgentByEmail, getWorkspaceAgent, listAgents, updateAgent, updateMember } from '../../db/agent.repository.ts'
import { endWorkspaceSessions } from '../accounts/sessions.ts'
import { hashPassword } from '../auth/passwords.ts'
import { assertMayAssignRole } from '../auth/role-rules.ts'
import type { Services } from '../services.ts'
import { publicAgent } from './auth.routes.ts'
import { agentOf } from './principal.ts'
import { Reply, type Router } from './router.ts'

export function addAgentRoutes(router: Router, services: Services): void {
  router.add('GET', '/api/agents', async (ctx) => {
    const me = await agentOf(services, ctx)
    return { items: (await listAgents(services.db, me.workspaceId)).map(publicAgent) }
  }, { summary: 'List the workspace\'s agents', tag: 'Agents', auth: 'viewer' })

  router.add('POST', '/api/agents', async (ctx) => {
    const me = await agentOf(services, ctx, 'admin')
    const body = parseInput(CreateAgentBody, await ctx.body())
    assertMayAssignRole(me.role, body.role)
    if (await findAgentByEmail(services.db, body.email)) throw new ParleyError('conflict', 'this email has a Parley account already (here or in another workspace): invite it instead', 'email')
    const agent = await createAgent(services.db, { id: createId('a'), workspace_id: me.workspaceId, email: body.email, name: body.name, role: body.role, password_hash: await hashPassword(body.password) })
    return new Reply(201, publicAgent(agent))
  }, { summary: 'Add an agent (only the owner makes admins)', tag: 'Agents', auth: 'admin', body: CreateAgentBody, status: 201 })

  router.add('PATCH', '/api/agents/:id', async (ctx) => {
    const me = await agentOf(services, ctx, 'admin')
    const body = parseInput(UpdateAgentBody, await ctx.body())
    const target = await getWorkspaceAgent(services.db, me.workspaceId, ctx.params.id as string)
    if (!target) throw new ParleyError('not-found', 'no such agent')
    if (target.role === 'owner' && (body.role !== undefined || body.active === false)) throw new ParleyError('forbidden', 'the owner\'s role cannot be changed', 'role')
    if (target.id === me.agentId && body.active === false) throw new ParleyError('forbidden', 'you cannot deactivate yourself', 'active')
    if (body.role !== undefined && body.role !== target.role) assertMayAssignRole(me.role, body.role, target.role)
    // The name is the person's; role and active are their membership of this workspace.
    if (body.name !== undefined) await updateAgent(services.db, target.id, { name: body.name })
    await updateMember(services.db, me.workspaceId, target.id, {
      ...(body.role !== undefined ? { role: body.role } : {}),
      ...(body.active !== undefined ? { active: body.active ? 1 : 0 } : {}),
    })
    const updated = await getWorkspaceAgent(services.db, me.workspaceId, target.id)
    if (body.active === false) {
      // Deactivated here: their sessions in this workspace end; their other workspaces go on.
      await endWorkspaceSessions(services, target.id, me.workspaceId, 'deactivated')
    } else if (body.role !== undefined && body.role !== target.role) {
      // Open sockets were authorised for the old role (a viewer's are read-only): reconnect them.
      await services.revocations.revoke({ kind: 'agent', agentId: target.id, why: 'role-changed' })
    }
    return publicAgent(updated!)
  }, { summary: 'Change an agent\'s name, role or password, or deactivate them (their sockets close at once)', tag: 'Agents', auth: 'admin', body: UpdateAgentBody })
}
