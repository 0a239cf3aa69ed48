/**
 * The agent app's language: the agent's preference (synced in their `agent:<id>` document and
 * remembered on this device for the next start), else the browser's. `t('key', values)` reads it
 * reactively, so every string on screen follows a change at once; dates and times go through
 * `Intl` in the same language (lib/format.ts). The mechanism is protocol/i18n.ts, shared with the
 * widget and the bot.
 *
 * Strings come in two chunks per language, and only the agent's language is downloaded (the
 * service worker precaches the others for offline): the first screen's (`<lang>.ts`: shell,
 * sidebar, inbox, sign-in), loaded before the first render; and the pages' (`pages/<lang>.ts`),
 * loaded together with the first lazily loaded page (`withPageStrings`). The first-load budget
 * (60 KB gzipped, bench/agent-app.ts) cannot carry every page's strings.
 */
import { createSignal } from 'solid-js'
import { UI_LOCALES, formatMessage, isUiLocale, negotiateLocale, regionalLocale, type MessageValues, type Strings, type UiLocale } from '../../protocol/i18n.ts'
import type { CoreKey } from './en.ts'
import type { PageKey } from './pages/en.ts'

export type AppKey = CoreKey | PageKey
export type LanguagePreference = 'auto' | UiLocale

type Table<K extends string> = { default: Strings<K> }
const core: Record<UiLocale, () => Promise<Table<CoreKey>>> = {
  en: () => import('./en.ts'), de: () => import('./de.ts'), es: () => import('./es.ts'), fr: () => import('./fr.ts'), pt: () => import('./pt.ts'),
}
const pages: Record<UiLocale, () => Promise<Table<PageKey>>> = {
  en: () => import('./pages/en.ts'), de: () => import('./pages/de.ts'), es: () => import('./pages/es.ts'), fr: () => import('./pages/fr.ts'), pt: () => import('./pages/pt.ts'),
}

const STORAGE_KEY = 'parley:language'
const stored = (): LanguagePreference => {
  try { const v = localStorage.getItem(STORAGE_KEY); return isUiLocale(v) ? v : 'auto' } catch { return 'auto' }
}

const [preference, setPreferenceSignal] = createSignal<LanguagePreference>(stored())
const [locale, setLocaleSignal] = createSignal<UiLocale>('en')
const [strings, setStrings] = createSignal<Partial<Strings<AppKey>>>({})
/** Whether a page asked for the pages' strings (then a language switch loads them too). */
let pagesWanted = false

export { locale, preference }

/** The tag for Intl (dates, numbers): the browser's regional variant of the app's language (en-GB, de-AT), else the language. */
export const intlLocale = (): string => regionalLocale(locale(), navigator.languages ?? [navigator.language])

/** The browser's language among the app's (navigator.languages: de-AT → de), else English. */
export const browserLocale = (): UiLocale => negotiateLocale(navigator.languages ?? [navigator.language], UI_LOCALES, 'en')
const resolve = (p: LanguagePreference): UiLocale => (p === 'auto' ? browserLocale() : p)

let ticket = 0
/** Loads a language's strings (first screen, and pages when wanted) and switches to it; a later call wins. */
async function switchTo(next: UiLocale): Promise<void> {
  const mine = ++ticket
  let table: Partial<Strings<AppKey>>
  try {
    const [first, rest] = await Promise.all([core[next](), pagesWanted ? pages[next]() : null])
    table = { ...first.default, ...rest?.default }
  } catch (error) {
    if (next === 'en') throw error
    console.warn(`Parley: the ${next} strings did not load; English instead`, error)
    return switchTo('en')
  }
  if (mine !== ticket) return
  setStrings(table)
  setLocaleSignal(next)
  document.documentElement.lang = next
}

/** Before the first render: the language this device last used, or the browser's. */
export const loadInitialLanguage = (): Promise<void> => switchTo(resolve(preference()))

/** The agent chose a language ('auto': the browser's); kept on this device, applied at once. */
export function setLanguagePreference(next: LanguagePreference): Promise<void> {
  try { if (next === 'auto') localStorage.removeItem(STORAGE_KEY); else localStorage.setItem(STORAGE_KEY, next) } catch { /* private mode: this session only */ }
  setPreferenceSignal(next)
  return resolve(next) === locale() && Object.keys(strings()).length > 0 ? Promise.resolve() : switchTo(resolve(next))
}

let pageStrings: Promise<void> | null = null
/** The pages' strings in the current language (once; later switches bring their own). */
function loadPageStrings(): Promise<void> {
  pagesWanted = true
  pageStrings ??= pages[locale()]().then((table) => { setStrings((all) => ({ ...all, ...table.default })) })
  return pageStrings
}

/**
 * For `lazy()`: a page's module together with the pages' strings, so a page never shows keys.
 * `lazy(() => withPageStrings(import('./View.tsx')))`.
 */
export async function withPageStrings<M>(module: Promise<M>): Promise<M> {
  const [loaded] = await Promise.all([module, loadPageStrings().catch((error) => console.warn('Parley: page strings did not load', error))])
  return loaded
}

/** A string in the agent's language; reactive in Solid (it reads the language's signals). */
export function t(key: AppKey, values?: MessageValues): string {
  const template = strings()[key]
  return template === undefined ? key : formatMessage(template, values, locale())
}
