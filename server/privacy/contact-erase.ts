/**
 * GDPR erase of a contact (issue 13). In order, so that an interruption leaves nothing half
 * readable that a retry would not finish:
 * 1. their widget sessions end (nothing new arrives from them; their open sockets close);
 * 2.–5. (conversation-erase.ts, shared with retention) each of their conversations' documents is erased in one server transaction each
 *    (erase-document.ts), and that change is made durable;
 * 3. the projection catches up and the SQL copies are overwritten (messages, full-text index,
 *    previews, rating comments), the inbox entries are written anew from the erased documents;
 * 4. every touched document (both per conversation, and the workspace's inbox) is compacted:
 *    the snapshot is rewritten from the erased state and every log row before it is deleted,
 *    which is where the original text still was;
 * 5. the attachments are deleted from the store; the profile is emptied;
 * 6. the database files are purged of the freed bytes (db/privacy.repository.ts) and the erase
 *    is audited (ids and counts only).
 * A client that was offline holds the old items; when it syncs, the server already has their ids
 * (deleted), so Yjs sends nothing back, and an update that carries such content anyway is refused
 * by the update guard (update-inspector.ts `resentDeleted`, update-policy.ts `checkResent`).
 */
import type { Hocuspocus } from '@hocuspocus/server'
import { CloseCode, ParleyError, formatCloseReason, formatConversationName, type EraseResult } from '../../protocol/index.ts'
import type { Db } from '../../db/database.ts'
import { eraseContactProfile, getContact } from '../../db/contact.repository.ts'
import { insertEvents } from '../../db/conversation-event.repository.ts'
import { insertAudit, listContactConversations, purgeDeletedContent, revokeContactSessions } from '../../db/privacy.repository.ts'
import type { DurabilityExtension } from '../extensions/durability.ts'
import type { ProjectionExtension } from '../extensions/projection.ts'
import type { Logger } from '../log.ts'
import type { AttachmentStore } from '../storage/attachment-store.ts'
import { eraseConversationsContent } from './conversation-erase.ts'

export interface EraseDeps {
  db: Db
  hocuspocus: Hocuspocus
  durability: DurabilityExtension
  projection: ProjectionExtension
  attachments: AttachmentStore
  log: Logger
}

/** The tables an erase rewrites or deletes from, purged afterwards. */
export const TOUCHED_TABLES = ['messages', 'conversations', 'contacts', 'conversation_events', 'doc_updates', 'doc_snapshots', 'sessions', 'contact_attribute_values', 'contact_merges']

export async function eraseContact(deps: EraseDeps, actor: { agentId: string; workspaceId: string }, contactId: string): Promise<EraseResult> {
  const { db, hocuspocus } = deps
  const contact = await getContact(db, actor.workspaceId, contactId)
  if (!contact) throw new ParleyError('not-found', 'no such contact')
  const conversations = await listContactConversations(db, actor.workspaceId, contactId)

  await revokeContactSessions(db, contactId)
  closeVisitorConnections(hocuspocus, conversations.map((c) => c.id))

  const { messages, attachments: attachmentCount } = await eraseConversationsContent(deps, actor.workspaceId, conversations.map((c) => c.id), { kind: 'contact', contactId, profile: contact })

  await eraseContactProfile(db, actor.workspaceId, contactId)
  const erasedAt = Date.now()
  // Each conversation's history says it was erased, and by whom (the event log, server/events/).
  await insertEvents(db, conversations.map((c) => ({
    id: `${c.id}:erased:${erasedAt}`, workspace_id: actor.workspaceId, conversation_id: c.id, kind: 'erased' as const, at: erasedAt, actor_id: actor.agentId,
    assignee_id: null, from_assignee_id: null, priority: null, reason: null, rating: null, comment: null, until_at: null,
  })))
  await insertAudit(db, {
    workspace_id: actor.workspaceId, action: 'contact-erased', actor_id: actor.agentId, contact_id: contactId, conversation_id: null,
    detail: { conversations: conversations.map((c) => c.id), messages, attachments: attachmentCount },
  })
  await purgeDeletedContent(db, TOUCHED_TABLES)
  deps.log.info('contact erased', { contact: contactId, conversations: conversations.length, messages, attachments: attachmentCount })
  return { contactId, conversations: conversations.length, messages, attachments: attachmentCount, erasedAt }
}

/** Their widget's sockets on this instance close now (the sessions are revoked, so they cannot come back). */
function closeVisitorConnections(hocuspocus: Hocuspocus, conversationIds: string[]): void {
  for (const id of conversationIds) {
    const document = hocuspocus.documents.get(formatConversationName(id))
    if (!document) continue
    for (const connection of document.getConnections()) {
      const principal = (connection.context as { principal?: { kind: string } } | undefined)?.principal
      if (principal?.kind === 'visitor') connection.close({ code: CloseCode.tokenRevoked.code, reason: formatCloseReason(CloseCode.tokenRevoked, 'this contact was erased') })
    }
  }
}
