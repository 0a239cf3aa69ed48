/**
 * What the bot writes into a conversation document, each as one transaction: a reply stream
 * (a Y.Text under `streams`, keyed by the reply id), the finished reply (appended to
 * `messages`, stream removed), an escalation, classification, and the copilot's draft.
 * The server's update guard checks each of these against what the service principal may do.
 */
import * as Y from 'yjs'
import {
  AI_DRAFT_KEY, PRESENCE_FIELD, checkMessage, findMessage, getMessages, message, getInternalDrafts, appendMessage, getStreams, updateMeta,
  type Message, type Presence, type Priority,
} from '../protocol/index.ts'
import type { OpenDocument } from './document-pool.ts'

export const BOT_AUTHOR = { role: 'bot', id: 'bot', name: 'Assistant' } as const
export const SYSTEM_AUTHOR = { role: 'system', id: 'bot', name: 'Parley' } as const

/** A fresh stream for a reply; a stream left by a crashed attempt is replaced. */
export function openStream(doc: Y.Doc, replyId: string): Y.Text {
  const text = new Y.Text()
  doc.transact(() => {
    const streams = getStreams(doc)
    if (streams.has(replyId)) streams.delete(replyId)
    streams.set(replyId, text)
  })
  return text
}

export function removeStream(doc: Y.Doc, replyId: string): void {
  const streams = getStreams(doc)
  if (streams.has(replyId)) streams.delete(replyId)
}

/** The finished reply lands as one immutable message; its stream goes away in the same change. */
export function finishReply(doc: Y.Doc, reply: { id: string; text: string; sources?: { id: string; title: string }[] }): boolean {
  let appended = false
  doc.transact(() => {
    const message: Message = { id: reply.id, author: { ...BOT_AUTHOR }, kind: 'message', text: reply.text, attachments: [], createdAt: Date.now(), ...(reply.sources?.length ? { sources: reply.sources } : {}) }
    appended = appendMessage(doc, message)
    removeStream(doc, reply.id)
  })
  return appended
}

/**
 * The bot's greeting goes before the customer's first message: a greeting that arrives after
 * the customer has asked would read as a reply that ignores the question.
 */
export function writeGreeting(doc: Y.Doc, greeting: { id: string; text: string }): boolean {
  if (findMessage(doc, greeting.id)) return false
  const messages = getMessages(doc)
  const firstCustomer = messages.toArray().findIndex((m) => m.author.role === 'customer')
  const before = firstCustomer >= 0 ? messages.get(firstCustomer) : undefined
  const message = checkMessage({ id: greeting.id, author: { ...BOT_AUTHOR }, kind: 'message', text: greeting.text, attachments: [], createdAt: before ? before.createdAt : Date.now() })
  doc.transact(() => {
    if (firstCustomer >= 0) messages.insert(firstCustomer, [message])
    else messages.push([message])
    removeStream(doc, greeting.id)
  })
  return true
}

export interface Escalation { replyId: string; reason: string; priority: Priority; position: number | null; now: number; language?: string }

/** Hands over to humans: status waiting with priority and reason, and a system message telling the customer where they stand. */
export function escalate(doc: Y.Doc, escalation: Escalation): void {
  const place = escalation.position ? ` ${message('queuePosition', escalation.language, { position: escalation.position })}` : ''
  doc.transact(() => {
    removeStream(doc, escalation.replyId)
    // updatedAt is set by appendMessage: one key is set once per change (the guard insists).
    updateMeta(doc, { status: 'waiting', priority: escalation.priority, escalationReason: escalation.reason.slice(0, 1000), waitingSince: escalation.now })
    appendMessage(doc, {
      id: escalation.replyId, author: { ...SYSTEM_AUTHOR }, kind: 'message', attachments: [], createdAt: escalation.now,
      text: `${message('handover', escalation.language)}${place}`,
    })
  })
}


/** The copilot's suggestion: the AI draft of the internal document (`internal:<id>`), emptied for the new text. */
export function openAiDraft(internalDoc: Y.Doc): Y.Text {
  const doc = internalDoc
  const drafts = getInternalDrafts(doc)
  let draft = drafts.get(AI_DRAFT_KEY)
  doc.transact(() => {
    if (!draft) { draft = new Y.Text(); drafts.set(AI_DRAFT_KEY, draft) } else if (draft.length > 0) draft.delete(0, draft.length)
  })
  return draft as Y.Text
}

export function setTyping(open: OpenDocument, typing: boolean): void {
  const presence: Presence = { role: 'bot', id: BOT_AUTHOR.id, name: BOT_AUTHOR.name, typing }
  open.provider.setAwarenessField(PRESENCE_FIELD, presence)
}
