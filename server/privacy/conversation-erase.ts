/**
 * The erase of conversations' content, shared by the GDPR erase of a contact (contact-erase.ts:
 * the customer's part) and by retention (server/housekeeping/retention.ts: everyone's part).
 * Steps 2 to 5 of contact-erase.ts: each conversation's two documents are erased in one server
 * transaction each and made durable; their files are deleted from the store; the projection
 * catches up and the SQL copies it never rewrites are overwritten (message rows, the full-text
 * index following them, previews, subjects, rating comments, event reasons); earlier inbox
 * generations drop the entries; every touched document is compacted (snapshot rewritten from
 * the erased state, every log row before it deleted). The caller audits and purges.
 */
import type { DirectConnection } from '@hocuspocus/server'
import type * as Y from 'yjs'
import { ERASED_PLACEHOLDER, INBOX_ERASED_AT, INBOX_PRIVACY_ROOT, formatConversationName, formatInboxName, formatInternalName, getInboxEntries, getMeta } from '../../protocol/index.ts'
import { eraseProjectedText, listEventReasons, setEventReason } from '../../db/privacy.repository.ts'
import { getInboxGeneration } from '../../db/workspace.repository.ts'
import { SERVER_ORIGIN } from '../conversation-service.ts'
import type { AttachmentStore } from '../storage/attachment-store.ts'
import type { EraseDeps } from './contact-erase.ts'
import { eraseConversationDocument, eraseInternalDocument, eraseTerms, scrub, type ErasedDocument } from './erase-document.ts'

/** Whose words go: one contact's (their messages, and their name and words quoted by others), or everyone's. */
export type EraseScope = { kind: 'contact'; contactId: string; profile: { name: string | null; email: string | null } } | { kind: 'everyone' }

export interface ConversationsErased { ids: string[]; messages: number; attachments: number }

/** `unless`: read inside the conversation document's transaction; true leaves that conversation as it is (retention: it was reopened meanwhile). */
export interface EraseOptions { unless?: (doc: Y.Doc) => boolean }

export async function eraseConversationsContent(deps: EraseDeps, workspaceId: string, candidates: string[], scope: EraseScope, options: EraseOptions = {}): Promise<ConversationsErased> {
  const { db, hocuspocus, durability } = deps
  const open = (name: string) => hocuspocus.openDirectConnection(name, { internal: 'erase' })
  const rewritten = new Map<string, Map<string, { text: string; authorName: string }>>()
  const termsOf = new Map<string, string[]>()
  const compacting: { name: string; connection: DirectConnection }[] = []
  const everyone = scope.kind === 'everyone'
  const conversationIds: string[] = []
  let messages = 0
  let attachmentCount = 0
  try {
    for (const conversationId of candidates) {
      const conversationDoc = await open(formatConversationName(conversationId))
      let skipped = false
      let terms: string[] = []
      let erased!: ErasedDocument
      let notes!: ErasedDocument
      await conversationDoc.transact((doc) => {
        if (options.unless?.(doc)) { skipped = true; return }
        terms = scope.kind === 'contact' ? eraseTerms(scope.profile, doc) : []
        const contactId = scope.kind === 'contact' ? scope.contactId : ((getMeta(doc).get('contact') as { id?: string } | undefined)?.id ?? '')
        doc.transact(() => { erased = eraseConversationDocument(doc, contactId, terms, everyone) }, SERVER_ORIGIN)
      })
      if (skipped) { await conversationDoc.disconnect({ unloadImmediately: false }).catch(() => {}); continue }
      conversationIds.push(conversationId)
      const internalDoc = await open(formatInternalName(conversationId))
      compacting.push({ name: formatConversationName(conversationId), connection: conversationDoc }, { name: formatInternalName(conversationId), connection: internalDoc })
      await internalDoc.transact((doc) => { doc.transact(() => { notes = eraseInternalDocument(doc, terms, everyone) }, SERVER_ORIGIN) })
      await durability.flush(formatConversationName(conversationId))
      await durability.flush(formatInternalName(conversationId))
      rewritten.set(conversationId, new Map([...erased.rewritten, ...notes.rewritten]))
      termsOf.set(conversationId, terms)
      messages += erased.erasedMessages + (everyone ? notes.erasedMessages : 0)
      for (const id of notes.kept) erased.kept.add(id)
      attachmentCount += await deleteAttachments(deps.attachments, conversationId, erased, everyone)
    }

    if (conversationIds.length === 0 && everyone) return { ids: [], messages: 0, attachments: 0 }
    // The projection writes the erased documents' rows and inbox entries; then the SQL copies
    // it never rewrites (a message row keeps its first text) are overwritten here.
    await deps.projection.flush()
    await eraseProjectedText(db, conversationIds, rewritten)
    for (const event of await listEventReasons(db, conversationIds)) {
      const clean = everyone ? ERASED_PLACEHOLDER : scrub(event.reason ?? '', termsOf.get(event.conversation_id) ?? [])
      if (clean !== event.reason) await setEventReason(db, event.id, clean)
    }
    // Every generation of the inbox (server/inbox-writer.ts rotates it): the current one holds the
    // rewritten entries; earlier ones, which nothing writes any more, still hold the old ones.
    const current = await getInboxGeneration(db, workspaceId)
    const ids = new Set(conversationIds)
    for (let generation = 0; generation <= current; generation++) {
      const name = formatInboxName(workspaceId, generation)
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
  return { ids: conversationIds, messages, attachments: attachmentCount }
}

/**
 * The erased messages' files, and any upload of the conversation no remaining message shows
 * (an upload the customer never sent is theirs too). Files an agent's message shows stay, unless
 * everyone's messages were erased: then every file of the conversation goes.
 */
async function deleteAttachments(store: AttachmentStore, conversationId: string, erased: ErasedDocument, everyone: boolean): Promise<number> {
  const keys = new Set(erased.attachments.map((a) => `${conversationId}/${a.id}`))
  for await (const { key } of store.list()) {
    if (key.startsWith(`${conversationId}/`) && (everyone || !erased.kept.has(key.slice(conversationId.length + 1)))) keys.add(key)
  }
  for (const key of keys) await store.delete(key)
  return keys.size
}

/** The document a direct connection holds (Hocuspocus' exported interface leaves it out). */
const documentOf = (connection: DirectConnection): Y.Doc & { name: string } => (connection as unknown as { document: Y.Doc & { name: string } }).document
