import { authenticate, requireAgent, type Principal } from '../auth/principal.ts'
import type { Role } from '../../protocol/index.ts'
import { ParleyError } from '../../protocol/index.ts'
import { authenticateApiKey, isApiKeyToken, logApiKeyRequest } from '../api-keys/api-key-auth.ts'
import type { Services } from '../services.ts'
import type { RequestContext } from './router.ts'

/** Who is asking: a session (agent, visitor), the service token, or an API key acting as an agent. */
export async function principalOf(services: Services, ctx: RequestContext): Promise<Principal> {
  const token = ctx.bearer()
  if (!isApiKeyToken(token)) return authenticate(services.db, services.serviceTokenHash, token)
  const principal = await authenticateApiKey(services.db, token)
  ctx.onFinish((status, ms) => logApiKeyRequest(services.db, services.log, principal.apiKeyId as string, ctx.req.method ?? '', ctx.route, status, ms))
  return principal
}

export async function agentOf(services: Services, ctx: RequestContext, role: Role = 'viewer') {
  return requireAgent(await principalOf(services, ctx), role)
}

/** An agent signed in with a session, not an API key: for managing the keys themselves (a key never makes keys). */
export async function sessionAgentOf(services: Services, ctx: RequestContext, role: Role = 'viewer') {
  const me = await agentOf(services, ctx, role)
  if (me.apiKeyId) throw new ParleyError('forbidden', 'API keys are managed by a signed-in owner or admin, not with an API key')
  return me
}

export async function visitorOf(services: Services, ctx: RequestContext) {
  const principal = await principalOf(services, ctx)
  if (principal.kind !== 'visitor') throw new ParleyError('forbidden', 'visitor tokens only')
  return principal
}
