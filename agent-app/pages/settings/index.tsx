/** Settings for owners and admins: agents, teams and routing, inboxes, widgets, knowledge base, canned responses, AI, contact attributes, email, integrations, data retention. */
import { For, lazy, Match, Show, Switch, type JSX } from 'solid-js'
import { NavLink } from '../../components/NavLink.tsx'
import { route, SETTINGS_SECTIONS, type SettingsSection } from '../../lib/router.ts'
import { useApp } from '../../store/index.ts'
import { t } from '../../i18n/index.ts'

const AgentsSettings = lazy(() => import('./AgentsSettings.tsx'))
const WidgetsSettings = lazy(() => import('./WidgetsSettings.tsx'))
const ArticlesSettings = lazy(() => import('./ArticlesSettings.tsx'))
const CannedSettings = lazy(() => import('./CannedSettings.tsx'))
const AiSettingsForm = lazy(() => import('./AiSettingsForm.tsx'))
const TeamsSettings = lazy(() => import('./TeamsSettings.tsx'))
const InboxesSettings = lazy(() => import('./InboxesSettings.tsx'))
const AttributeSettings = lazy(() => import('./AttributeSettings.tsx'))
const EmailSettings = lazy(() => import('./EmailSettings.tsx'))
const IntegrationsSettings = lazy(() => import('./integrations/IntegrationsSettings.tsx'))
const RetentionSettings = lazy(() => import('./RetentionSettings.tsx'))

/** A section's name in the agent's language (`settings.<section>` in i18n/en.ts). */
const label = (section: SettingsSection): string => t(`settings.${section}` as const)

export default function SettingsPage(): JSX.Element {
  const app = useApp()
  const section = () => (route() as { section: SettingsSection }).section
  return (
    <Show when={app.sessions.isAdmin()} fallback={<p class="p-6">{t('settings.adminsOnly')}</p>}>
      <div class="flex h-full flex-col">
        <nav aria-label={t('nav.settings')} class="flex gap-1 overflow-x-auto border-b border-slate-200 px-3 py-2">
          <For each={SETTINGS_SECTIONS}>{(s) => (
            <NavLink href={`/settings/${s}`} active={section() === s}
              class={`whitespace-nowrap rounded-md px-3 py-1.5 text-sm focus-visible:outline-2 focus-visible:outline-blue-700 ${section() === s ? 'bg-blue-100 font-semibold text-blue-900' : 'text-slate-800 hover:bg-slate-100'}`}>
              {label(s)}
            </NavLink>
          )}</For>
        </nav>
        <div class="min-h-0 flex-1 overflow-y-auto p-4 md:p-6">
          <h1 class="mb-4 text-xl font-semibold">{label(section())}</h1>
          <Switch>
            <Match when={section() === 'agents'}><AgentsSettings /></Match>
            <Match when={section() === 'teams'}><TeamsSettings /></Match>
            <Match when={section() === 'inboxes'}><InboxesSettings /></Match>
            <Match when={section() === 'widgets'}><WidgetsSettings /></Match>
            <Match when={section() === 'articles'}><ArticlesSettings /></Match>
            <Match when={section() === 'canned'}><CannedSettings /></Match>
            <Match when={section() === 'ai'}><AiSettingsForm /></Match>
            <Match when={section() === 'attributes'}><AttributeSettings /></Match>
            <Match when={section() === 'email'}><EmailSettings /></Match>
            <Match when={section() === 'integrations'}><IntegrationsSettings /></Match>
            <Match when={section() === 'retention'}><RetentionSettings /></Match>
          </Switch>
        </div>
      </div>
    </Show>
  )
}
