/**
 * Light or dark: the system's choice unless this device chose one (issue 17). The choice is
 * html[data-theme]; app.css maps it (and prefers-color-scheme) onto the palette.
 */
import { createSignal } from 'solid-js'

export type Theme = 'system' | 'light' | 'dark'
const KEY = 'parley:theme'

const read = (): Theme => { const v = localStorage.getItem(KEY); return v === 'light' || v === 'dark' ? v : 'system' }
const apply = (theme: Theme) => { if (theme === 'system') delete document.documentElement.dataset.theme; else document.documentElement.dataset.theme = theme }

const [theme, setThemeSignal] = createSignal<Theme>(read())
apply(theme())

export { theme }

export function setTheme(next: Theme): void {
  if (next === 'system') localStorage.removeItem(KEY)
  else localStorage.setItem(KEY, next)
  apply(next)
  setThemeSignal(next)
}
