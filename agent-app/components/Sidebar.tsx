/** Views with counts, search, settings (owners and admins), notifications and the account. */
import { For, Show, Suspense, lazy, type JSX } from 'solid-js'
import { navigate, route, viewHref } from '../lib/router.ts'
import { useApp } from '../store/index.ts'
import { VIEWS, viewLabel } from '../store/inbox.ts'
import { ConnectionStatus } from './ConnectionStatus.tsx'
import { NavLink } from './NavLink.tsx'
import { WorkspaceName } from './WorkspaceName.tsx'
import { setTheme, theme, type Theme } from '../lib/theme.ts'
import { LOCALE_NAMES, UI_LOCALES } from '../../protocol/i18n.ts'
import { browserLocale, preference, t, type LanguagePreference } from '../i18n/index.ts'
import type { Availability } from '../../protocol/routing.ts'

// Not needed before the inbox shows (bench/agent-app.ts counts the first load): loaded beside it. Until
// then the workspace's name stands where the switcher goes, and Settings links to its first page.
const WorkspaceSwitcher = lazy(() => import('./WorkspaceSwitcher.tsx'))
const SettingsLink = lazy(() => import('./IntegrationAlertDot.tsx'))

const DOT: Record<Availability, string> = { online: 'bg-green-600', away: 'bg-amber-500', offline: 'bg-slate-400' }
const word = (state: Availability): string => t(`availability.${state}` as const)

export function AvailabilityDot(props: { state: Availability }): JSX.Element {
  return <span class={`inline-block h-2.5 w-2.5 shrink-0 rounded-full ${DOT[props.state]}`} role="img" aria-label={word(props.state)} title={word(props.state)} />
}

