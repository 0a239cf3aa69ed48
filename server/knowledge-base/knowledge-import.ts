/**
 * An import of help-center files: every file is read and checked first, then all articles are
 * written in one transaction. One bad file refuses the whole import with a report naming it and
 * nothing changes, so an admin can fix the file and import again without cleaning up half of it.
 */
import { unzipSync } from 'fflate'
import {
  MAX_IMPORT_ARTICLES, ParleyError, createId, type ImportFileReport, type KnowledgeImportInput, type KnowledgeImportReport,
} from '../../protocol/index.ts'
import type { Db } from '../../db/database.ts'
import { upsertImportedArticles, type ImportedArticle } from '../../db/article.repository.ts'
import { ImportFileError, createBreather, decodeText, kindOf, parseArticleFile } from './article-formats.ts'

/** A zip may hold at most this many entries and unpack to at most this many bytes (a zip bomb stops here). */
export const MAX_ZIP_ENTRIES = 2000
export const MAX_UNZIPPED_BYTES = 100 * 1024 * 1024

/** The import was refused; `report` says which files and why. */
export class ImportRefusedError extends ParleyError {
  constructor(message: string, readonly report: KnowledgeImportReport) { super('bad-request', message, 'files') }
}

interface Pending { report: ImportFileReport; articles: ImportedArticle[] }

export async function importKnowledge(db: Db, workspaceId: string, input: KnowledgeImportInput): Promise<KnowledgeImportReport> {
  const pending: Pending[] = []
  const breathe = createBreather()
  for (const file of input.files) pending.push(...(await readFile(file, breathe)))

  // The same article twice in one import would be written twice over: say where.
  const seen = new Map<string, string>()
  for (const entry of pending) {
    for (const article of entry.articles) {
      const other = seen.get(article.sourceKey)
      if (other !== undefined && !entry.report.error) entry.report.error = `"${article.title}" is also in ${other === entry.report.name ? 'this file' : other} (${article.sourceKey})`
      seen.set(article.sourceKey, entry.report.name)
    }
  }
  const total = pending.reduce((n, e) => n + e.articles.length, 0)
  const files = pending.map((e) => e.report)
  const bad = files.filter((f) => f.error)
  const refuse = (message: string): never => { throw new ImportRefusedError(message, { ok: false, created: 0, updated: 0, unchanged: 0, files }) }
  if (bad.length > 0) refuse(`${bad.length === 1 ? `${bad[0]!.name}: ${bad[0]!.error}` : `${bad.length} files cannot be imported`}; nothing was imported`)
  if (total > MAX_IMPORT_ARTICLES) refuse(`${total} articles in one import; at most ${MAX_IMPORT_ARTICLES}. Nothing was imported`)
  if (total === 0) refuse('these files hold no articles to import; nothing was imported')

  const articles = pending.flatMap((e) => e.articles)
  const results = await upsertImportedArticles(db, workspaceId, articles, () => createId('k'))
  let i = 0
  for (const entry of pending) {
    for (const article of entry.articles) {
      const result = results[i++]!
      entry.report.articles.push({ title: article.title, source: article.sourceKey, action: result.action, id: result.id })
    }
  }
  const count = (action: string) => results.filter((r) => r.action === action).length
  return { ok: true, created: count('created'), updated: count('updated'), unchanged: count('unchanged'), files }
}

async function readFile(file: KnowledgeImportInput['files'][number], breathe: () => Promise<void>): Promise<Pending[]> {
  const report = (kind: ImportFileReport['kind'], name = file.name): ImportFileReport => ({ name, kind, error: null, articles: [], skipped: [] })
  const kind = kindOf(file.name)
  try {
    if (file.encoding === 'base64' && !/^[A-Za-z0-9+/=\s]*$/.test(file.content)) throw new ImportFileError('not valid base64')
    const bytes = file.encoding === 'base64' ? new Uint8Array(Buffer.from(file.content, 'base64')) : null
    if (kind === 'zip') {
      if (!bytes) throw new ImportFileError('a zip must be sent base64-encoded')
      return await readZip(file.name, bytes, breathe)
    }
    const parsed = await parseArticleFile(file.name, bytes ? decodeText(bytes) : file.content, breathe)
    return [{ report: { ...report(parsed.kind), skipped: parsed.skipped }, articles: parsed.articles }]
  } catch (error) {
    if (!(error instanceof ImportFileError)) throw error
    return [{ report: { ...report(kind === 'json' || kind === null ? null : kind), error: error.message }, articles: [] }]
  }
}

async function readZip(zipName: string, bytes: Uint8Array, breathe: () => Promise<void>): Promise<Pending[]> {
  const out: Pending[] = []
  const zipReport: ImportFileReport = { name: zipName, kind: 'zip', error: null, articles: [], skipped: [] }
  let entries = 0
  let unpacked = 0
  let contents: Record<string, Uint8Array>
  try {
    contents = unzipSync(bytes, {
      filter: (entry) => {
        const name = entry.name
        // Folders, macOS resource forks and hidden files are not articles.
        if (name.endsWith('/') || /(^|\/)(__MACOSX|\.)[^/]*/.test(name)) return false
        const kind = kindOf(name)
        if (!kind || kind === 'zip') { zipReport.skipped.push(`${name}: not an article file`); return false }
        if (++entries > MAX_ZIP_ENTRIES) throw new ImportFileError(`more than ${MAX_ZIP_ENTRIES} files in the zip`)
        unpacked += entry.originalSize
        if (unpacked > MAX_UNZIPPED_BYTES) throw new ImportFileError(`unpacks to more than ${MAX_UNZIPPED_BYTES / 1024 / 1024} MB`)
        return true
      },
    })
  } catch (error) {
    zipReport.error = error instanceof ImportFileError ? error.message : `not a readable zip (${(error as Error).message})`
    return [{ report: zipReport, articles: [] }]
  }
  for (const [path, data] of Object.entries(contents).sort(([a], [b]) => a.localeCompare(b))) {
    const report: ImportFileReport = { name: `${zipName}/${path}`, kind: null, error: null, articles: [], skipped: [] }
    try {
      const parsed = await parseArticleFile(path, decodeText(data), breathe)
      out.push({ report: { ...report, kind: parsed.kind, skipped: parsed.skipped }, articles: parsed.articles })
    } catch (error) {
      if (!(error instanceof ImportFileError)) throw error
      out.push({ report: { ...report, error: error.message }, articles: [] })
    }
  }
  if (out.length === 0 && !zipReport.error) zipReport.error = 'the zip holds no Markdown, HTML or JSON files'
  // The zip itself is listed when it has something to say (what it skipped, or why it is refused).
  return zipReport.error || zipReport.skipped.length ? [{ report: zipReport, articles: [] }, ...out] : out
}
