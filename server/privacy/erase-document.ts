/**
 * What an erase does to a conversation's two documents (pure: a Y.Doc in, what changed out).
 * A sent message is immutable, so erasing one replaces it: a placeholder with the same id,
 * author role, kind and time goes where it was, and the original is deleted. Yjs then keeps only
 * the deleted item's length (its content is garbage-collected), so the text is gone from the
 * document, from every update encoded from it, and from the snapshot compaction writes next.
 * Other authors' messages and notes keep their text, but every occurrence of the person's name,
 * email or words in them becomes the placeholder too.
 */
import * as Y from 'yjs'
import {
  ERASED_PLACEHOLDER, INTERNAL_ROOT, checkMessage, getMessages, getMeta, getNotes, getStreams, getInternalDrafts, readClassification, writeClassification,
  type Attachment, type Message,
} from '../../protocol/index.ts'

export interface ErasedDocument {
  /** Message (or note) id → what its SQL row must now say. */
  rewritten: Map<string, { text: string; authorName: string }>
  /** The attachments the erased messages carried, to delete from the store. */
  attachments: Attachment[]
  /** Attachments other messages still show (they stay in the store). */
  kept: Set<string>
  erasedMessages: number
}

/** The strings to remove from other messages: the person's name and email, and their own words. */
export function eraseTerms(profile: { name: string | null; email: string | null }, doc: Y.Doc): string[] {
  const terms = new Set<string>()
  if (profile.name && profile.name.trim().length >= 3 && profile.name !== ERASED_PLACEHOLDER) terms.add(profile.name.trim())
  if (profile.email) terms.add(profile.email.trim())
  for (const message of getMessages(doc).toArray()) {
    if (message.author.role !== 'customer') continue
    if (message.author.name.trim().length >= 3 && message.author.name !== ERASED_PLACEHOLDER) terms.add(message.author.name.trim())
    // Whole messages and their longer lines: what an agent would quote back.
    for (const piece of [message.text, ...message.text.split('\n')]) if (piece.trim().length >= 12) terms.add(piece.trim())
  }
  // Longest first, so a quoted message goes before a name inside it.
  return [...terms].sort((a, b) => b.length - a.length)
}

export function scrub(text: string, terms: string[]): string {
  let out = text
  for (const term of terms) {
    if (!out.toLowerCase().includes(term.toLowerCase())) continue
    out = out.replace(new RegExp(term.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'gi'), ERASED_PLACEHOLDER)
  }
  return out
}

/** Replaces the element at `index` of a message array with `next`, in place. */
function replaceAt(array: Y.Array<Message>, index: number, next: Message): void {
  array.insert(index, [checkMessage(next)])
  array.delete(index + 1, 1)
}

/** `everyone`: every author's messages are erased (retention), not only the customer's. */
function eraseArray(array: Y.Array<Message>, terms: string[], result: ErasedDocument, everyone: boolean): void {
  const values = array.toArray()
  for (let i = 0; i < values.length; i++) {
    const message = values[i] as Message
    if (everyone || message.author.role === 'customer') {
      if (message.text === ERASED_PLACEHOLDER && message.attachments.length === 0 && message.author.name === ERASED_PLACEHOLDER) continue
      result.attachments.push(...message.attachments)
      replaceAt(array, i, { ...message, author: { ...message.author, name: ERASED_PLACEHOLDER }, text: ERASED_PLACEHOLDER, attachments: [] })
      result.rewritten.set(message.id, { text: ERASED_PLACEHOLDER, authorName: ERASED_PLACEHOLDER })
      result.erasedMessages++
      continue
    }
    for (const attachment of message.attachments) result.kept.add(attachment.id)
    const text = scrub(message.text, terms)
    if (text !== message.text) {
      replaceAt(array, i, { ...message, text })
      result.rewritten.set(message.id, { text, authorName: message.author.name })
    }
  }
}

/**
 * Erases the customer's part of `conversation:<id>`, or with `everyone` (retention) every
 * author's messages and the reasons written about it. Call inside one transaction.
 */
export function eraseConversationDocument(doc: Y.Doc, contactId: string, terms: string[], everyone = false): ErasedDocument {
  const result: ErasedDocument = { rewritten: new Map(), attachments: [], kept: new Set(), erasedMessages: 0 }
  eraseArray(getMessages(doc), terms, result, everyone)
  const meta = getMeta(doc)
  const contact = meta.get('contact') as { id: string; name: string } | undefined
  if (contact?.id !== contactId || contact.name !== ERASED_PLACEHOLDER) meta.set('contact', { id: contactId, name: ERASED_PLACEHOLDER })
  const csat = meta.get('csat') as { rating: number; comment?: string } | null | undefined
  if (csat?.comment) meta.set('csat', { rating: csat.rating })
  const subject = meta.get('subject') as string | undefined
  if (subject && subject !== ERASED_PLACEHOLDER) meta.set('subject', ERASED_PLACEHOLDER)
  const reason = meta.get('escalationReason') as string | null | undefined
  if (reason && everyone && reason !== ERASED_PLACEHOLDER) meta.set('escalationReason', ERASED_PLACEHOLDER)
  else if (reason && scrub(reason, terms) !== reason) meta.set('escalationReason', scrub(reason, terms))
  // A bot reply being written may be quoting them; it is written again if it is still wanted.
  const streams = getStreams(doc)
  for (const key of [...streams.keys()]) streams.delete(key)
  return result
}

/** Erases what `internal:<id>` holds of them: quotes in notes (with `everyone`, every note), every draft (a draft may quote them), the AI's reasoning. */
export function eraseInternalDocument(doc: Y.Doc, terms: string[], everyone = false): ErasedDocument {
  const result: ErasedDocument = { rewritten: new Map(), attachments: [], kept: new Set(), erasedMessages: 0 }
  eraseArray(getNotes(doc), terms, result, everyone)
  const drafts = getInternalDrafts(doc)
  for (const key of [...drafts.keys()]) drafts.delete(key)
  doc.getMap(INTERNAL_ROOT.draftSharing).clear()
  const classification = readClassification(doc)
  if (classification?.reasoning) {
    const { reasoning: _dropped, ...rest } = classification
    writeClassification(doc, rest)
  }
  return result
}
