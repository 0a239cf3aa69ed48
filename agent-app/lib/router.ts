/** A small history router: the URL says which page, which inbox view and which conversation. */
import { createSignal } from 'solid-js'
import { VIEWS, type View } from '../store/inbox.ts'

export const SETTINGS_SECTIONS = ['agents', 'teams', 'inboxes', 'widgets', 'articles', 'canned', 'ai', 'attributes', 'email', 'integrations', 'retention'] as const
export type SettingsSection = (typeof SETTINGS_SECTIONS)[number]

export type Route =
  | { page: 'inbox'; view: View; conversationId: string | null }
  | { page: 'search'; q: string; conversationId: string | null }
  | { page: 'settings'; section: SettingsSection }
  | { page: 'reports'; params: URLSearchParams }
  | { page: 'contacts'; contactId: string | null; params: URLSearchParams }
  | { page: 'account' }
  | { page: 'audit'; params: URLSearchParams }

const [location_, setLocation] = createSignal(new URL(window.location.href))
window.addEventListener('popstate', () => setLocation(new URL(window.location.href)))

export function navigate(to: string, options: { replace?: boolean } = {}): void {
  if (options.replace) history.replaceState(null, '', to)
  else history.pushState(null, '', to)
  setLocation(new URL(window.location.href))
}

export function parseRoute(url: URL): Route {
  const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent)
  if (parts[0] === 'settings') {
    const section = SETTINGS_SECTIONS.find((s) => s === parts[1]) ?? 'agents'
    return { page: 'settings', section }
  }
  if (parts[0] === 'account') return { page: 'account' }
  if (parts[0] === 'audit') return { page: 'audit', params: url.searchParams }
  if (parts[0] === 'reports') return { page: 'reports', params: url.searchParams }
  if (parts[0] === 'contacts') return { page: 'contacts', contactId: parts[1] ?? null, params: url.searchParams }
  if (parts[0] === 'search') return { page: 'search', q: url.searchParams.get('q') ?? '', conversationId: parts[1] ?? null }
  const view: View = VIEWS.find((v) => v === parts[1]) ?? (parts[1]?.startsWith('team:') ? (decodeURIComponent(parts[1]) as View) : 'mine')
  return { page: 'inbox', view, conversationId: parts[2] ?? null }
}

export const route = (): Route => parseRoute(location_())

export const conversationHref = (view: View, id: string): string => `/inbox/${view}/${encodeURIComponent(id)}`
export const viewHref = (view: View): string => `/inbox/${view}`
export const contactHref = (id: string): string => `/contacts/${encodeURIComponent(id)}`
