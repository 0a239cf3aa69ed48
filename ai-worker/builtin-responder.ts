/**
 * The bot without a model. First what the message is (intents.ts): small talk gets a reply in
 * kind, a request for a person or a topic staff must handle goes to a person with its priority
 * and reason. Then the knowledge base: an answer when retrieval is confident (quoting the
 * passage that answers), one clarifying question when it is unsure, a person otherwise. Every
 * fixed sentence comes from the message catalogue in the customer's language. It never
 * pretends to be a model: an answer says plainly that it was found in the help center.
 */
import { DEFAULT_CATEGORIES, message, startsWithMessage, type Message, type Priority } from '../protocol/index.ts'
import { categoryOf } from './categories.ts'
import { intentOf, sentimentOf } from './intents.ts'
import type { Language } from './language.ts'
import { bestSentences, quotePassage, type Hit, type KnowledgeIndex } from './retrieval.ts'
import { detectLanguage, normalize } from './text-analysis.ts'

export { sentimentOf }

export type Decision = { language: Language } & (
  | { action: 'answer'; text: string; sources: { id: string; title: string }[]; confidence: number }
  | { action: 'reply'; text: string; confidence: number }
  | { action: 'clarify'; text: string; confidence: number }
  | { action: 'escalate'; reason: string; priority: Priority; confidence: number })

export interface Judgement {
  category: string
  priority: Priority
  sentiment: 'positive' | 'neutral' | 'negative'
  language: string
  confidence: number
  reasoning: string
}

/** Whether a bot message is our clarifying question (in any language). */
export const isClarifyingQuestion = (text: string) => startsWithMessage(text, 'clarify')

/**
 * How sure retrieval is, in terms that do not depend on the knowledge base's size: the share
 * of the question's own weight the best article covers, how specific the matched words are
 * (against the rarest word the index can have), and the lead over the runner-up.
 */
export function confidenceOf(hits: Hit[]): number {
  const best = hits[0]
  if (!best) return 0
  const specificity = Math.min(1, best.specificity / 0.8)
  // Each must hold: a low margin (two articles fit equally) is not made up for by coverage.
  return specificity * Math.min(1, best.coverage / 0.5) * (0.4 + 0.6 * Math.min(1, best.margin / 0.25))
}

/** A knowledge-base sentence that says staff must act: the bot hands over instead of answering. */
const STAFF_ACTION = /\b(support (must|can|will)|our team (can|will|must)|contact (\w+ )?support|only [\w ]*support can|ask our \w+ team|on request|cant be done over chat)\b/

/** The customer's language: all they wrote so far says more than one short message. */
export function languageOf(transcript: Message[], hint?: string | null): Language {
  return detectLanguage(transcript.filter((m) => m.author.role === 'customer').map((m) => m.text).join('\n'), hint)
}

/** The question the customer is asking now: after our clarifying question, both messages together. */
export function currentQuestion(transcript: Message[], triggerId: string): { text: string; clarified: boolean; latest: string; previous: { text: string; articleId: string } | null } {
  const at = transcript.findIndex((m) => m.id === triggerId)
  const upTo = at < 0 ? transcript : transcript.slice(0, at + 1)
  const trigger = upTo[upTo.length - 1]
  const text = trigger?.text ?? ''
  const lastBot = [...upTo].reverse().find((m) => m.author.role === 'bot' && m.kind === 'message')
  const earlier = lastBot ? upTo.slice(0, upTo.indexOf(lastBot)).reverse().find((m) => m.author.role === 'customer') : undefined
  if (!lastBot || !isClarifyingQuestion(lastBot.text)) {
    // A follow-up to an answer: the question it answered is context for this one.
    return { text, clarified: false, latest: text, previous: lastBot?.sources?.[0] && earlier ? { text: earlier.text, articleId: lastBot.sources[0].id } : null }
  }
  return { text: earlier ? `${earlier.text}\n${text}` : text, clarified: true, latest: text, previous: null }
}

