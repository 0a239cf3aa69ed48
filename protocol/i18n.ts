/**
 * The one translation mechanism of Parley: the bot's fixed sentences (`messages.ts`), the widget
 * (`widget/strings.ts`) and the agent app (`agent-app/i18n/`) all keep typed catalogues (a key
 * missing in one language is a type error) and fill them in through `formatMessage`.
 *
 * Hand-written rather than i18next: the widget carries every language it speaks inside a 45 KB
 * budget and i18next alone is ~15 KB gzipped. What it does is what our catalogues use:
 * `{name}` placeholders and ICU-style plurals `{count, plural, one {# change} other {# changes}}`
 * chosen by `Intl.PluralRules`; dates, times and numbers go through `Intl` directly.
 */

/** The languages the widget and the agent app are written in (the bot understands more: messages.ts). */
export const UI_LOCALES = ['en', 'de', 'es', 'fr', 'pt'] as const
export type UiLocale = (typeof UI_LOCALES)[number]

/** Names of the languages in themselves, for a language picker. */
export const LOCALE_NAMES: Record<UiLocale, string> = { en: 'English', de: 'Deutsch', es: 'Español', fr: 'Français', pt: 'Português' }

/** One language's strings: the same keys as the source language, every one of them. */
export type Strings<K extends string> = Record<K, string>

export type MessageValues = Record<string, string | number>

/**
 * The first supported language among the ones asked for (`navigator.languages`, an
 * Accept-Language list), matching on the primary subtag ("de-AT" → "de"); else `fallback`.
 */
export function negotiateLocale<L extends string>(wanted: readonly (string | null | undefined)[], supported: readonly L[], fallback: L): L {
  for (const tag of wanted) {
    const primary = tag?.trim().toLowerCase().split(/[-_;]/)[0]
    const hit = supported.find((l) => l === primary)
    if (hit) return hit
  }
  return fallback
}

/**
 * The tag to format dates and numbers with: the browser's own regional variant of the chosen
 * language when it has one (en-GB writes 09:00, en-US 9:00 AM), else the language itself.
 */
export function regionalLocale(language: string, wanted: readonly (string | null | undefined)[]): string {
  const hit = wanted.find((tag) => tag?.toLowerCase().split(/[-_]/)[0] === language)
  try { return hit ? (Intl.getCanonicalLocales(hit.replace('_', '-'))[0] ?? language) : language } catch { return language }
}

/** Whether a value is one of the UI languages (for settings that store a language or 'auto'). */
export const isUiLocale = (value: unknown): value is UiLocale => (UI_LOCALES as readonly unknown[]).includes(value)

const pluralRules = new Map<string, Intl.PluralRules>()
function pluralCategory(locale: string, n: number): string {
  let rules = pluralRules.get(locale)
  if (!rules) { rules = new Intl.PluralRules(locale); pluralRules.set(locale, rules) }
  return rules.select(n)
}

/** Finds the `}` that closes the `{` at `open`, counting nested braces. */
function closing(template: string, open: number): number {
  let depth = 0
  for (let i = open; i < template.length; i++) {
    if (template[i] === '{') depth++
    else if (template[i] === '}' && --depth === 0) return i
  }
  return -1
}

/**
 * Fills a template: `{name}` takes `values.name` (left as written when absent, so a missing value
 * is visible rather than silently empty), `{n, plural, =0 {none} one {# item} other {# items}}`
 * picks a branch by exact value or plural category and puts the formatted number at `#`.
 */
export function formatMessage(template: string, values: MessageValues = {}, locale = 'en'): string {
  let out = ''
  let i = 0
  while (i < template.length) {
    const open = template.indexOf('{', i)
    if (open < 0) { out += template.slice(i); break }
    out += template.slice(i, open)
    const end = closing(template, open)
    if (end < 0) { out += template.slice(open); break }
    const body = template.slice(open + 1, end)
    const plural = /^\s*(\w+)\s*,\s*plural\s*,/.exec(body)
    if (plural) out += formatPlural(body.slice(plural[0].length), plural[1]!, values, locale)
    else { const name = body.trim(); out += name in values ? String(values[name]) : `{${body}}` }
    i = end + 1
  }
  return out
}

function formatPlural(options: string, name: string, values: MessageValues, locale: string): string {
  const n = Number(values[name] ?? 0)
  const branches = new Map<string, string>()
  const pattern = /\s*(=?\w+)\s*\{/g
  let match: RegExpExecArray | null
  while ((match = pattern.exec(options))) {
    const open = match.index + match[0].length - 1
    const end = closing(options, open)
    if (end < 0) break
    branches.set(match[1]!, options.slice(open + 1, end))
    pattern.lastIndex = end + 1
  }
  const branch = branches.get(`=${n}`) ?? branches.get(pluralCategory(locale, n)) ?? branches.get('other') ?? ''
  return formatMessage(branch.replace(/#/g, new Intl.NumberFormat(locale).format(n)), values, locale)
}

export type Translate<K extends string> = (key: K, values?: MessageValues) => string

/** A translator over one language's strings, with `fallback` (the source language) for a key it lacks at run time. */
export function createTranslator<K extends string>(strings: Partial<Strings<K>>, locale: string, fallback: Partial<Strings<K>> = {}): Translate<K> {
  return (key, values) => formatMessage(strings[key] ?? fallback[key] ?? key, values, locale)
}
