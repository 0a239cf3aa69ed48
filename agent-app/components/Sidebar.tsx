/** Views with counts, search, settings (owners and admins), notifications and the account. */
import { For, Show, type JSX } from 'solid-js'
import { navigate, route, viewHref } from '../lib/router.ts'
import { useApp } from '../store/index.ts'
import { VIEWS, VIEW_LABELS } from '../store/inbox.ts'
import { ConnectionStatus } from './ConnectionStatus.tsx'
import { NavLink } from './NavLink.tsx'
import { IntegrationAlertDot, createIntegrationTrouble } from './IntegrationAlertDot.tsx'
import { setTheme, theme, type Theme } from '../lib/theme.ts'

export function Sidebar(props: { onNavigate?: () => void }): JSX.Element {
  const app = useApp()
  const current = () => { const r = route(); return r.page === 'inbox' ? r.view : null }
  const signOut = async () => {
    const n = app.connection.pending()
    if (n > 0 && !confirm(`${n} change${n === 1 ? ' has' : 's have'} not reached the server yet. Signing out deletes them from this device. Sign out anyway?`)) return
    await app.sessions.signOut()
    navigate('/', { replace: true })
  }
  return (
    <nav aria-label="Main" class="flex h-full w-full flex-col gap-4 overflow-y-auto bg-slate-50 p-3">
      <div class="flex items-center gap-2 px-2 pt-1">
        <img src="/icon.svg" alt="" class="h-7 w-7" />
        <span class="truncate font-semibold">{app.workspace.name || 'Parley'}</span>
      </div>
      <div class="px-2"><ConnectionStatus /></div>
      <ul class="flex flex-col gap-0.5" aria-label="Inbox views">
        <For each={VIEWS}>{(view) => (
          <li>
            <NavLink href={viewHref(view)} active={current() === view} onNavigate={props.onNavigate} testId={`view-${view}`}>
              <span class="flex-1">{VIEW_LABELS[view]}</span>
              <Show when={app.inbox.unreadIn(view) > 0}>
                <span class="rounded-full bg-blue-700 px-1.5 text-xs font-semibold text-white" aria-label={`${app.inbox.unreadIn(view)} unread`}>{app.inbox.unreadIn(view)}</span>
              </Show>
              <span class="w-8 text-right text-xs text-slate-600" aria-label={`${app.inbox.list(view).length} conversations`}>{app.inbox.list(view).length}</span>
            </NavLink>
          </li>
        )}</For>
      </ul>
      <ul class="flex flex-col gap-0.5">
        <li><NavLink href="/search" active={route().page === 'search'} onNavigate={props.onNavigate}>Search</NavLink></li>
        <li><NavLink href="/reports" active={route().page === 'reports'} onNavigate={props.onNavigate} testId="nav-reports">Reports</NavLink></li>
        <Show when={app.sessions.isAdmin()}>
          {(() => {
            const trouble = createIntegrationTrouble()
            return <li><NavLink href={trouble() > 0 ? '/settings/integrations' : '/settings/agents'} active={route().page === 'settings'} onNavigate={props.onNavigate} testId="nav-settings">Settings<IntegrationAlertDot count={trouble()} /></NavLink></li>
          })()}
        </Show>
      </ul>
      <div class="mt-auto flex flex-col gap-2 border-t border-slate-200 px-2 pt-3 text-sm">
        <Show when={app.notifications.supported && app.notifications.permission() === 'default'}>
          <button class="rounded-md border border-slate-300 bg-white px-2 py-1.5 text-left hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-blue-700" onClick={() => void app.notifications.request()}>
            Turn on notifications
          </button>
        </Show>
        <button class="text-left text-slate-700 underline-offset-2 hover:underline" onClick={() => app.setHelpOpen(true)}>Keyboard shortcuts <kbd class="font-mono text-xs">?</kbd></button>
        <label class="flex items-center justify-between gap-2 text-slate-700">
          Theme
          <select class="rounded-md border border-slate-300 bg-white px-1.5 py-0.5 text-sm focus-visible:outline-2 focus-visible:outline-blue-700" data-testid="theme"
            value={theme()} onChange={(e) => setTheme(e.currentTarget.value as Theme)}>
            <option value="system">System</option>
            <option value="light">Light</option>
            <option value="dark">Dark</option>
          </select>
        </label>
        <div class="flex items-center justify-between gap-2">
          <span class="truncate" title={app.me.name}>{app.me.name}</span>
          <button class="rounded px-2 py-1 text-slate-700 hover:bg-slate-200 focus-visible:outline-2 focus-visible:outline-blue-700" onClick={() => void signOut()}>Sign out</button>
        </div>
      </div>
    </nav>
  )
}
