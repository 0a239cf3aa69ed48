/**
 * The languages the built-in responder understands, from kept libraries: tinyld detects,
 * snowball-stemmers stems, stopwords-iso supplies stop words. Short messages ("Hallo",
 * "Ciao", "2fa") defeat any statistical detector, so detection is combined with how many of
 * the message's words are stop words or support vocabulary of each language, and falls back
 * to a hint (the workspace's or the visitor's browser language) when the evidence is thin.
 */
import { detectAll } from 'tinyld/light'
import snowball from 'snowball-stemmers'
import { createRequire } from 'node:module'
import { LANGUAGES, type Language } from '../protocol/messages.ts'

export { LANGUAGES, type Language }

/** stopwords-iso is one JSON file; required, as the bundled worker keeps it external. */
const stopwordsIso = createRequire(import.meta.url)('stopwords-iso') as Record<string, string[]>

const STEMMER_NAMES: Record<Language, string | null> = {
  en: 'english', de: 'german', es: 'spanish', fr: 'french', pt: 'portuguese', it: 'italian', nl: 'dutch',
  // Snowball has no Polish algorithm: Polish words are cut to a prefix instead (see stem()).
  pl: null,
}

/** Lower case, ß → ss, ł → l, accents removed, apostrophes dropped ("don't" → "dont"). */
export function normalize(text: string): string {
  return text.toLowerCase().replace(/ß/g, 'ss').replace(/ł/g, 'l').replace(/ø/g, 'o').replace(/æ/g, 'ae').replace(/œ/g, 'oe')
    .normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/['’]/g, '')
}

export const words = (normalized: string): string[] => normalized.match(/[\p{L}\p{N}]+/gu) ?? []

const stemmers = new Map<Language, (word: string) => string>()

/** The word's stem in its language (the word already normalised). */
export function stem(word: string, language: Language): string {
  let fn = stemmers.get(language)
  if (!fn) {
    const name = STEMMER_NAMES[language]
    if (name) {
      const stemmer = snowball.newStemmer(name)
      fn = (w: string) => stemmer.stem(w)
    } else {
      // A light stemmer for languages without an algorithm: Polish inflects at the end of the
      // word, so the first six letters carry the lemma well enough for matching.
      fn = (w: string) => (w.length > 6 ? w.slice(0, 6) : w)
    }
    stemmers.set(language, fn)
  }
  return fn(word)
}

const stopLists = new Map<Language, Set<string>>()

/**
 * Stop words of a language, normalised. `keep` lists words that must never be stop words
 * (support vocabulary such as "page" or "account", which stopwords-iso's long lists contain).
 */
export function stopWords(language: Language, keep: ReadonlySet<string> = new Set()): Set<string> {
  let list = stopLists.get(language)
  if (!list) {
    list = new Set(stopwordsIso[language]?.map(normalize).filter((w) => !keep.has(w)) ?? [])
    stopLists.set(language, list)
  }
  return list
}

export function isLanguage(value: string | null | undefined): value is Language {
  return !!value && (LANGUAGES as readonly string[]).includes(value)
}

/** Extra evidence per language: words that are the language's own (greetings, support words). */
export type LanguageCues = Record<Language, ReadonlySet<string>>

/**
 * The language of a message. tinyld's verdict counts when it is clear; otherwise the words
 * decide: each word that is a stop word or a cue of exactly few languages votes for them.
 * With no evidence at all, the hint (or English) wins.
 */
export function detectLanguage(text: string, hint?: string | null, cues?: LanguageCues): Language {
  const fallback: Language = isLanguage(hint) ? hint : 'en'
  const tokens = words(normalize(text)).filter((w) => !/^\d+$/.test(w))
  if (tokens.length === 0) return fallback
  const votes = new Map<Language, number>()
  for (const token of tokens) {
    const speakers = LANGUAGES.filter((l) => stopWords(l).has(token) || cues?.[l].has(token))
    // A word shared by many languages ("a", "de") says little.
    if (speakers.length > 0 && speakers.length <= 3) for (const l of speakers) votes.set(l, (votes.get(l) ?? 0) + 1 / speakers.length)
  }
  const detected = text.trim().length >= 12 ? detectAll(text, { only: [...LANGUAGES] }) : []
  for (const { lang, accuracy } of detected) if (isLanguage(lang)) votes.set(lang, (votes.get(lang) ?? 0) + accuracy * Math.min(3, tokens.length / 2))
  const ranked = [...votes.entries()].sort((a, b) => b[1] - a[1])
  const [best, second] = ranked
  // Less than one word's worth ("ok" is English and Polish): not enough to overrule the hint.
  if (!best || best[1] < 1) return fallback
  // A tie keeps the hint if it is among the best; otherwise the first is as good a guess as any.
  if (second && second[1] === best[1] && (second[0] === fallback)) return fallback
  return best[0]
}
