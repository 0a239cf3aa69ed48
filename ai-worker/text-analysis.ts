/**
 * Turns text into search terms: lower-case, accents folded, help-desk phrases and the
 * German/Spanish glossary mapped onto article vocabulary, stop words dropped, Porter stems.
 * Articles and questions go through the same function, so they meet on the same terms.
 */
import { GLOSSARY, PHRASES, STOP_WORDS } from './lexicon.ts'
import { stem } from './porter-stemmer.ts'

/** Lower case, ß → ss, accents removed, apostrophes dropped ("don't" → "dont"). */
export function normalize(text: string): string {
  return text.toLowerCase().replace(/ß/g, 'ss').normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/['’]/g, '')
}

export const words = (normalized: string): string[] => normalized.match(/[\p{L}\p{N}]+/gu) ?? []

export interface AnalyzeOptions { glossary?: boolean }

/** Search terms of a text. Questions use the glossary; articles are already in its target words. */
export function analyze(text: string, options: AnalyzeOptions = {}): string[] {
  let normalized = normalize(text)
  if (options.glossary) for (const [pattern, replacement] of PHRASES) normalized = normalized.replace(pattern, replacement)
  const out: string[] = []
  for (const word of words(normalized)) {
    const mapped = options.glossary ? GLOSSARY[word] : undefined
    for (const w of mapped ? mapped.split(' ') : [word]) {
      if (STOP_WORDS.has(w) || w.length < 2) continue
      out.push(stem(w))
    }
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

/** The language of a short message: en, de or es by stop-word counts (en when unsure). */
export function detectLanguage(text: string): string {
  const w = words(normalize(text))
  const count = (list: Set<string>) => w.filter((x) => list.has(x)).length
  const scores = { en: count(EN_MARKERS), de: count(DE_MARKERS), es: count(ES_MARKERS) }
  const best = (Object.entries(scores) as [string, number][]).sort((a, b) => b[1] - a[1])[0] as [string, number]
  return best[1] > 0 ? best[0] : 'en'
}

const EN_MARKERS = new Set('the and is are my i you to of it can how what do does with for this that not have'.split(' '))
const DE_MARKERS = new Set('der die das und ist ich nicht mein meine wie kann es ein eine mit fur zu habe mich hallo bitte wo'.split(' '))
const ES_MARKERS = new Set('el la los las y es mi no como puedo que de una un con para se hola por tengo donde'.split(' '))
