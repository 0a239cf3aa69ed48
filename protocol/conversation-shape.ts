/**
 * The conversation document (`conversation:<id>`) without its schemas: the one place that spells
 * its keys, its enumerations and the accessors that read it. The schemas and the checked writes
 * are in conversation.ts, which re-exports all of this; code that only reads a document imports
 * this file, so valibot stays out of what it loads (the agent app's first screen: bench/agent-app.ts).
 */
import type * as Y from 'yjs'
import type { ConversationMeta, Message, MetaKey } from './conversation.ts'

export const MAX_MESSAGE_LENGTH = 10_000

/** What the customer may read. Notes and drafts live in the internal document (protocol/internal.ts). */
export const ROOT = { meta: 'meta', messages: 'messages', streams: 'streams' } as const

export const CONVERSATION_STATUSES = ['bot', 'waiting', 'open', 'snoozed', 'resolved'] as const
export const PRIORITIES = ['high', 'normal', 'low'] as const
export const AUTHOR_ROLES = ['customer', 'agent', 'bot', 'system'] as const
export const MESSAGE_KINDS = ['message', 'note', 'event'] as const

export type ConversationStatus = (typeof CONVERSATION_STATUSES)[number]
export type Priority = (typeof PRIORITIES)[number]
export type AuthorRole = (typeof AUTHOR_ROLES)[number]

export const getMeta = (doc: Y.Doc): Y.Map<unknown> => doc.getMap(ROOT.meta)
export const getMessages = (doc: Y.Doc): Y.Array<Message> => doc.getArray<Message>(ROOT.messages)
export const getStreams = (doc: Y.Doc): Y.Map<Y.Text> => doc.getMap<Y.Text>(ROOT.streams)

export function readMeta(doc: Y.Doc): Partial<ConversationMeta> {
  return getMeta(doc).toJSON() as Partial<ConversationMeta>
}

/** One meta field, without copying the whole map as readMeta does: for paths run on every update. */
export const metaField = <K extends MetaKey>(doc: Y.Doc, key: K): ConversationMeta[K] | undefined => getMeta(doc).get(key) as ConversationMeta[K] | undefined

export const readMessages = (doc: Y.Doc): Message[] => getMessages(doc).toArray()

/** Index of message ids, for idempotent appends. */
export function findMessage(doc: Y.Doc, id: string): Message | undefined {
  return messageIndex(getMessages(doc)).get(id)
}

/** Records a message just appended (seen at once, not when the enclosing transaction ends). */
export function indexMessage(doc: Y.Doc, message: Message): void {
  messageIndex(getMessages(doc)).set(message.id, message)
}

const messageIndexes = new WeakMap<Y.Array<Message>, Map<string, Message>>()

/**
 * Messages by id, built once per loaded document and kept current by an observer (every new
 * message is checked against it: a scan made each append O(messages), a 10,000-message
 * conversation paid for it on every line).
 */
function messageIndex(messages: Y.Array<Message>): Map<string, Message> {
  let index = messageIndexes.get(messages)
  if (index) return index
  const built = new Map<string, Message>()
  for (const message of messages.toArray()) if (typeof message?.id === 'string') built.set(message.id, message)
  messages.observe((event) => {
    for (const item of event.changes.deleted) for (const message of item.content.getContent() as Message[]) if (built.get(message?.id) === message) built.delete(message.id)
    for (const item of event.changes.added) for (const message of item.content.getContent() as Message[]) if (typeof message?.id === 'string') built.set(message.id, message)
  })
  messageIndexes.set(messages, built)
  index = built
  return index
}
