/**
 * Retrieval over a workspace's knowledge base: articles are split into passages at their
 * Markdown headings and ranked with BM25, the article title and the passage heading weighted
 * above body text. A hit carries what the responder needs to judge it, in terms that mean the
 * same for a knowledge base of 1 or of 500 articles: the share of the question's own weight
 * it covers, how specific the matched words are against the rarest word this index can have,
 * and its margin over the next article.
 */
import { detectLanguage, type Language } from './language.ts'
import { analyze, normalize, withinOneEdit, words } from './text-analysis.ts'

/** `tags` and `url` come with articles from the database (a tag may name a category; an imported article has a public address). */
export interface KbArticle { id: string; title: string; body: string; tags?: string[]; url?: string | null }

export interface Passage { articleId: string; articleTitle: string; heading: string; text: string }

export interface Hit {
  article: KbArticle
  passage: Passage
  score: number
  /** Share (0–1) of the question's term weight found anywhere in this article. */
  coverage: number
  /** Summed idf of the question's words this article has, over the idf of a word only one article has (0–1+). */
  specificity: number
  /** (best − this article's runner-up) / best; 1 when no other article matched. */
  margin: number
}

interface IndexedPassage extends Passage { tf: Map<string, number>; length: number }

const K1 = 1.2
const B = 0.75
const TITLE_WEIGHT = 3
const HEADING_WEIGHT = 2

export interface IndexOptions {
  /** The workspace's name: its words (the product's name) carry no meaning in a question. */
  workspaceName?: string
}

export class KnowledgeIndex {
  private passages: IndexedPassage[] = []
  private df = new Map<string, number>()
  private avgLength = 1
  private articles = new Map<string, KbArticle>()
  /** The whole article as one document too: a question can span several of its sections. */
  private wholes = new Map<string, { tf: Map<string, number>; length: number }>()
  private avgArticleLength = 1
  /** Words of the product's name (from the workspace and the articles themselves). */
  readonly ignored: ReadonlySet<string>
  /** The language most articles are written in. */
  readonly language: Language

  constructor(articles: KbArticle[], options: IndexOptions = {}) {
    this.ignored = productWords(articles, options.workspaceName)
    this.language = detectLanguage(articles.map((a) => `${a.title}\n${a.body}`).join('\n').slice(0, 20_000), 'en')
    const analyzeKb = (text: string) => analyze(text, { language: this.language, ignore: this.ignored })
    for (const article of articles) {
      this.articles.set(article.id, article)
      const titleTerms = analyzeKb(article.title)
      const seen = new Set<string>()
      for (const section of splitSections(article)) {
        const tf = new Map<string, number>()
        const add = (terms: string[], weight: number) => { for (const t of terms) tf.set(t, (tf.get(t) ?? 0) + weight) }
        const body = analyzeKb(section.text)
        add(body, 1)
        add(titleTerms, TITLE_WEIGHT)
        add(analyzeKb(section.heading), HEADING_WEIGHT)
        this.passages.push({ ...section, articleId: article.id, articleTitle: article.title, tf, length: body.length })
        for (const term of tf.keys()) seen.add(term)
      }
      // Document frequency counts articles, not passages: a word every section of one article
      // shares (its title words) is what makes that article distinct.
      for (const term of seen) this.df.set(term, (this.df.get(term) ?? 0) + 1)
      const whole = new Map<string, number>()
      const body = analyzeKb(article.body)
      for (const t of body) whole.set(t, (whole.get(t) ?? 0) + 1)
      for (const t of titleTerms) whole.set(t, (whole.get(t) ?? 0) + TITLE_WEIGHT)
      this.wholes.set(article.id, { tf: whole, length: body.length })
    }
    this.avgArticleLength = [...this.wholes.values()].reduce((sum, w) => sum + w.length, 0) / Math.max(1, this.wholes.size) || 1
    this.avgLength = this.passages.reduce((sum, p) => sum + p.length, 0) / Math.max(1, this.passages.length) || 1
  }

  get size(): number { return this.articles.size }

  idf(term: string): number {
    const n = this.articles.size
    const df = this.df.get(term) ?? 0
    return Math.log(1 + (n - df + 0.5) / (df + 0.5))
  }

  /** The idf of a word exactly one article has: the most specific a known word can be here. */
  private get rarestIdf(): number { return Math.log(1 + (this.articles.size - 1 + 0.5) / (1 + 0.5)) }

