/**
 * GDPR erase of a contact (issue 13). In order, so that an interruption leaves nothing half
 * readable that a retry would not finish:
 * 1. their widget sessions end (nothing new arrives from them; their open sockets close);
 * 2. each of their conversations' documents is erased in one server transaction each
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
import type { DirectConnection, Hocuspocus } from '@hocuspocus/server'
import type * as Y from 'yjs'
import { CloseCode, INBOX_ERASED_AT, INBOX_PRIVACY_ROOT, ParleyError, formatCloseReason, formatConversationName, formatInboxName, formatInternalName, getInboxEntries, type EraseResult } from '../../protocol/index.ts'
import type { Db } from '../../db/database.ts'
import { eraseContactProfile, getContact } from '../../db/contact.repository.ts'
import { getInboxGeneration } from '../../db/workspace.repository.ts'
import { insertEvents } from '../../db/conversation-event.repository.ts'
import { eraseProjectedText, insertAudit, listContactConversations, listEventReasons, purgeDeletedContent, revokeContactSessions, setEventReason } from '../../db/privacy.repository.ts'
import { SERVER_ORIGIN } from '../conversation-service.ts'
import type { DurabilityExtension } from '../extensions/durability.ts'
import type { ProjectionExtension } from '../extensions/projection.ts'
import type { Logger } from '../log.ts'
import type { AttachmentStore } from '../storage/attachment-store.ts'
import { eraseConversationDocument, eraseInternalDocument, eraseTerms, scrub, type ErasedDocument } from './erase-document.ts'

export interface EraseDeps {
  db: Db
  hocuspocus: Hocuspocus
  durability: DurabilityExtension
  projection: ProjectionExtension
  attachments: AttachmentStore
  log: Logger
}

/** The tables an erase rewrites or deletes from, purged afterwards. */
const TOUCHED_TABLES = ['messages', 'conversations', 'contacts', 'conversation_events', 'doc_updates', 'doc_snapshots', 'sessions', 'contact_attribute_values', 'contact_merges']

export async function eraseContact(deps: EraseDeps, actor: { agentId: string; workspaceId: string }, contactId: string): Promise<EraseResult> {
  const { db, hocuspocus, durability } = deps
  const contact = await getContact(db, actor.workspaceId, contactId)
  if (!contact) throw new ParleyError('not-found', 'no such contact')
  const conversations = await listContactConversations(db, actor.workspaceId, contactId)

  await revokeContactSessions(db, contactId)
  closeVisitorConnections(hocuspocus, conversations.map((c) => c.id))

  const open = (name: string) => hocuspocus.openDirectConnection(name, { internal: 'erase' })
  const rewritten = new Map<string, Map<string, { text: string; authorName: string }>>()
  const termsOf = new Map<string, string[]>()
  const compacting: { name: string; connection: DirectConnection }[] = []
  let messages = 0
  let attachmentCount = 0
  try {
    for (const conversation of conversations) {
      const conversationDoc = await open(formatConversationName(conversation.id))
      const internalDoc = await open(formatInternalName(conversation.id))
      compacting.push({ name: formatConversationName(conversation.id), connection: conversationDoc }, { name: formatInternalName(conversation.id), connection: internalDoc })
      let terms: string[] = []
      let erased!: ErasedDocument
      let notes!: ErasedDocument
      await conversationDoc.transact((doc) => {
        terms = eraseTerms(contact, doc)
        doc.transact(() => { erased = eraseConversationDocument(doc, contactId, terms) }, SERVER_ORIGIN)
      })
      await internalDoc.transact((doc) => { doc.transact(() => { notes = eraseInternalDocument(doc, terms) }, SERVER_ORIGIN) })
      await durability.flush(formatConversationName(conversation.id))
      await durability.flush(formatInternalName(conversation.id))
      rewritten.set(conversation.id, new Map([...erased.rewritten, ...notes.rewritten]))
      termsOf.set(conversation.id, terms)
      messages += erased.erasedMessages
      for (const id of notes.kept) erased.kept.add(id)
      attachmentCount += await deleteAttachments(deps.attachments, conversation.id, erased)
    }

    // The projection writes the erased documents' rows and inbox entries; then the SQL copies
    // it never rewrites (a message row keeps its first text) are overwritten here.
    await deps.projection.flush()
    await eraseProjectedText(db, conversations.map((c) => c.id), rewritten)
    for (const event of await listEventReasons(db, conversations.map((c) => c.id))) {
      const clean = scrub(event.reason ?? '', termsOf.get(event.conversation_id) ?? [])
      if (clean !== event.reason) await setEventReason(db, event.id, clean)
    }
    // Every generation of the inbox (server/inbox-writer.ts rotates it): the current one holds the
    // rewritten entries; earlier ones, which nothing writes any more, still hold the old ones.
    const current = await getInboxGeneration(db, actor.workspaceId)
    const ids = new Set(conversations.map((c) => c.id))
    for (let generation = 0; generation <= current; generation++) {
      const name = formatInboxName(actor.workspaceId, generation)
      const inbox = await open(name)
      compacting.push({ name, connection: inbox })
      await inbox.transact((doc) => {
        if (generation < current) { const entries = getInboxEntries(doc); for (const id of ids) if (entries.has(id)) entries.delete(id) }
        doc.getMap(INBOX_PRIVACY_ROOT).set(INBOX_ERASED_AT, Date.now())
      })
    }
    for (const { name, connection } of compacting) {
      await durability.flush(name)
      await durability.compact(documentOf(connection))
    }
  } finally {
    for (const { connection } of compacting) await connection.disconnect({ unloadImmediately: false }).catch(() => {})
  }

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

/**
 * The erased messages' files, and any upload of the conversation no remaining message shows
 * (an upload the customer never sent is theirs too). Files an agent's message shows stay.
 */
async function deleteAttachments(store: AttachmentStore, conversationId: string, erased: ErasedDocument): Promise<number> {
  const keys = new Set(erased.attachments.map((a) => `${conversationId}/${a.id}`))
  for await (const { key } of store.list()) {
    if (key.startsWith(`${conversationId}/`) && !erased.kept.has(key.slice(conversationId.length + 1))) keys.add(key)
  }
  for (const key of keys) await store.delete(key)
  return keys.size
}

/** The document a direct connection holds (Hocuspocus' exported interface leaves it out). */
const documentOf = (connection: DirectConnection): Y.Doc & { name: string } => (connection as unknown as { document: Y.Doc & { name: string } }).document