export function respond(index: KnowledgeIndex, transcript: Message[], triggerId: string, threshold: number, hint?: string | null): Decision {
  const { text, clarified, latest, previous } = currentQuestion(transcript, triggerId)
  const language = languageOf(transcript.slice(0, transcript.findIndex((m) => m.id === triggerId) + 1 || undefined), hint)
  const sentiment = sentimentOf(latest)
  const intent = intentOf(latest)
  if (intent.kind === 'greeting') return { action: 'reply', language, confidence: 1, text: message('greetingReply', language) }
  if (intent.kind === 'thanks') return { action: 'reply', language, confidence: 1, text: message('thanksReply', language) }
  if (intent.kind === 'person') {
    return { action: 'escalate', language, confidence: 1, priority: sentiment === 'negative' ? 'high' : 'normal', reason: intent.indirect ? 'the customer wants a person (indirectly)' : 'the customer asked for a person' }
  }
  if (intent.kind === 'staff') return { action: 'escalate', language, confidence: 1, reason: `${intent.topic}: handled by our team`, priority: intent.priority }

  let hits = index.search(text, 5, language)
  let confidence = confidenceOf(hits)
  // A follow-up ("and how much is express?") is read with the question just answered: the
  // article that answered it wins when the new message matches it nearly as well as its best.
  if (previous) {
    const withContext = index.search(`${previous.text}\n${text}`, 5, language)
    const own = hits.find((h) => h.article.id === previous.articleId)
    if (own && withContext[0]?.article.id === previous.articleId && own.score >= 0.5 * (hits[0]?.score ?? 0)) {
      hits = withContext
      confidence = Math.max(confidence, confidenceOf(withContext))
    }
  }
  const best = hits[0]
  // After our clarifying question the answer must come from what the customer just added:
  // its own best article has to be the same one.
  if (clarified && best && index.search(latest, 5, language)[0]?.article.id !== best.article.id) confidence = Math.min(confidence, threshold * 0.99)
  if (!best) return { action: 'escalate', language, reason: index.size === 0 ? 'the help center has no articles yet' : 'the help center has nothing on this', priority: sentiment === 'negative' ? 'high' : 'normal', confidence: 0 }
  const quote = quotePassage(index, best.passage, text)
  if (confidence >= threshold) {
    // The passage that answers says staff must do it: say so and hand over.
    if (bestSentences(index, best.passage, text, 2).some((sentence) => STAFF_ACTION.test(normalize(sentence)))) return { action: 'escalate', language, reason: `the help center says our team handles this (${best.article.title})`, priority: 'normal', confidence }
    const heading = best.passage.heading ? ` (${best.passage.heading})` : ''
    // An imported article keeps its public address: the answer links it.
    const title = best.article.url ? `[${escapeLinkText(best.article.title + heading)}](${best.article.url})` : best.article.title + heading
    return {
      action: 'answer', language, confidence, sources: [{ id: best.article.id, title: best.article.title }],
      text: `${message('answerIntro', language, { title })}\n\n${quote}\n\n${message('answerOutro', language)}`,
    }
  }
  if (!clarified && confidence >= threshold * 0.6 && hits.length > 1) {
    const options = hits.slice(0, 2).map((h) => `"${h.article.title}"`).join(' / ')
    return { action: 'clarify', language, confidence, text: `${message('clarify', language)} ${message('clarifyOptions', language, { options })}` }
  }
  return { action: 'escalate', language, reason: 'no confident answer in the help center', priority: sentiment === 'negative' ? 'high' : 'normal', confidence }
}

/** Classification without a model: one of the workspace's categories, priority, sentiment, language, and why. */
export function classify(index: KnowledgeIndex, text: string, hint?: string | null, categories: readonly string[] = DEFAULT_CATEGORIES): Judgement {
  const language = detectLanguage(text, hint)
  const intent = intentOf(text)
  const hits = index.search(text, 5, language)
  const sentiment = sentimentOf(text)
  const confidence = confidenceOf(hits)
  const best = hits[0]
  const { category, why } = categoryOf({ text, language, intent, best, confident: confidence >= 0.3, articleTags: best?.article.tags }, categories)
  const priority: Priority = (intent.kind === 'staff' && intent.priority === 'high') || sentiment === 'negative' ? 'high' : 'normal'
  const found = intent.kind === 'staff' ? `matches the "${intent.topic}" topic` : intent.kind === 'person' ? 'asks for a person'
    : best ? `closest help-center article: ${best.article.title} (confidence ${confidence.toFixed(2)})` : 'no matching help-center article'
  return { category, priority, sentiment, language, confidence: Math.round((intent.kind === 'question' ? confidence : 1) * 100) / 100, reasoning: `${category}: ${why}; ${found}`.slice(0, 2000) }
}

const escapeLinkText = (text: string) => text.replace(/[[\]\\]/g, (c) => `\\${c}`)
