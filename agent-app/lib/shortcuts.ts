/** Keyboard shortcuts: one table, used both by the key handler and by the help overlay (`?`). */
import { onCleanup } from 'solid-js'
import type { AppStore } from '../store/index.ts'
import { conversationHref, navigate, route } from './router.ts'

export const SHORTCUTS = [
  { key: 'j', label: 'shortcuts.next' },
  { key: 'k', label: 'shortcuts.previous' },
  { key: 'r', label: 'shortcuts.reply' },
  { key: 'n', label: 'shortcuts.note' },
  { key: 'a', label: 'shortcuts.take' },
  { key: 'e', label: 'shortcuts.resolve' },
  { key: 's', label: 'shortcuts.search' },
  { key: '/', label: 'shortcuts.canned' },
  { key: 'Enter', label: 'shortcuts.send' },
  { key: 'Esc', label: 'shortcuts.escape' },
  { key: '?', label: 'shortcuts.help' },
] as const

const typingIn = (target: EventTarget | null) =>
  target instanceof HTMLElement && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName))

export function useShortcuts(app: AppStore): void {
  const step = (delta: number) => {
    const r = route()
    if (r.page !== 'inbox') return
    const list = app.inbox.list(r.view)
    if (list.length === 0) return
    const index = list.findIndex((e) => e.id === r.conversationId)
    const next = list[Math.min(list.length - 1, Math.max(0, index < 0 ? 0 : index + delta))]
    if (next) navigate(conversationHref(r.view, next.id))
  }
  const onKey = (event: KeyboardEvent) => {
    if (event.key === 'Escape') { if (app.helpOpen()) app.setHelpOpen(false); return }
    if (event.ctrlKey || event.metaKey || event.altKey || typingIn(event.target)) return
    const commands = app.commands()
    const actions: Record<string, () => void> = {
      '?': () => app.setHelpOpen(!app.helpOpen()),
      j: () => step(1),
      k: () => step(-1),
      s: () => navigate('/search'),
      r: () => commands?.reply(),
      n: () => commands?.note(),
      a: () => commands?.take(),
      e: () => commands?.resolve(),
    }
    const action = actions[event.key]
    if (!action) return
    event.preventDefault()
    action()
  }
  document.addEventListener('keydown', onKey)
  onCleanup(() => document.removeEventListener('keydown', onKey))
}
