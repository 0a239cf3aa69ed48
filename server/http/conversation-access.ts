/** Who may touch one conversation over HTTP: the visitor who owns it, agents of its workspace, the bot. */
import { ParleyError, type Role } from '../../protocol/index.ts'
import { getConversation } from '../../db/conversation.repository.ts'
import type { Conversation } from '../../db/tables.ts'
import type { Principal } from '../auth/principal.ts'
import type { Services } from '../services.ts'

const RANK: Record<Role, number> = { viewer: 0, agent: 1, admin: 2, owner: 3 }

/** Returns the conversation row, or throws: a stranger learns nothing about whether it exists. */
export async function conversationFor(services: Services, principal: Principal, id: string, agentRole: Role = 'viewer'): Promise<Conversation> {
  const conversation = await getConversation(services.db, id)
  const allowed = conversation && (
    principal.kind === 'service'
    || (principal.kind === 'visitor' && principal.workspaceId === conversation.workspace_id && principal.contactId === conversation.contact_id)
    || (principal.kind === 'agent' && principal.workspaceId === conversation.workspace_id && RANK[principal.role] >= RANK[agentRole])
  )
  if (!conversation || !allowed) throw new ParleyError('forbidden-conversation', 'no such conversation of yours')
  return conversation
}
