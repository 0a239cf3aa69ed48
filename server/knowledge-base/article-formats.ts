/**
 * Reads one file of an import into articles: Markdown (optional front matter), HTML (turned into
 * Markdown by turndown, so lists stay lists and links stay links), and a help center's public
 * export: Zendesk Guide (`{"articles":[…]}`) and Intercom (`{"type":"list","data":[…]}`).
 * Each article carries a source key, so importing the same thing again updates what it made.
 */
import TurndownService from 'turndown'
import * as v from 'valibot'
import { MAX_ARTICLE_CHARS, type ImportFileKind } from '../../protocol/index.ts'
import type { ImportedArticle } from '../../db/article.repository.ts'

/** A file that cannot be imported: the whole import is refused and the report says why. */
export class ImportFileError extends Error {}

export interface ParsedFile { kind: ImportFileKind; articles: ImportedArticle[]; skipped: string[] }

const TITLE_MAX = 300

export function kindOf(name: string): 'markdown' | 'html' | 'json' | 'zip' | null {
  const ext = /\.([a-z0-9]+)$/i.exec(name)?.[1]?.toLowerCase()
  if (ext === 'md' || ext === 'markdown' || ext === 'txt') return 'markdown'
  if (ext === 'html' || ext === 'htm') return 'html'
  if (ext === 'json') return 'json'
  if (ext === 'zip') return 'zip'
  return null
}

/** Bytes as UTF-8 text; anything else is refused rather than imported as mojibake. */
export function decodeText(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '')
  } catch {
    throw new ImportFileError('not UTF-8 text')
  }
}

/**
 * Turning HTML into Markdown takes milliseconds an article (turndown parses a DOM): a help
 * center of thousands would hold the event loop for seconds, stalling every socket of the
 * server. Every few milliseconds of it, the import lets other work run.
 */
export function createBreather(everyMs = 8): () => Promise<void> {
  let since = performance.now()
  return async () => {
    if (performance.now() - since < everyMs) return
    await new Promise<void>((resolve) => setImmediate(resolve))
    since = performance.now()
  }
}

/** Parses a text file of a kind `kindOf` names (not a zip: the importer unpacks those). */
export async function parseArticleFile(path: string, text: string, breathe: () => Promise<void> = createBreather()): Promise<ParsedFile> {
  const kind = kindOf(path)
  await breathe()
  if (kind === 'markdown') return { kind, articles: [fromMarkdown(path, text)], skipped: [] }
  if (kind === 'html') return { kind, articles: [fromHtml(path, text)], skipped: [] }
  if (kind === 'json') return fromHelpCenterExport(text, breathe)
  throw new ImportFileError('not a file Parley imports: use Markdown (.md), HTML (.html), a Zendesk or Intercom export (.json) or a .zip of them')
}

