/** Layout: sidebar beside the page at desktop widths; on a phone, a top bar and a drawer. */
import { createSignal, lazy, Match, Show, Suspense, Switch, type JSX } from 'solid-js'
import { route } from '../lib/router.ts'
import { useShortcuts } from '../lib/shortcuts.ts'
import { InboxPage } from '../pages/inbox/index.tsx'
import { useApp } from '../store/index.ts'
import { ConnectionStatus } from './ConnectionStatus.tsx'
import { HelpOverlay } from './HelpOverlay.tsx'
import { Sidebar } from './Sidebar.tsx'

const SearchPage = lazy(() => import('../pages/search/index.tsx'))
const SettingsPage = lazy(() => import('../pages/settings/index.tsx'))
const ReportsPage = lazy(() => import('../pages/reports/index.tsx'))
const AccountPage = lazy(() => import('../pages/account/AccountPage.tsx'))

export function Shell(): JSX.Element {
  const app = useApp()
  useShortcuts(app)
  const [menuOpen, setMenuOpen] = createSignal(false)
  const inConversation = () => { const r = route(); return 'conversationId' in r && r.conversationId !== null }
  return (
    <div class="flex h-full">
      <div class="hidden w-52 shrink-0 border-r border-slate-200 md:block">
        <Sidebar />
      </div>
      <Show when={menuOpen()}>
        <div class="fixed inset-0 z-30 flex md:hidden" role="dialog" aria-modal="true" aria-label="Menu">
          <div class="w-72 max-w-[85%] shadow-xl"><Sidebar onNavigate={() => setMenuOpen(false)} /></div>
          <button class="flex-1 bg-slate-900/40" aria-label="Close menu" onClick={() => setMenuOpen(false)} />
        </div>
      </Show>
      <div class="flex min-w-0 flex-1 flex-col">
        <Show when={!inConversation()}>
          <header class="flex items-center gap-3 border-b border-slate-200 px-3 py-2 md:hidden">
            <button class="rounded-md border border-slate-300 px-2.5 py-1.5 text-sm focus-visible:outline-2 focus-visible:outline-blue-700" aria-label="Open menu" aria-expanded={menuOpen()} onClick={() => setMenuOpen(true)}>
              Menu
            </button>
            <ConnectionStatus compact />
          </header>
        </Show>
        <main class="min-h-0 flex-1">
          <Suspense fallback={<p class="p-6 text-slate-600">Loading…</p>}>
            <Switch>
              <Match when={route().page === 'inbox'}><InboxPage /></Match>
              <Match when={route().page === 'search'}><SearchPage /></Match>
              <Match when={route().page === 'settings'}><SettingsPage /></Match>
              <Match when={route().page === 'reports'}><ReportsPage /></Match>
              <Match when={route().page === 'account'}><AccountPage /></Match>
            </Switch>
          </Suspense>
        </main>
      </div>
      <Show when={app.helpOpen()}><HelpOverlay onClose={() => app.setHelpOpen(false)} /></Show>
    </div>
  )
}
