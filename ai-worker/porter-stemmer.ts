/** The Porter stemming algorithm (M. F. Porter, 1980) for English words, lower-case input. */

const isConsonant = (w: string, i: number): boolean => {
  const c = w[i]
  if (c === 'a' || c === 'e' || c === 'i' || c === 'o' || c === 'u') return false
  if (c === 'y') return i === 0 ? true : !isConsonant(w, i - 1)
  return true
}

/** m: the number of vowel-consonant sequences in the stem. */
function measure(stem: string): number {
  let m = 0
  let i = 0
  const n = stem.length
  while (i < n && isConsonant(stem, i)) i++
  while (i < n) {
    while (i < n && !isConsonant(stem, i)) i++
    if (i >= n) break
    m++
    while (i < n && isConsonant(stem, i)) i++
  }
  return m
}

const hasVowel = (stem: string): boolean => [...stem].some((_, i) => !isConsonant(stem, i))
const endsDouble = (w: string): boolean => w.length > 1 && w[w.length - 1] === w[w.length - 2] && isConsonant(w, w.length - 1)
const endsCvc = (w: string): boolean => {
  const n = w.length
  if (n < 3) return false
  return isConsonant(w, n - 3) && !isConsonant(w, n - 2) && isConsonant(w, n - 1) && !'wxy'.includes(w[n - 1] as string)
}

function replace(w: string, rules: [string, string][], minMeasure: number): string {
  for (const [suffix, replacement] of rules) {
    if (w.endsWith(suffix)) {
      const stem = w.slice(0, -suffix.length)
      return measure(stem) > minMeasure ? stem + replacement : w
    }
  }
  return w
}

const STEP2: [string, string][] = [
  ['ational', 'ate'], ['tional', 'tion'], ['enci', 'ence'], ['anci', 'ance'], ['izer', 'ize'], ['bli', 'ble'], ['alli', 'al'],
  ['entli', 'ent'], ['eli', 'e'], ['ousli', 'ous'], ['ization', 'ize'], ['ation', 'ate'], ['ator', 'ate'], ['alism', 'al'],
  ['iveness', 'ive'], ['fulness', 'ful'], ['ousness', 'ous'], ['aliti', 'al'], ['iviti', 'ive'], ['biliti', 'ble'], ['logi', 'log'],
]
const STEP3: [string, string][] = [['icate', 'ic'], ['ative', ''], ['alize', 'al'], ['iciti', 'ic'], ['ical', 'ic'], ['ful', ''], ['ness', '']]
const STEP4 = ['al', 'ance', 'ence', 'er', 'ic', 'able', 'ible', 'ant', 'ement', 'ment', 'ent', 'ion', 'ou', 'ism', 'ate', 'iti', 'ous', 'ive', 'ize']

export function stem(word: string): string {
  if (word.length <= 2 || !/^[a-z]+$/.test(word)) return word
  let w = word
  // Step 1a
  if (w.endsWith('sses')) w = w.slice(0, -2)
  else if (w.endsWith('ies')) w = w.slice(0, -2)
  else if (w.endsWith('ss')) { /* keep */ } else if (w.endsWith('s')) w = w.slice(0, -1)
  // Step 1b
  if (w.endsWith('eed')) { if (measure(w.slice(0, -3)) > 0) w = w.slice(0, -1) } else {
    for (const suffix of ['ed', 'ing']) {
      if (w.endsWith(suffix) && hasVowel(w.slice(0, -suffix.length))) {
        w = w.slice(0, -suffix.length)
        if (w.endsWith('at') || w.endsWith('bl') || w.endsWith('iz')) w += 'e'
        else if (endsDouble(w) && !/[lsz]$/.test(w)) w = w.slice(0, -1)
        else if (measure(w) === 1 && endsCvc(w)) w += 'e'
        break
      }
    }
  }
  // Step 1c
  if (w.endsWith('y') && hasVowel(w.slice(0, -1))) w = w.slice(0, -1) + 'i'
  w = replace(w, STEP2, 0)
  w = replace(w, STEP3, 0)
  // Step 4
  for (const suffix of STEP4) {
    if (w.endsWith(suffix)) {
      const stem = w.slice(0, -suffix.length)
      if (measure(stem) > 1 && (suffix !== 'ion' || /[st]$/.test(stem))) w = stem
      break
    }
  }
  // Step 5
  if (w.endsWith('e')) {
    const stem = w.slice(0, -1)
    const m = measure(stem)
    if (m > 1 || (m === 1 && !endsCvc(stem))) w = stem
  }
  if (measure(w) > 1 && endsDouble(w) && w.endsWith('l')) w = w.slice(0, -1)
  return w
}
