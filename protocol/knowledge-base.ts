/**
 * Knowledge-base import (`POST /api/knowledge-base/import`): files as the browser read them, and
 * the per-file report the server answers with. Binary files (a zip) travel base64-encoded, so one
 * JSON body carries a whole import and is checked at the edge like every other body.
 */
import * as v from 'valibot'

/** The largest import body accepted (a zip of a big help center fits comfortably). */
export const MAX_IMPORT_BYTES = 25 * 1024 * 1024
/** At most this many files per import (a zip counts as one; its entries count toward MAX_IMPORT_ARTICLES). */
export const MAX_IMPORT_FILES = 200
/** At most this many articles per import, across every file. */
export const MAX_IMPORT_ARTICLES = 5000
/** Article bodies over this many characters are refused (the same limit as an article written in the app). */
export const MAX_ARTICLE_CHARS = 100_000

export const IMPORT_FILE_KINDS = ['markdown', 'html', 'zendesk', 'intercom', 'zip'] as const
export type ImportFileKind = (typeof IMPORT_FILE_KINDS)[number]

export const KnowledgeImportBody = v.strictObject({
  files: v.pipe(
    v.array(v.strictObject({
      name: v.pipe(v.string(), v.trim(), v.minLength(1, 'must not be empty'), v.maxLength(255, 'must be at most 255 characters'), v.regex(/^[^\u0000-\u001f]*$/, 'must not contain control characters')),
      content: v.string(),
      /** `base64` for binary files (a zip); text files may come as plain text. */
      encoding: v.optional(v.picklist(['text', 'base64']), 'text'),
    })),
    v.minLength(1, 'choose at least one file'),
    v.maxLength(MAX_IMPORT_FILES, `must be at most ${MAX_IMPORT_FILES} files`),
  ),
})
export type KnowledgeImportInput = v.InferOutput<typeof KnowledgeImportBody>

export interface ImportedArticleReport { title: string; source: string; action: 'created' | 'updated' | 'unchanged'; id: string }
/** One entry per file (and per entry of a zip, named `archive.zip/path/in/zip.md`). */
export interface ImportFileReport {
  name: string
  kind: ImportFileKind | null
  /** What was wrong with it; the whole import was refused when any file has one. */
  error: string | null
  articles: ImportedArticleReport[]
  /** Entries left out on purpose, with why (a draft, a file that is not an article). */
  skipped: string[]
}
export interface KnowledgeImportReport { ok: boolean; created: number; updated: number; unchanged: number; files: ImportFileReport[] }
