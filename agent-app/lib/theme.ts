/**
 * Light or dark: the system's choice unless this device chose one (issue 17). What applies is
 * html[data-theme] (light or dark), which app.css maps onto the palette; under "system" it follows
 * prefers-color-scheme as it changes.
 */
import { createSignal } from 'solid-js'

export type Theme = 'system' | 'light' | 'dark'
const KEY = 'parley:theme'

const read = (): Theme => { const v = localStorage.getItem(KEY); return v === 'light' || v === 'dark' ? v : 'system' }
const systemDark = window.matchMedia('(prefers-color-scheme: dark)')
const apply = (theme: Theme) => {
  document.documentElement.dataset.theme = theme === 'system' ? (systemDark.matches ? 'dark' : 'light') : theme
}

const [theme, setThemeSignal] = createSignal<Theme>(read())
apply(theme())
systemDark.addEventListener('change', () => { if (theme() === 'system') apply('system') })

export { theme }

export function setTheme(next: Theme): void {
  if (next === 'system') localStorage.removeItem(KEY)
  else localStorage.setItem(KEY, next)
  apply(next)
  setThemeSignal(next)
}
