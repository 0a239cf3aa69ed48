/**
 * Turns text into search terms: normalised, support vocabulary of any supported language
 * mapped onto English words (concepts.ts), stop words of the text's language dropped, and
 * every word stemmed with its language's Snowball stemmer. Articles and questions go through
 * the same function, so they meet on the same terms whatever language each is written in.
 */
import { CONCEPT_CUES, DOMAIN_WORDS, conceptOf, replacePhrases } from './concepts.ts'
import { SMALL_TALK_CUES } from './intents.ts'
import { LANGUAGES, detectLanguage as detect, normalize, stem, stopWords, words, type Language } from './language.ts'

export { normalize, words }

export interface AnalyzeOptions {
  /** The text's language; detected when omitted. */
  language?: Language
  /** Words that carry no meaning here (the product's own name, which every article mentions). */
  ignore?: ReadonlySet<string>
}

/** The language of a message, with a fallback (workspace or browser language) when it is too short to tell. */
export function detectLanguage(text: string, hint?: string | null): Language {
  return detect(text, hint, CUES)
}

const CUES = Object.fromEntries(LANGUAGES.map((l) => [l, new Set([...CONCEPT_CUES[l], ...SMALL_TALK_CUES[l]])])) as unknown as Record<Language, ReadonlySet<string>>

/** Search terms of a text. */
export function analyze(text: string, options: AnalyzeOptions = {}): string[] {
  const language = options.language ?? detectLanguage(text)
  const stops = stopWords(language, DOMAIN_WORDS)
  const english = stopWords('en', DOMAIN_WORDS)
  const normalized = replacePhrases(dropNegated(normalize(text.replace(/\b(l|d|j|c|qu|n|s|m|t|un|dell|all|nell|sull)['’](?=\p{L})/giu, '$1 '))), language)
  const out: string[] = []
  for (const word of words(normalized)) {
    if (options.ignore?.has(word)) continue
    // Concepts first: stop-word lists of some languages contain support words ("konto" in Polish).
    const concept = word.length >= 2 ? conceptOf(word, language) : null
    if (concept) {
      for (const w of concept) if (!english.has(w)) out.push(stem(w, 'en'))
      continue
    }
    if (stops.has(word) || english.has(word) || word.length < 2) continue
    out.push(stem(word, language))
  }
  return out
}

/** Words one edit apart (a typo like "pasword"); used only when a word is not in the index. */
export function withinOneEdit(a: string, b: string): boolean {
  if (Math.abs(a.length - b.length) > 1 || a === b) return a === b
  let i = 0
  let j = 0
  let edits = 0
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) { i++; j++; continue }
    if (++edits > 1) return false
    if (a.length > b.length) i++
    else if (b.length > a.length) j++
    else { i++; j++ }
  }
  return edits + (a.length - i) + (b.length - j) <= 1
}

/**
 * What the customer says they do not use is not what they ask about ("we don't use Slack"):
 * the object of a negated use/have verb is dropped, in each supported language.
 */
const NEGATED = /\b(dont|do not|doesnt|does not|never|not) (use|have|own|need|want)( \w+){1,3}|\b(nutze|nutzen|verwende|verwenden|haben|habe) (\w+ ){0,2}(nicht|kein\w*)|\bno (uso|usamos|tengo|tenemos)( \w+){1,3}|\bn (utilise|utilisons|ai) pas( \w+){1,3}|\bnao (uso|usamos|tenho|temos)( \w+){1,3}|\bnon (uso|usiamo|ho|abbiamo)( \w+){1,3}|\b(gebruik|gebruiken|heb|hebben) (\w+ ){0,2}(niet|geen)|\bnie (uzywam|uzywamy|mam|mamy)( \w+){1,3}/g
function dropNegated(normalized: string): string { return normalized.replace(NEGATED, ' ') }
