/**
 * Query strings of the GET routes that read one: parsed with these in their handlers, and
 * described by them in /api/openapi.json (issue 16), so the two never disagree.
 */
import * as v from 'valibot'

const notBlank = v.check((s: string) => s.trim() !== '', 'must not be empty')

export const SearchQuery = v.object({
  q: v.pipe(v.optional(v.string(), ''), v.string(), notBlank, v.maxLength(500, 'must be at most 500 characters')),
})

export const ArticleListQuery = v.object({
  /** Ranked search of the articles instead of the whole list. */
  q: v.optional(v.pipe(v.string(), v.maxLength(500, 'must be at most 500 characters'))),
})

export const AttachmentUploadQuery = v.object({
  name: v.pipe(v.optional(v.string(), ''), v.string(), v.trim(), v.check((s: string) => s !== '' && s.length <= 255 && !/[\u0000-\u001f]/.test(s), 'must be a file name of 1–255 characters')),
})

const pageLimitMessage = 'must be an integer from 1 to 200'
/** `GET /api/contacts/:id/conversations`: a page of the contact's history (50 unless `limit`). */
export const ContactConversationsQuery = v.object({
  limit: v.optional(v.pipe(v.string(), v.transform(Number), v.number(), v.integer(pageLimitMessage), v.minValue(1, pageLimitMessage), v.maxValue(200, pageLimitMessage))),
  cursor: v.optional(v.string()),
})

/** `GET /api/contacts/:id/merge-preview`: the contact that would be merged into this one. */
export const MergePreviewQuery = v.object({
  sourceId: v.pipe(v.optional(v.string(), ''), v.string(), v.minLength(1, 'is required')),
})

export const EMAIL_STATUSES = ['queued', 'sending', 'sent', 'retrying', 'failed'] as const
/** `GET /api/email/deliveries`: one conversation's emails (agents), or the whole log (admins). */
export const EmailDeliveryQuery = v.object({
  conversation: v.optional(v.string()),
  status: v.optional(v.picklist(EMAIL_STATUSES, `must be one of ${EMAIL_STATUSES.join(', ')}`)),
})
