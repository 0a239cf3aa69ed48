/** Asking the bot for things over HTTP: the agent copilot's suggested reply. */
import { ParleyError, createId } from '../../protocol/index.ts'
import { getConversation } from '../../db/conversation.repository.ts'
import type { Services } from '../services.ts'
import { agentOf } from './principal.ts'
import { Reply, type Router } from './router.ts'

export function addBotRoutes(router: Router, services: Services): void {
  /** Enqueues a suggestion; it appears in the conversation's AI draft (drafts[AI_DRAFT_KEY]). */
  router.add('POST', '/api/conversations/:id/suggest', async (ctx) => {
    const me = await agentOf(services, ctx, 'agent')
    const conversation = await getConversation(services.db, ctx.params.id as string)
    if (!conversation || conversation.workspace_id !== me.workspaceId) throw new ParleyError('not-found', 'no such conversation')
    const messageId = `suggest-${createId()}`
    await services.jobs.add({ kind: 'suggest', conversationId: conversation.id, messageId, workspaceId: me.workspaceId })
    return new Reply(202, { queued: true, jobId: messageId })
  }, { summary: 'Ask the AI for a suggested reply (written into the AI draft)', tag: 'Conversations', auth: 'agent' })
}
