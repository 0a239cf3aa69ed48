/** Layout: sidebar beside the page at desktop widths; on a phone, a top bar and a drawer. */
import { createSignal, getOwner, lazy, Match, onCleanup, runWithOwner, Show, Suspense, Switch, type JSX } from 'solid-js'
import { route } from '../lib/router.ts'
import { InboxPage } from '../pages/inbox/index.tsx'
import { useApp } from '../store/index.ts'
import { ConnectionStatus } from './ConnectionStatus.tsx'
import { Sidebar } from './Sidebar.tsx'
import { t, withPageStrings } from '../i18n/index.ts'

// The shortcuts overlay and its strings load when asked for (`?`), not with the first screen.
const HelpOverlay = lazy(() => withPageStrings(import('./HelpOverlay.tsx')))
const SearchPage = lazy(() => withPageStrings(import('../pages/search/index.tsx')))
const SettingsPage = lazy(() => withPageStrings(import('../pages/settings/index.tsx')))
const ReportsPage = lazy(() => withPageStrings(import('../pages/reports/index.tsx')))
const AuditPage = lazy(() => withPageStrings(import('../pages/audit/index.tsx')))
const ContactsPage = lazy(() => withPageStrings(import('../pages/contacts/index.tsx')))
const AccountPage = lazy(() => withPageStrings(import('../pages/account/AccountPage.tsx')))

export function Shell(): JSX.Element {
  const app = useApp()
  // The keyboard shortcuts come a moment after the first screen, not in its load (bench/agent-app.ts).
  const owner = getOwner()
  let live = true
  onCleanup(() => { live = false })
  void import('../lib/shortcuts.ts').then((m) => { if (live) runWithOwner(owner, () => m.useShortcuts(app)) })
  const [menuOpen, setMenuOpen] = createSignal(false)
  const inConversation = () => { const r = route(); return 'conversationId' in r && r.conversationId !== null }
  return (
    <div class="flex h-full">
      <div class="hidden w-52 shrink-0 border-r border-slate-200 md:block">
        <Sidebar />
      </div>
      <Show when={menuOpen()}>
        <div class="fixed inset-0 z-30 flex md:hidden" role="dialog" aria-modal="true" aria-label={t('shell.menu')}>
          <div class="w-72 max-w-[85%] shadow-xl"><Sidebar onNavigate={() => setMenuOpen(false)} /></div>
          <button class="flex-1 bg-slate-900/40" aria-label={t('shell.closeMenu')} onClick={() => setMenuOpen(false)} />
        </div>
      </Show>
      <div class="flex min-w-0 flex-1 flex-col">
        <Show when={!inConversation()}>
          <header class="flex items-center gap-3 border-b border-slate-200 px-3 py-2 md:hidden">
            <button class="rounded-md border border-slate-300 px-2.5 py-1.5 text-sm focus-visible:outline-2 focus-visible:outline-blue-700" aria-label={t('shell.openMenu')} aria-expanded={menuOpen()} onClick={() => setMenuOpen(true)}>
              {t('shell.menu')}
            </button>
            <ConnectionStatus compact />
          </header>
        </Show>
        <main class="min-h-0 flex-1">
          <Suspense fallback={<p class="p-6 text-slate-600">{t('common.loading')}</p>}>
            <Switch>
              <Match when={route().page === 'inbox'}><InboxPage /></Match>
              <Match when={route().page === 'search'}><SearchPage /></Match>
              <Match when={route().page === 'settings'}><SettingsPage /></Match>
              <Match when={route().page === 'reports'}><ReportsPage /></Match>
              <Match when={route().page === 'audit'}><AuditPage /></Match>
              <Match when={route().page === 'contacts'}><ContactsPage /></Match>
              <Match when={route().page === 'account'}><AccountPage /></Match>
            </Switch>
          </Suspense>
        </main>
      </div>
      <Show when={app.helpOpen()}><Suspense><HelpOverlay onClose={() => app.setHelpOpen(false)} /></Suspense></Show>
    </div>
  )
}
