import { MergeConversationBody, parseInput } from '../../protocol/index.ts'
import { agentOf } from '../http/principal.ts'
import type { Router } from '../http/router.ts'
import type { Services } from '../services.ts'
import type { ConversationMerge } from './conversation-merge.ts'

export function addMergeRoutes(router: Router, services: Services, merges: ConversationMerge): void {
  /** Merges this conversation into `into` (the survivor). Agents and up: it is conversation work, and it loses nothing. */
  router.add('POST', '/api/conversations/:id/merge', async (ctx) => {
    const me = await agentOf(services, ctx, 'agent')
    const body = parseInput(MergeConversationBody, await ctx.body())
    return merges.merge({ agentId: me.agentId, workspaceId: me.workspaceId }, ctx.params.id as string, body.into)
  }, { summary: 'Merge this conversation into another (`into`, the survivor); nothing is lost', tag: 'Conversations', auth: 'agent', body: MergeConversationBody })
}
