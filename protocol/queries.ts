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