  /**
   * Question terms. A word the index lacks is mapped onto the one index word it is one edit
   * from (a typo), or that it starts or is the start of (a cognate: "configuro" / "configur").
   */
  queryTerms(question: string, language?: Language): string[] {
    return analyze(question, { language: language ?? detectLanguage(question, this.language), ignore: this.ignored }).map((term) => {
      if (this.df.has(term) || term.length < 5) return term
      const known = [...this.df.keys()].filter((k) => k.length >= 5)
      const typo = known.filter((k) => withinOneEdit(term, k))
      if (typo.length === 1) return typo[0] as string
      const cognate = known.filter((k) => term.startsWith(k) || k.startsWith(term))
      return cognate.length === 1 ? (cognate[0] as string) : term
    })
  }

  /** Best passage per article, best article first. */
  search(question: string, limit = 5, language?: Language): Hit[] {
    const terms = [...new Set(this.queryTerms(question, language))]
    if (terms.length === 0 || this.articles.size === 0) return []
    const focus = questionFocus(question)
    const focusTerms = new Set(focus ? this.queryTerms(focus, language) : [])
    // Words of the sentence that asks ("How can I …?") count double against words of context.
    const boost = new Map(terms.map((t) => [t, focusTerms.has(t) ? FOCUS_WEIGHT : 1]))
    // A word the knowledge base has never seen weighs like the rarest word it has: a question
    // about something no article mentions must not look covered.
    const rarest = this.rarestIdf
    const weight = (t: string) => (this.df.has(t) ? this.idf(t) : rarest) * (boost.get(t) ?? 1)
    const total = terms.reduce((sum, t) => sum + weight(t), 0)
    const best = new Map<string, Hit>()
    for (const passage of this.passages) {
      const score = this.bm25(terms, boost, passage.tf, passage.length / this.avgLength)
      if (score === 0) continue
      const current = best.get(passage.articleId)
      if (!current || score > current.score) {
        const whole = this.wholes.get(passage.articleId) as { tf: Map<string, number> }
        let covered = 0
        let matched = 0
        for (const term of terms) if (whole.tf.has(term)) { covered += weight(term); matched += this.idf(term) * (boost.get(term) ?? 1) }
        best.set(passage.articleId, { article: this.articles.get(passage.articleId) as KbArticle, passage, score, coverage: covered / total, specificity: matched / rarest, margin: 1 })
      }
    }
    for (const hit of best.values()) {
      const whole = this.wholes.get(hit.article.id) as { tf: Map<string, number>; length: number }
      hit.score = (hit.score + this.bm25(terms, boost, whole.tf, whole.length / this.avgArticleLength)) / 2
    }
    const ranked = [...best.values()].sort((a, b) => b.score - a.score)
    for (const [i, hit] of ranked.entries()) {
      const next = ranked[i + 1]
      hit.margin = next ? (hit.score - next.score) / hit.score : 1
    }
    return ranked.slice(0, limit)
  }

  private bm25(terms: string[], boost: Map<string, number>, tf: Map<string, number>, relativeLength: number): number {
    let score = 0
    for (const term of terms) {
      const f = tf.get(term)
      if (f) score += (boost.get(term) ?? 1) * this.idf(term) * (f * (K1 + 1)) / (f + K1 * (1 - B + B * relativeLength))
    }
    return score
  }
}

/**
 * The product's name: the workspace's name, and a capitalised word that most articles use and
 * that never appears in lower case (a name, not a word such as "Settings").
 */
