/**
 * Tells owners and admins, wherever they are in the app, that a webhook is failing or was
 * disabled (issue 16): a mark on Settings, which then opens Settings → Integrations. Asked for
 * once a minute; the same alerts the Integrations page lists. Loaded beside the first screen, not
 * in it: until then the sidebar's Settings link has no mark (Sidebar.tsx).
 */
import { createResource, onCleanup, Show, type Accessor, type JSX } from 'solid-js'
import { api } from '../io/api.ts'
import { t } from '../i18n/index.ts'
import { NavLink } from './NavLink.tsx'

const EVERY_MS = 60_000
const DAY = 24 * 3600_000

/** How many endpoints are in trouble: their latest alert of the last day is not a recovery. Call only for admins. */
export function createIntegrationTrouble(): Accessor<number> {
  const [alerts, { refetch }] = createResource(() => api.integrations.alerts().then((r) => r.items).catch(() => []))
  const timer = setInterval(() => void refetch(), EVERY_MS)
  onCleanup(() => clearInterval(timer))
  return () => {
    const latest = new Map<string, string>()
    // `latest`: a refetch every minute does not suspend the sidebar's Suspense (the link would blink).
    for (const a of alerts.latest ?? []) if (a.createdAt > Date.now() - DAY && !latest.has(a.subjectId)) latest.set(a.subjectId, a.level)
    return [...latest.values()].filter((level) => level !== 'info').length
  }
}

export function IntegrationAlertDot(props: { count: number }): JSX.Element {
  return (
    <Show when={props.count > 0}>
      <span data-testid="integration-alert-dot" class="ml-auto rounded-full bg-red-700 px-1.5 text-xs font-semibold text-white"
        title={t('integrations.dot', { n: props.count })}>!<span class="sr-only"> {t('integrations.dot', { n: props.count })}</span></span>
    </Show>
  )
}

/** The sidebar's Settings link for owners and admins: to Integrations, with the mark, while an endpoint is in trouble. */
export default function SettingsLink(props: { active: boolean; onNavigate?: () => void }): JSX.Element {
  const trouble = createIntegrationTrouble()
  return (
    <NavLink href={trouble() > 0 ? '/settings/integrations' : '/settings/agents'} active={props.active} onNavigate={props.onNavigate} testId="nav-settings">
      {t('nav.settings')}<IntegrationAlertDot count={trouble()} />
    </NavLink>
  )
}
