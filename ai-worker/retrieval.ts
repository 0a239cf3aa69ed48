/**
 * Retrieval over a workspace's knowledge base: articles are split into passages at their
 * `##` headings and ranked with BM25, the article title and the passage heading weighted
 * above body text. A hit carries what the responder needs to judge it: score, the share of
 * the question's weight it covers, and the margin over the next article.
 */
import { analyze, normalize, withinOneEdit, words } from './text-analysis.ts'

export interface KbArticle { id: string; title: string; body: string }

export interface Passage { articleId: string; articleTitle: string; heading: string; text: string }

export interface Hit {
  article: KbArticle
  passage: Passage
  score: number
  /** Share (0–1) of the question's term weight found anywhere in this article. */
  coverage: number
  /** Sum of the idf of the question's words this article has: how specific the match is. */
  matched: number
}

interface IndexedPassage extends Passage { tf: Map<string, number>; length: number }

const K1 = 1.2
const B = 0.75
const TITLE_WEIGHT = 3
const HEADING_WEIGHT = 2

export class KnowledgeIndex {
  private passages: IndexedPassage[] = []
  private df = new Map<string, number>()
  private avgLength = 1
  private articles = new Map<string, KbArticle>()
  /** The whole article as one document too: a question can span several of its sections. */
  private wholes = new Map<string, { tf: Map<string, number>; length: number }>()
  private avgArticleLength = 1

  constructor(articles: KbArticle[]) {
    for (const article of articles) {
      this.articles.set(article.id, article)
      const titleTerms = analyze(article.title)
      const seen = new Set<string>()
      for (const section of splitSections(article)) {
        const tf = new Map<string, number>()
        const add = (terms: string[], weight: number) => { for (const t of terms) tf.set(t, (tf.get(t) ?? 0) + weight) }
        const body = analyze(section.text)
        add(body, 1)
        add(titleTerms, TITLE_WEIGHT)
        add(analyze(section.heading), HEADING_WEIGHT)
        this.passages.push({ ...section, articleId: article.id, articleTitle: article.title, tf, length: body.length })
        for (const term of tf.keys()) seen.add(term)
      }
      // Document frequency counts articles, not passages: a word every section of one article
      // shares (its title words) is what makes that article distinct.
      for (const term of seen) this.df.set(term, (this.df.get(term) ?? 0) + 1)
      const whole = new Map<string, number>()
      const body = analyze(article.body)
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

  /** Question terms, with a typo mapped onto the one index word it is one edit from. */
  queryTerms(question: string): string[] {
    return analyze(question, { glossary: true }).map((term) => {
      if (this.df.has(term) || term.length < 5) return term
      const near = [...this.df.keys()].filter((known) => known.length >= 4 && withinOneEdit(term, known))
      return near.length === 1 ? (near[0] as string) : term
    })
  }

  /** Best passage per article, best article first. */
  search(question: string, limit = 5): Hit[] {
    const focus = questionFocus(question)
    const focusTerms = new Set(focus ? this.queryTerms(focus) : [])
    const terms = [...new Set(this.queryTerms(question))]
    if (terms.length === 0) return []
    // Words of the sentence that asks ("How can I …?") count double against words of context.
    const boost = new Map(terms.map((t) => [t, focusTerms.has(t) ? FOCUS_WEIGHT : 1]))
    // Words the knowledge base has never seen weigh like the rarest known word: a question
    // about something the articles do not mention should not look fully covered.
    const maxIdf = this.idf('\u0000')
    const weight = (t: string) => (this.df.has(t) ? this.idf(t) : maxIdf) * (boost.get(t) ?? 1)
    const total = terms.reduce((sum, t) => sum + weight(t), 0)
    const best = new Map<string, Hit>()
    for (const passage of this.passages) {
      const whole = this.wholes.get(passage.articleId) as { tf: Map<string, number> }
      let covered = 0
      let matched = 0
      for (const term of terms) if (whole.tf.has(term)) { covered += weight(term); matched += this.idf(term) }
      const score = this.bm25(terms, boost, passage.tf, passage.length / this.avgLength)
      if (score === 0) continue
      const current = best.get(passage.articleId)
      if (!current || score > current.score) {
        best.set(passage.articleId, { article: this.articles.get(passage.articleId) as KbArticle, passage, score, coverage: covered / total, matched })
      }
    }
    for (const hit of best.values()) {
      const whole = this.wholes.get(hit.article.id) as { tf: Map<string, number>; length: number }
      hit.score = (hit.score + this.bm25(terms, boost, whole.tf, whole.length / this.avgArticleLength)) / 2
    }
    return [...best.values()].sort((a, b) => b.score - a.score).slice(0, limit)
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

const FOCUS_WEIGHT = 2
const QUESTION_START = /^(how|what|where|when|why|which|who|can|could|is|are|do|does|will|wie|was|wo|wann|warum|kann|koennen|gibt|como|que|donde|cuando|por que|puedo|se puede|hay)\b/

/** The sentence that asks, when a message also gives context; null when it is all one ask. */
function questionFocus(question: string): string | null {
  const sentences = question.split(/(?<=[.!?])\s+|\n+/).map((s) => s.trim()).filter(Boolean)
  if (sentences.length < 2) return null
  const asks = sentences.filter((s) => /[?]$/.test(s) || QUESTION_START.test(normalize(s.replace(/^[¿¡]/, ''))))
  return asks.length > 0 && asks.length < sentences.length ? asks.join(' ') : null
}

function splitSections(article: KbArticle): { heading: string; text: string }[] {
  const sections: { heading: string; text: string }[] = []
  let heading = ''
  let lines: string[] = []
  const push = () => { const text = lines.join('\n').trim(); if (text) sections.push({ heading, text }) }
  for (const line of article.body.split('\n')) {
    const match = /^#{1,3}\s+(.*)$/.exec(line)
    if (match) {
      push()
      heading = /^#\s/.test(line) ? '' : (match[1] as string)
      lines = []
    } else lines.push(line)
  }
  push()
  return sections.length > 0 ? sections : [{ heading: '', text: article.title }]
}

function scoreSentences(index: KnowledgeIndex, passage: Passage, question: string) {
  const terms = new Set(index.queryTerms(question))
  const sentences = passage.text.split(/(?<=[.!?])\s+|\n+/).map((s) => s.trim()).filter((s) => words(normalize(s)).length > 2)
  return sentences.map((sentence, i) => ({ sentence, i, score: [...new Set(analyze(sentence))].filter((t) => terms.has(t)).reduce((sum, t) => sum + index.idf(t), 0) }))
}

/** The sentences of a passage, best match with the question first. */
export function rankSentences(index: KnowledgeIndex, passage: Passage, question: string): string[] {
  return scoreSentences(index, passage, question).filter((s) => s.score > 0).sort((a, b) => b.score - a.score).map((s) => s.sentence)
}

/** The sentences of a passage that share the most weight with the question, in their order. */
export function bestSentences(index: KnowledgeIndex, passage: Passage, question: string, max = 3): string[] {
  const scored = scoreSentences(index, passage, question)
  const chosen = scored.filter((s) => s.score > 0).sort((a, b) => b.score - a.score).slice(0, max).sort((a, b) => a.i - b.i)
  return (chosen.length > 0 ? chosen : scored.slice(0, max)).map((s) => s.sentence)
}
