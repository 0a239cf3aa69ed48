/**
 * The bot without a model: answers from the knowledge base when retrieval is confident,
 * asks one clarifying question when it is unsure, and hands over to a person otherwise, and
 * always when the customer asks for one or the topic is one staff must handle. It never
 * pretends to be a model: an answer says plainly that it was found in the help center.
 */
import type { Message, Priority } from '../protocol/index.ts'
import { HUMAN_REQUEST, NEGATIVE, POSITIVE, STAFF_ACTION, STAFF_TOPICS } from './lexicon.ts'
import { bestSentences, rankSentences, type Hit, type KnowledgeIndex } from './retrieval.ts'
import { detectLanguage, normalize } from './text-analysis.ts'

export type Decision =
  | { action: 'answer'; text: string; sources: { id: string; title: string }[]; confidence: number }
  | { action: 'clarify'; text: string; confidence: number }
  | { action: 'escalate'; reason: string; priority: Priority; confidence: number }

export interface Judgement {
  category: string
  priority: Priority
  sentiment: 'positive' | 'neutral' | 'negative'
  language: string
  confidence: number
  reasoning: string
}

/** Marks a clarifying question so a second unclear message goes to a person. */
export const CLARIFY_PREFIX = 'I want to make sure I point you to the right answer.'

/** Summed idf of matched words (about two distinctive words) at which a match counts as specific. */
const SPECIFIC_ENOUGH = 2.5

/** How sure retrieval is: the share of the question the best article covers, and its lead over the runner-up. */
export function confidenceOf(hits: Hit[]): number {
  const [best, second] = hits
  if (!best) return 0
  const margin = (best.score - (second?.score ?? 0)) / best.score
  // A question made only of common words ("help with my settings") is vague however well it is covered.
  const specificity = Math.min(1, best.matched / SPECIFIC_ENOUGH)
  return specificity * Math.min(1, 0.6 * Math.min(1, best.coverage / 0.4) + 0.4 * Math.min(1, margin / 0.3))
}

export function wantsHuman(text: string): boolean {
  const normalized = normalize(text)
  return HUMAN_REQUEST.some((pattern) => pattern.test(normalized))
}

export function staffTopic(text: string): { topic: string; priority: Priority } | null {
  const normalized = normalize(text)
  const found = STAFF_TOPICS.find((entry) => entry.patterns.some((pattern) => pattern.test(normalized)))
  return found ? { topic: found.topic, priority: found.priority } : null
}

export function sentimentOf(text: string): Judgement['sentiment'] {
  const normalized = normalize(text)
  if (NEGATIVE.test(normalized) || /\b[A-Z]{4,}\b/.test(text.replace(/\b(HTML|PDF|API|SSO|SAML|SCIM|VAT|GDPR|HIPAA|BAA|URL|EU|US|UK)\b/g, ''))) return 'negative'
  return POSITIVE.test(normalized) ? 'positive' : 'neutral'
}

/** The question the customer is asking now: after our clarifying question, both messages together. */
export function currentQuestion(transcript: Message[], triggerId: string): { text: string; clarified: boolean; latest: string } {
  const at = transcript.findIndex((m) => m.id === triggerId)
  const upTo = at < 0 ? transcript : transcript.slice(0, at + 1)
  const trigger = upTo[upTo.length - 1]
  const text = trigger?.text ?? ''
  const lastBot = [...upTo].reverse().find((m) => m.author.role === 'bot' && m.kind === 'message')
  if (!lastBot?.text.startsWith(CLARIFY_PREFIX)) return { text, clarified: false, latest: text }
  const earlier = upTo.slice(0, upTo.indexOf(lastBot)).reverse().find((m) => m.author.role === 'customer')
  return { text: earlier ? `${earlier.text}\n${text}` : text, clarified: true, latest: text }
}

export function respond(index: KnowledgeIndex, transcript: Message[], triggerId: string, threshold: number): Decision {
  const { text, clarified, latest } = currentQuestion(transcript, triggerId)
  const sentiment = sentimentOf(text)
  if (wantsHuman(text)) return { action: 'escalate', reason: 'the customer asked for a person', priority: sentiment === 'negative' ? 'high' : 'normal', confidence: 1 }
  const topic = staffTopic(text)
  if (topic) return { action: 'escalate', reason: `${topic.topic}: handled by our team`, priority: topic.priority, confidence: 1 }
  const hits = index.search(text)
  let confidence = confidenceOf(hits)
  const best = hits[0]
  // After our clarifying question the answer must come from what the customer just added:
  // its own best article has to be the same one.
  if (clarified && best && index.search(latest)[0]?.article.id !== best.article.id) confidence = Math.min(confidence, threshold * 0.99)
  if (!best) return { action: 'escalate', reason: 'the help center has nothing on this', priority: 'normal', confidence: 0 }
  const ranked = rankSentences(index, best.passage, text)
  const sentences = bestSentences(index, best.passage, text)
  // The best-matching lines of the article say staff must do it: say so and hand over.
  if (confidence >= threshold && ranked.slice(0, 2).some((s) => STAFF_ACTION.test(normalize(s)))) {
    return { action: 'escalate', reason: `the help center says our team handles this (${best.article.title})`, priority: 'normal', confidence }
  }
  if (confidence >= threshold) {
    const heading = best.passage.heading ? ` (${best.passage.heading})` : ''
    return {
      action: 'answer', confidence, sources: [{ id: best.article.id, title: best.article.title }],
      text: `I found this in our help center, in "${best.article.title}"${heading}:\n\n${sentences.join(' ')}\n\nDoes that answer your question? If not, just ask for a person.`,
    }
  }
  if (!clarified && confidence >= threshold * 0.6 && hits.length > 1) {
    const options = hits.slice(0, 2).map((h) => `"${h.article.title}"`).join(' or ')
    return { action: 'clarify', confidence, text: `${CLARIFY_PREFIX} Is your question about ${options}? A few more details help, or ask for a person at any time.` }
  }
  return { action: 'escalate', reason: 'no confident answer in the help center', priority: sentiment === 'negative' ? 'high' : 'normal', confidence }
}

/** Classification without a model: the best article as category, simple sentiment and language cues. */
export function classify(index: KnowledgeIndex, text: string): Judgement {
  const hits = index.search(text)
  const topic = staffTopic(text)
  const sentiment = sentimentOf(text)
  const confidence = confidenceOf(hits)
  const category = wantsHuman(text) ? 'human request' : topic ? topic.topic : hits[0] && confidence >= 0.3 ? hits[0].article.title : 'other'
  const priority: Priority = topic?.priority === 'high' || sentiment === 'negative' ? 'high' : 'normal'
  return {
    category: category.slice(0, 100), priority, sentiment, language: detectLanguage(text), confidence: Math.round(confidence * 100) / 100,
    reasoning: topic ? `matches the "${topic.topic}" topic` : hits[0] ? `closest help-center article: ${hits[0].article.title}` : 'no matching help-center article',
  }
}