function productWords(articles: KbArticle[], workspaceName?: string): Set<string> {
  const out = new Set(words(normalize(workspaceName ?? '')).filter((w) => w.length >= 3))
  if (articles.length < 3) return out
  const capitalised = new Map<string, number>()
  const lower = new Map<string, number>()
  const upper = new Map<string, number>()
  for (const article of articles) {
    // Code and addresses ("api.example.com") spell names in lower case: they do not count.
    const text = `${article.title}\n${article.body}`.replace(/`[^`]*`/g, ' ').replace(/\S*[./@]\S*\.\S+/g, ' ')
    const here = new Set<string>()
    for (const w of text.match(/\p{L}[\p{L}\p{N}]*/gu) ?? []) {
      if (/^\p{Lu}\p{Ll}+$/u.test(w)) { here.add(w.toLowerCase()); upper.set(w.toLowerCase(), (upper.get(w.toLowerCase()) ?? 0) + 1) }
      else if (/^\p{Ll}+$/u.test(w)) lower.set(w, (lower.get(w) ?? 0) + 1)
    }
    for (const w of here) capitalised.set(w, (capitalised.get(w) ?? 0) + 1)
  }
  // The one name most articles use (a plan or feature name is used by fewer), nearly always
  // capitalised (an occasional identifier such as "name-verification" is lower case).
  const [name] = [...capitalised].filter(([w, n]) => n >= articles.length * 0.6 && (lower.get(w) ?? 0) * 10 <= (upper.get(w) ?? 0)).sort((a, b) => b[1] - a[1])
  if (name) out.add(normalize(name[0]))
  return out
}

const FOCUS_WEIGHT = 2

/** The sentence that asks, when a message also gives context; null when it is all one ask. */
function questionFocus(question: string): string | null {
  const sentences = question.split(/(?<=[.!?])\s+|\n+/).map((s) => s.trim()).filter(Boolean)
  if (sentences.length < 2) return null
  const asks = sentences.filter((s) => /[?]$/.test(s))
  return asks.length > 0 && asks.length < sentences.length ? asks.join(' ') : null
}

function splitSections(article: KbArticle): { heading: string; text: string }[] {
  const sections: { heading: string; text: string }[] = []
  let heading = ''
  let lines: string[] = []
  const push = () => { const text = lines.join('\n').trim(); if (text) sections.push({ heading, text }) }
  for (const line of article.body.split('\n')) {
    const match = /^#{1,6}\s+(.*)$/.exec(line)
    if (match) {
      push()
      heading = /^#\s/.test(line) ? '' : (match[1] as string)
      lines = []
    } else lines.push(line)
  }
  push()
  return sections.length > 0 ? sections : [{ heading: '', text: article.title }]
}

/** A passage's blocks: paragraphs and list items (a list item keeps its marker). */
function blocksOf(passage: Passage): { text: string; item: boolean }[] {
  const blocks: { text: string; item: boolean }[] = []
  for (const para of passage.text.split(/\n\s*\n/)) {
    const lines = para.split('\n').map((l) => l.trimEnd()).filter((l) => l.trim())
    if (lines.some((l) => /^\s*([-*+]|\d+[.)])\s/.test(l))) for (const l of lines) blocks.push({ text: l, item: /^\s*([-*+]|\d+[.)])\s/.test(l) })
    else if (lines.length > 0) blocks.push({ text: lines.join(' '), item: false })
  }
  return blocks
}

/**
 * The part of a passage that answers: the whole passage when it is short, otherwise the blocks
 * that share the most weight with the question, in their order. Lists stay lists (one line per
 * item, markers kept), so the Markdown renders as the article does.
 */
export function quotePassage(index: KnowledgeIndex, passage: Passage, question: string, maxChars = 700): string {
  const blocks = blocksOf(passage)
  const whole = blocks.map((b) => b.text)
  if (whole.join('\n').length <= maxChars) return joinBlocks(blocks)
  const terms = new Set(index.queryTerms(question))
  const scored = blocks.map((b, i) => ({ ...b, i, score: [...new Set(analyze(b.text, { language: index.language, ignore: index.ignored }))].filter((t) => terms.has(t)).reduce((s, t) => s + index.idf(t), 0) }))
  const chosen: typeof scored = []
  let length = 0
  for (const b of [...scored].sort((a, b) => b.score - a.score || a.i - b.i)) {
    if (chosen.length > 0 && (b.score === 0 || length + b.text.length > maxChars)) continue
    chosen.push(b)
    length += b.text.length
  }
  return joinBlocks(chosen.sort((a, b) => a.i - b.i))
}

function joinBlocks(blocks: { text: string; item: boolean }[]): string {
  return blocks.map((b, i) => (i === 0 ? '' : b.item && blocks[i - 1]?.item ? '\n' : '\n\n') + b.text).join('')
}

/** The sentences of a passage that share the most weight with the question, in their order (the copilot's draft). */
export function bestSentences(index: KnowledgeIndex, passage: Passage, question: string, max = 3): string[] {
  const terms = new Set(index.queryTerms(question))
  const sentences = passage.text.split(/(?<=[.!?])\s+|\n+/).map((s) => s.trim()).filter((s) => words(normalize(s)).length > 2)
  const scored = sentences.map((sentence, i) => ({ sentence, i, score: [...new Set(analyze(sentence, { language: index.language, ignore: index.ignored }))].filter((t) => terms.has(t)).reduce((sum, t) => sum + index.idf(t), 0) }))
  const chosen = scored.filter((s) => s.score > 0).sort((a, b) => b.score - a.score).slice(0, max).sort((a, b) => a.i - b.i)
  return (chosen.length > 0 ? chosen : scored.slice(0, max)).map((s) => s.sentence)
}
