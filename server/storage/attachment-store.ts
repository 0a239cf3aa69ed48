/**
 * Where uploaded attachments live. A small interface so an S3-compatible store can replace the
 * disk one later; keys are `<conversationId>/<attachmentId>`, made by the server, never by users.
 */
import type { Readable } from 'node:stream'

export interface StoredAttachment {
  name: string
  contentType: string
  size: number
  createdAt: number
}

export interface AttachmentStore {
  /** Stores the bytes and their description; resolves when both are durable. */
  put(key: string, data: Uint8Array, info: StoredAttachment): Promise<void>
  /** The description and a stream of the bytes, or null when there is no such attachment. */
  get(key: string): Promise<{ info: StoredAttachment; open(): Readable } | null>
  /** Every stored attachment with its description (housekeeping and backups walk them). */
  list(): AsyncIterable<{ key: string; info: StoredAttachment }>
  /** Removes the attachment; removing one that is not there is not an error. */
  delete(key: string): Promise<void>
}

const KEY = /^[A-Za-z0-9_-]{1,64}\/[A-Za-z0-9_-]{1,80}$/

export function checkAttachmentKey(key: string): string {
  if (!KEY.test(key)) throw new Error(`not an attachment key: ${key}`)
  return key
}
