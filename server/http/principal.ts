import { authenticate, requireAgent, type Principal } from '../auth/principal.ts'
import type { Role } from '../../protocol/index.ts'
import { ParleyError } from '../../protocol/index.ts'
import type { Services } from '../services.ts'
import type { RequestContext } from './router.ts'

export const principalOf = (services: Services, ctx: RequestContext): Promise<Principal> =>
  authenticate(services.db, services.serviceTokenHash, ctx.bearer())

export async function agentOf(services: Services, ctx: RequestContext, role: Role = 'viewer') {
  return requireAgent(await principalOf(services, ctx), role)
}

export async function visitorOf(services: Services, ctx: RequestContext) {
  const principal = await principalOf(services, ctx)
  if (principal.kind !== 'visitor') throw new ParleyError('forbidden', 'visitor tokens only')
  return principal
}
