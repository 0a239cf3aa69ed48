/**
 * Email in: a customer's reply to one of our emails comes back into its conversation. A mail
 * server's pipe or a provider's webhook posts the raw MIME message (RFC 5322) to
 * `POST /api/email/inbound/:workspaceId` with the workspace's inbound token. The conversation is
 * found from In-Reply-To/References (our Message-IDs), the sender must be the conversation's
 * customer, quoted history is stripped, and the text is appended as the customer's message with
 * an id made from the email's Message-ID, so a message posted twice lands once. Its files go
 * through the attachment store under ids made from the Message-ID too (stored once however often
 * the email is posted), with the limits of an upload from the widget (upload-policy.ts); one that
 * is refused is named in the message as not imported, never dropped without a word.
 */
import { createHash } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import { simpleParser, type AddressObject, type Attachment as MailAttachment } from 'mailparser'
import { MAX_MESSAGE_LENGTH, ParleyError, customerEmailLanguage, emailMessage, type Attachment } from '../../protocol/index.ts'
import type { Conversation } from '../../db/tables.ts'
import { maxUploadBytes, refuseUpload, storedContentType } from '../storage/upload-policy.ts'
import { getContact } from '../../db/contact.repository.ts'
import { getConversation } from '../../db/conversation.repository.ts'
import { findConversationByMessageIds } from '../../db/email-delivery.repository.ts'
import { getWorkspace } from '../../db/workspace.repository.ts'
import { hashToken, safeEqual } from '../auth/tokens.ts'
import type { Services } from '../services.ts'
import { stripQuoted } from './strip-quoted.ts'

/** Room for a file over the widget's default limit (10 MB, base64 in the email) to be named as not imported, not the whole email refused. */
export const MAX_INBOUND_BYTES = 30 * 1024 * 1024

export async function readRaw(req: IncomingMessage, limit = MAX_INBOUND_BYTES): Promise<Buffer> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    size += (chunk as Buffer).length
    if (size > limit) throw new ParleyError('payload-too-large', `the message is over ${limit} bytes`)
    chunks.push(chunk as Buffer)
  }
  return Buffer.concat(chunks)
}

export async function assertInboundToken(services: Services, workspaceId: string, token: string | null): Promise<void> {
  const workspace = await getWorkspace(services.db, workspaceId)
  // One answer for an unknown workspace, one without inbound email, and a wrong token.
  if (!token || !workspace?.inbound_token_hash || !safeEqual(hashToken(token), workspace.inbound_token_hash)) throw new ParleyError('unauthenticated', 'a valid inbound email token is required')
}

const ids = (value: string | string[] | undefined): string[] => (Array.isArray(value) ? value : value ? value.split(/\s+/) : []).map((s) => s.trim()).filter(Boolean)
const firstAddress = (from: AddressObject | undefined): string | null => from?.value[0]?.address?.toLowerCase() ?? null

export interface InboundResult { conversationId: string; messageId: string; duplicate: boolean }

export async function receiveEmail(services: Services, workspaceId: string, raw: Buffer): Promise<InboundResult> {
  if (raw.length === 0) throw new ParleyError('bad-request', '(body): a raw MIME message is required', '(body)')
  const mail = await simpleParser(raw, { skipHtmlToText: false, skipTextToHtml: true, skipImageLinks: true })
  const emailId = mail.messageId?.trim()
  if (!emailId) throw new ParleyError('bad-request', 'Message-ID: the message has none', 'Message-ID')
  const thread = [...ids(mail.inReplyTo), ...ids(mail.references)]
  const conversationId = await findConversationByMessageIds(services.db, workspaceId, thread)
  if (!conversationId) throw new ParleyError('not-found', 'In-Reply-To: this email answers no email of this workspace', 'In-Reply-To')
  const conversation = await getConversation(services.db, conversationId)
  if (!conversation || conversation.workspace_id !== workspaceId) throw new ParleyError('not-found', 'no such conversation')
  const contact = await getContact(services.db, workspaceId, conversation.contact_id)
  const sender = firstAddress(mail.from)
  // Threading headers are not secret: only the customer's own address may write as them.
  if (!sender || !contact?.email || sender !== contact.email.toLowerCase()) throw new ParleyError('forbidden', 'From: is not the address of the conversation\'s customer', 'From')
  const body = stripQuoted(mail.text ?? '')
  const emailKey = createHash('sha256').update(emailId).digest('base64url')
  const files = await importAttachments(services, conversation, emailKey, mail.attachments ?? [])
  // The notes go last, after what the customer wrote, and are never cut by the length limit.
  const notes = files.refused.join('\n')
  const text = [body.slice(0, Math.max(0, MAX_MESSAGE_LENGTH - notes.length - 1)), notes].filter(Boolean).join('\n') || (files.stored.length > 0 ? '' : '(empty email)')
  const messageId = `mail-${emailKey.slice(0, 40)}`
  const sent = await services.conversations.sendCustomerMessage({ workspaceId, contactId: contact.id, name: contact.name ?? sender }, conversationId, { id: messageId, text, attachments: files.stored })
  await services.db.kysely.insertInto('inbound_emails').values({ workspace_id: workspaceId, message_id: emailId, conversation_id: conversationId, created_at: Date.now() })
    .onConflict((oc) => oc.columns(['workspace_id', 'message_id']).doNothing()).execute()
  services.log.info('inbound email appended', { conversation: conversationId, duplicate: sent.duplicate })
  return { conversationId, messageId, duplicate: sent.duplicate }
}

/** At most this many files ride on one message (the widget's limit too, protocol/wire.ts). */
const MAX_FILES = 10

const sizeText = (bytes: number): string => (bytes >= 1024 * 1024 ? `${(bytes / (1024 * 1024)).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`)

/**
 * Stores the email's files as attachments of the conversation; says which were refused and why
 * (in the conversation's language). Ids come from the email, so posting it again stores nothing new.
 */
async function importAttachments(services: Services, conversation: Conversation, emailKey: string, parts: MailAttachment[]): Promise<{ stored: Attachment[]; refused: string[] }> {
  const language = customerEmailLanguage(conversation.language)
  const limit = await maxUploadBytes(services, conversation)
  const stored: Attachment[] = []
  const refused: string[] = []
  for (const [i, part] of parts.entries()) {
    const contentType = storedContentType(part.contentType)
    const name = (part.filename ?? '').replace(/[\r\n\\/]+/g, ' ').trim().slice(0, 255) || `${emailMessage('attachment', language)} ${i + 1}`
    const size = part.content.length
    const refusal = refuseUpload({ name, contentType, size }, limit)
    if (refusal?.reason === 'too-big') { refused.push(emailMessage('notImportedTooBig', language, { name, size: sizeText(size), limit: sizeText(limit) })); continue }
    if (refusal) { refused.push(emailMessage('notImportedType', language, { name, type: refusal.type })); continue }
    if (stored.length >= MAX_FILES) { refused.push(emailMessage('notImportedTooMany', language, { name, max: MAX_FILES })); continue }
    const id = `att_m${emailKey.slice(0, 24)}${i}`
    const key = `${conversation.id}/${id}`
    if (!(await services.attachments.get(key))) await services.attachments.put(key, new Uint8Array(part.content), { name, contentType, size, createdAt: Date.now() })
    stored.push({ id, name, contentType, size })
  }
  return { stored, refused }
}
