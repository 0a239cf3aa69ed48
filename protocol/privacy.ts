/**
 * Wire types of the privacy features (issue 13): merging two conversations of one contact, and a
 * contact's GDPR export and erase. The server checks each body with these at the edge.
 */
import * as v from 'valibot'

/** What an erase leaves where text, a name or a file was: transcripts keep their shape. */
export const ERASED_PLACEHOLDER = '[erased]'

const conversationId = v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be a conversation id'))

/** `POST /api/conversations/:id/merge`: this conversation is merged into `into`, which survives. */
export const MergeConversationBody = v.strictObject({ into: conversationId })
export type MergeConversationBody = v.InferOutput<typeof MergeConversationBody>

export interface MergeResult {
  survivorId: string
  mergedId: string
  /** Messages and notes of the merged conversation that joined the survivor in this call (0 on a retry). */
  messages: number
  notes: number
  alreadyMerged: boolean
}

/* The inbox document's `privacy` map, which an erase writes, is in inbox.ts (INBOX_PRIVACY_ROOT). */

/** The word an agent types to confirm an erase, checked by the server as well as the app. */
export const ERASE_CONFIRMATION = 'erase'

/** `POST /api/contacts/:id/erase`. */
export const EraseContactBody = v.strictObject({
  confirm: v.pipe(v.string(), v.check((value) => value.trim().toLowerCase() === ERASE_CONFIRMATION, `must be "${ERASE_CONFIRMATION}"`)),
})

export interface EraseResult {
  contactId: string
  conversations: number
  messages: number
  attachments: number
  erasedAt: number
}

/**
 * `GET`/`PUT /api/settings/retention`: resolved conversations are erased `days` after their last
 * activity (server/housekeeping/retention.ts); null, the default, keeps them.
 */
export const RetentionBody = v.strictObject({
  days: v.nullable(v.pipe(v.number('must be a number of days or null'), v.integer('must be a whole number of days'), v.minValue(1, 'must be at least 1 day'), v.maxValue(3650, 'must be at most 3650 days (ten years)'))),
})
export type RetentionPolicy = v.InferOutput<typeof RetentionBody>