export function Sidebar(props: { onNavigate?: () => void }): JSX.Element {
  const app = useApp()
  const current = () => { const r = route(); return r.page === 'inbox' ? r.view : null }
  const signOut = async () => {
    const n = app.connection.pending()
    if (n > 0 && !confirm(t('nav.signOutPending', { n }))) return
    await app.sessions.signOut()
    navigate('/', { replace: true })
  }
  return (
    <nav aria-label={t('nav.main')} class="flex h-full w-full flex-col gap-4 overflow-y-auto bg-slate-50 p-3">
      <Suspense fallback={<WorkspaceName />}><WorkspaceSwitcher /></Suspense>
      <div class="px-2"><ConnectionStatus /></div>
      <Show when={app.sessions.canWrite()}>
        <label class="flex items-center gap-2 px-2 text-sm text-slate-700">
          <AvailabilityDot state={app.availability.mine()} />
          <span class="sr-only">{t('availability.mine')}</span>
          <select class="flex-1 rounded-md border border-slate-300 bg-white px-1.5 py-0.5 text-sm focus-visible:outline-2 focus-visible:outline-blue-700" data-testid="availability"
            value={app.availability.mine()} onChange={(e) => void app.availability.set(e.currentTarget.value as Availability)}>
            <option value="online">{t('availability.online')}</option>
            <option value="away">{t('availability.away')}</option>
            <option value="offline">{t('availability.offline')}</option>
          </select>
        </label>
        <Show when={app.availability.error()}><p role="alert" class="px-2 text-xs text-red-800">{app.availability.error()}</p></Show>
      </Show>
      <ul class="flex flex-col gap-0.5" aria-label={t('nav.views')}>
        <For each={VIEWS}>{(view) => (
          <li>
            <NavLink href={viewHref(view)} active={current() === view} onNavigate={props.onNavigate} testId={`view-${view}`}>
              <span class="flex-1">{viewLabel(view)}</span>
              <Show when={app.inbox.unreadIn(view) > 0}>
                <span class="rounded-full bg-blue-700 px-1.5 text-xs font-semibold text-white" aria-label={t('nav.unread', { n: app.inbox.unreadIn(view) })}>{app.inbox.unreadIn(view)}</span>
              </Show>
              <span class="w-8 text-right text-xs text-slate-600" aria-label={t('nav.conversations', { n: app.inbox.list(view).length })}>{app.inbox.list(view).length}</span>
            </NavLink>
          </li>
        )}</For>
      </ul>
      <Show when={app.teams().length > 0}>
        <ul class="flex flex-col gap-0.5" aria-label={t('sidebar.waitingPerTeam')}>
          <li class="px-2 text-xs font-semibold uppercase tracking-wide text-slate-600">{t('sidebar.waitingPerTeam')}</li>
          <For each={app.teams()}>{(team) => (
            <li>
              <NavLink href={viewHref(`team:${team.id}`)} active={current() === `team:${team.id}`} onNavigate={props.onNavigate} testId={`view-team-${team.name}`}>
                <span class="flex-1 truncate">{team.name}</span>
                <span class="w-8 text-right text-xs text-slate-600" aria-label={t('sidebar.waiting', { n: app.inbox.list(`team:${team.id}`).length })}>{app.inbox.list(`team:${team.id}`).length}</span>
              </NavLink>
            </li>
          )}</For>
        </ul>
      </Show>
      <ul class="flex flex-col gap-0.5" aria-label={t('sidebar.teammates')} data-testid="teammates">
        <li class="px-2 text-xs font-semibold uppercase tracking-wide text-slate-600">{t('sidebar.teammates')}</li>
        <For each={app.agents().filter((a) => a.active && a.role !== 'viewer' && a.id !== app.me.id)}>{(agent) => (
          <li class="flex items-center gap-2 px-2 py-0.5 text-sm" data-testid="teammate" data-availability={app.availability.of(agent.id)}>
            <AvailabilityDot state={app.availability.of(agent.id)} />
            <span class="flex-1 truncate">{agent.name}</span>
          </li>
        )}</For>
      </ul>
      <ul class="flex flex-col gap-0.5">
        <li><NavLink href="/search" active={route().page === 'search'} onNavigate={props.onNavigate}>{t('nav.search')}</NavLink></li>
        <li><NavLink href="/contacts" active={route().page === 'contacts'} onNavigate={props.onNavigate} testId="nav-contacts">{t('nav.contacts')}</NavLink></li>
        <li><NavLink href="/reports" active={route().page === 'reports'} onNavigate={props.onNavigate} testId="nav-reports">{t('nav.reports')}</NavLink></li>
        <li><NavLink href="/account" active={route().page === 'account'} onNavigate={props.onNavigate} testId="nav-account">{t('nav.account')}</NavLink></li>
        <Show when={app.sessions.isAdmin()}>
          <li><NavLink href="/audit" active={route().page === 'audit'} onNavigate={props.onNavigate} testId="nav-audit">{t('nav.audit')}</NavLink></li>
        </Show>
        <Show when={app.sessions.isAdmin()}>
          <li>
            <Suspense fallback={<NavLink href="/settings/agents" active={route().page === 'settings'} onNavigate={props.onNavigate} testId="nav-settings">{t('nav.settings')}</NavLink>}>
              <SettingsLink active={route().page === 'settings'} onNavigate={props.onNavigate} />
            </Suspense>
          </li>
        </Show>
      </ul>
      <div class="mt-auto flex flex-col gap-2 border-t border-slate-200 px-2 pt-3 text-sm">
        <Show when={app.notifications.supported && app.notifications.permission() === 'default'}>
          <button class="rounded-md border border-slate-300 bg-white px-2 py-1.5 text-left hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-blue-700" onClick={() => void app.notifications.request()}>
            {t('nav.notifications')}
          </button>
        </Show>
        <button class="text-left text-slate-700 underline-offset-2 hover:underline" onClick={() => app.setHelpOpen(true)}>{t('nav.shortcuts')} <kbd class="font-mono text-xs">?</kbd></button>
        <label class="flex items-center justify-between gap-2 text-slate-700">
          {t('nav.theme')}
          <select class="rounded-md border border-slate-300 bg-white px-1.5 py-0.5 text-sm focus-visible:outline-2 focus-visible:outline-blue-700" data-testid="theme"
            value={theme()} onChange={(e) => setTheme(e.currentTarget.value as Theme)}>
            <option value="system">{t('nav.themeSystem')}</option>
            <option value="light">{t('nav.themeLight')}</option>
            <option value="dark">{t('nav.themeDark')}</option>
          </select>
        </label>
        <label class="flex items-center justify-between gap-2 text-slate-700">
          {t('nav.language')}
          <select class="min-w-0 max-w-36 flex-1 rounded-md border border-slate-300 bg-white px-1.5 py-0.5 text-sm focus-visible:outline-2 focus-visible:outline-blue-700" data-testid="language"
            value={preference()} onChange={(e) => app.setLanguage(e.currentTarget.value as LanguagePreference)}>
            <option value="auto">{t('nav.languageAuto', { name: LOCALE_NAMES[browserLocale()] })}</option>
            <For each={UI_LOCALES}>{(l) => <option value={l} lang={l}>{LOCALE_NAMES[l]}</option>}</For>
          </select>
        </label>
        <label class="flex items-center justify-between gap-2 text-slate-700">
          {t('nav.sound')}
          <input type="checkbox" data-testid="sound" checked={app.agentState.preference('sound')}
            onChange={(e) => { app.agentState.setPreference('sound', e.currentTarget.checked); if (e.currentTarget.checked) void import('../lib/chime.ts').then((m) => m.playChime()) }} />
        </label>
        <div class="flex items-center justify-between gap-2">
          <span class="truncate" title={app.me.name}>{app.me.name}</span>
          <button class="rounded px-2 py-1 text-slate-700 hover:bg-slate-200 focus-visible:outline-2 focus-visible:outline-blue-700" onClick={() => void signOut()}>{t('nav.signOut')}</button>
        </div>
      </div>
    </nav>
  )
}
