/**
 * The workspace's categories (Settings → AI; default technical, billing, account, sales,
 * general, sensitive) and how the built-in classifier picks one. A topic staff must handle maps
 * to its category; otherwise an article tagged with a category's name decides; otherwise the
 * support words of the question and of the article that answers it (already in English, through
 * the lexicon, whatever the customer's language) are counted against each category's cue words.
 * A category the team added (say "shipping") is matched by its own name and by article tags.
 */
import { DEFAULT_CATEGORIES } from '../protocol/index.ts'
import type { Intent } from './intents.ts'
import type { Language } from './language.ts'
import type { Hit } from './retrieval.ts'
import { analyze } from './text-analysis.ts'

export { DEFAULT_CATEGORIES }

/** Cue words of the default categories, in English (stemmed like everything else before use). */
const CUE_WORDS: Record<string, string> = {
  billing: 'billing invoice payment card price plan subscription refund charge tax vat renewal annual monthly cancel receipt',
  account: 'account password sign reset forgot two factor authentication email profile member invite role permission sso code',
  technical: 'sync offline export import error bug crash api integration connect upload download file image key domain certificate storage restore trash delete page note broken',
  sales: 'sales demo quote enterprise discount trial upgrade license seats contract volume',
  sensitive: 'security hacked fraud legal lawyer gdpr privacy breach stolen',
}

/** Where each topic of intents.ts belongs, in order of preference among the workspace's categories. */
const TOPIC_CATEGORIES: Record<string, string[]> = {
  'account security': ['sensitive', 'security', 'account'],
  'billing dispute': ['billing', 'sensitive'],
  'legal or compliance': ['sensitive', 'legal'],
  'suspected data loss': ['technical', 'sensitive'],
  'hosting or contract terms': ['sales', 'billing'],
  'bug report': ['technical', 'bug'],
}

const cueCache = new Map<string, Set<string>>()
function cuesOf(category: string): Set<string> {
  let cues = cueCache.get(category)
  if (!cues) {
    cues = new Set(analyze(`${category} ${CUE_WORDS[category] ?? ''}`, { language: 'en' }))
    cueCache.set(category, cues)
  }
  return cues
}

const fallback = (categories: readonly string[]) => (categories.includes('general') ? 'general' : categories[categories.length - 1] ?? 'general')

export function categoryOf(input: { text: string; language: Language; intent: Intent; best?: Hit | undefined; confident: boolean; articleTags?: string[] }, categories: readonly string[]): { category: string; why: string } {
  const { intent } = input
  if (intent.kind === 'staff') {
    const found = TOPIC_CATEGORIES[intent.topic]?.find((c) => categories.includes(c))
    if (found) return { category: found, why: `the "${intent.topic}" topic` }
  }
  if (intent.kind === 'person' || intent.kind === 'greeting' || intent.kind === 'thanks') return { category: fallback(categories), why: intent.kind === 'person' ? 'asks for a person' : 'small talk' }
  const tagged = input.confident ? input.articleTags?.map((t) => t.toLowerCase()).find((t) => categories.includes(t)) : undefined
  if (tagged && input.best) return { category: tagged, why: `the article "${input.best.article.title}" is tagged ${tagged}` }
  const terms = analyze(input.text, { language: input.language })
  const articleTerms = input.confident && input.best ? analyze(input.best.article.title, { language: 'en' }) : []
  let best: { category: string; score: number } | null = null
  for (const category of categories) {
    const cues = cuesOf(category)
    // The customer's own words count double: the article only says what the question was about.
    const score = 2 * terms.filter((t) => cues.has(t)).length + articleTerms.filter((t) => cues.has(t)).length
    if (score > 0 && (!best || score > best.score)) best = { category, score }
  }
  if (best) return { category: best.category, why: `its words are about ${best.category}` }
  return { category: fallback(categories), why: 'nothing more specific' }
}