function fromMarkdown(path: string, text: string): ImportedArticle {
  const { fields, rest } = frontMatter(text)
  let body = rest.trim()
  let title = fields.title
  const heading = /^#\s+(.+?)\s*#*\s*$/m.exec(body)
  if (!title && heading) {
    title = heading[1]
    body = (body.slice(0, heading.index) + body.slice(heading.index + heading[0].length)).trim()
  }
  const tags = (fields.tags ?? '').replace(/^\[|\]$/g, '').split(',').map((t) => t.trim().replace(/^["']|["']$/g, '')).filter(Boolean)
  return checked({ sourceKey: `file:${slugOf(fields.slug ?? fields.id ?? path)}`, sourceUrl: urlOrNull(fields.url), title: title ?? titleFromName(path), body, tags })
}

function fromHtml(path: string, html: string): ImportedArticle {
  const inner = /<body[^>]*>([\s\S]*)<\/body>/i.exec(html)?.[1] ?? html
  const h1 = /<h1[^>]*>([\s\S]*?)<\/h1>/i.exec(inner)
  const titleTag = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(html)?.[1]
  const title = plain(titleTag ?? '') || plain(h1?.[1] ?? '') || titleFromName(path)
  // The first heading repeats the title: drop it when it does.
  const body = h1 && plain(h1[1] ?? '') === title ? inner.replace(h1[0], '') : inner
  return checked({ sourceKey: `file:${slugOf(path)}`, sourceUrl: null, title, body: htmlToMarkdown(body), tags: [] })
}

const Id = v.union([v.pipe(v.number(), v.integer()), v.pipe(v.string(), v.minLength(1), v.maxLength(100))])
const ZendeskExport = v.looseObject({
  articles: v.array(v.looseObject({
    id: Id,
    title: v.pipe(v.string(), v.minLength(1, 'must not be empty')),
    body: v.nullish(v.string()),
    html_url: v.nullish(v.string()),
    locale: v.nullish(v.string()),
    draft: v.nullish(v.boolean()),
    label_names: v.nullish(v.array(v.string())),
  })),
})
const IntercomExport = v.looseObject({
  type: v.literal('list'),
  data: v.array(v.looseObject({
    type: v.optional(v.string()),
    id: Id,
    title: v.pipe(v.string(), v.minLength(1, 'must not be empty')),
    body: v.nullish(v.string()),
    url: v.nullish(v.string()),
    state: v.nullish(v.string()),
  })),
})

async function fromHelpCenterExport(text: string, breathe: () => Promise<void>): Promise<ParsedFile> {
  let data: unknown
  try { data = JSON.parse(text) } catch (error) { throw new ImportFileError(`not valid JSON (${(error as Error).message})`) }
  const looksZendesk = typeof data === 'object' && data !== null && 'articles' in data
  const looksIntercom = typeof data === 'object' && data !== null && (data as { type?: unknown }).type === 'list' && 'data' in data
  if (!looksZendesk && !looksIntercom) throw new ImportFileError('not a help-center export Parley knows: expected Zendesk Guide {"articles":[…]} or Intercom {"type":"list","data":[…]}')
  const parsed = v.safeParse(looksZendesk ? ZendeskExport : IntercomExport, data)
  if (!parsed.success) {
    const issue = parsed.issues[0]
    throw new ImportFileError(`${looksZendesk ? 'Zendesk' : 'Intercom'} export: ${v.getDotPath(issue) ?? '(file)'}: ${issue.message}`)
  }
  const articles: ImportedArticle[] = []
  const skipped: string[] = []
  if (looksZendesk) {
    for (const a of (parsed.output as v.InferOutput<typeof ZendeskExport>).articles) {
      await breathe()
      if (a.draft) { skipped.push(`"${a.title}": a draft`); continue }
      if (!a.body?.trim()) { skipped.push(`"${a.title}": no text`); continue }
      articles.push(checked({ sourceKey: `zendesk:${a.id}${a.locale ? `/${a.locale.toLowerCase()}` : ''}`, sourceUrl: urlOrNull(a.html_url), title: plain(a.title), body: htmlToMarkdown(a.body), tags: (a.label_names ?? []).slice(0, 20) }))
    }
    return { kind: 'zendesk', articles, skipped }
  }
  for (const a of (parsed.output as v.InferOutput<typeof IntercomExport>).data) {
    await breathe()
    if (a.type && a.type !== 'article') { skipped.push(`"${a.title}": not an article (${a.type})`); continue }
    if (a.state && a.state !== 'published') { skipped.push(`"${a.title}": ${a.state}, not published`); continue }
    if (!a.body?.trim()) { skipped.push(`"${a.title}": no text`); continue }
    articles.push(checked({ sourceKey: `intercom:${a.id}`, sourceUrl: urlOrNull(a.url), title: plain(a.title), body: htmlToMarkdown(a.body), tags: [] }))
  }
  return { kind: 'intercom', articles, skipped }
}

function checked(article: ImportedArticle): ImportedArticle {
  const title = article.title.replace(/\s+/g, ' ').trim()
  if (!title) throw new ImportFileError('an article has no title')
  if (!article.body.trim()) throw new ImportFileError(`"${title}" has no text`)
  if (article.body.length > MAX_ARTICLE_CHARS) throw new ImportFileError(`"${title}" is ${article.body.length} characters long; at most ${MAX_ARTICLE_CHARS}`)
  return { ...article, title: title.length > TITLE_MAX ? `${title.slice(0, TITLE_MAX - 1)}…` : title, body: article.body.trim(), tags: [...new Set(article.tags.map((t) => t.trim().slice(0, 50)).filter(Boolean))] }
}

const turndown = new TurndownService({ headingStyle: 'atx', bulletListMarker: '-', codeBlockStyle: 'fenced', emDelimiter: '*' })
// Scripts, styles and embeds are not article text (turndown would keep a script's source as a paragraph).
turndown.remove(['script', 'style', 'iframe', 'noscript', 'object', 'embed', 'form', 'button', 'select', 'template'])
// Messages carry no images (the Markdown subset has none): an image becomes its description.
turndown.addRule('image', { filter: 'img', replacement: (_content, node) => { const alt = (node as { getAttribute(n: string): string | null }).getAttribute('alt'); return alt ? alt : '' } })

// A link that is not to a web page or an address (javascript:, data:) keeps its words and loses its target;
// the renderer would refuse it too, but an article should not carry one at all.
turndown.addRule('safeLink', {
  filter: (node) => node.nodeName === 'A' && !/^(https?:|mailto:|\/|#)/i.test((node as { getAttribute(n: string): string | null }).getAttribute('href') ?? ''),
  replacement: (content) => content,
})

/** HTML to the Markdown subset messages carry (lists with "- ", links, bold, code). */
export function htmlToMarkdown(html: string): string {
  // turndown pads list markers to four columns ("-   item"); one space reads as the rest of Parley's text.
  return turndown.turndown(html).replace(/^(\s*)([-*]|\d+\.)\s{2,}/gm, '$1$2 ').replace(/\n{3,}/g, '\n\n').trim()
}

/** Text of a bit of HTML (a title), entities decoded. */
function plain(html: string): string {
  return turndown.turndown(`<p>${html}</p>`).replace(/\\([\\`*_{}[\]()#+\-.!])/g, '$1').replace(/\s+/g, ' ').trim()
}

function frontMatter(text: string): { fields: Record<string, string>; rest: string } {
  const match = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?/.exec(text)
  if (!match) return { fields: {}, rest: text }
  const fields: Record<string, string> = {}
  for (const line of (match[1] ?? '').split(/\r?\n/)) {
    const kv = /^([A-Za-z_][\w-]*)\s*:\s*(.*)$/.exec(line)
    if (kv) fields[(kv[1] as string).toLowerCase()] = (kv[2] as string).trim().replace(/^["'](.*)["']$/, '$1')
  }
  return { fields, rest: text.slice(match[0].length) }
}

/** A stable key for a file: its path without extension, lower-case, with dashes. */
export function slugOf(path: string): string {
  return path.replace(/\.[a-z0-9]+$/i, '').toLowerCase().normalize('NFKD').replace(/[\u0300-\u036f]/g, '')
    .split('/').map((part) => part.replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '')).filter(Boolean).join('/').slice(0, 200) || 'article'
}

const titleFromName = (path: string): string => {
  const base = (path.split('/').pop() ?? path).replace(/\.[a-z0-9]+$/i, '').replace(/[-_]+/g, ' ').trim()
  return base ? base[0]!.toUpperCase() + base.slice(1) : 'Untitled'
}

const urlOrNull = (value: string | null | undefined): string | null => (value && /^https?:\/\/\S+$/i.test(value) && value.length <= 2048 ? value : null)
