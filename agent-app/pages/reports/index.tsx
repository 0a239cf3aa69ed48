/**
 * Reports: loads the figures of the range and filters in the URL (and of the period before, to
 * compare) and hands them to the view, which is loaded lazily with its chart library so the
 * app's first load does not carry it.
 */
import { createResource, lazy, Show, type JSX } from 'solid-js'
import { REPORT_NAMES, type ReportName, type ReportReply } from '../../../protocol/index.ts'
import { io } from '../../io/index.ts'
import { api } from '../../io/api.ts'
import { route } from '../../lib/router.ts'
import { apiQuery, previousRange, readState, type ReportState } from './report-query.ts'
import { t } from '../../i18n/index.ts'
import type { FilterChoices } from './ReportFilters.tsx'

const NO_CHOICES: FilterChoices = { inboxes: [], teams: [], agents: [], widgets: [] }

const ReportsView = lazy(() => import('./ReportsView.tsx'))

export type ReportSet = { [N in ReportName]: ReportReply<N> }
export interface ReportData { state: ReportState; timeZone: string; query: string; current: ReportSet; previous: ReportSet | null; previousRange: { from: string; to: string } }

async function loadSet(query: string): Promise<ReportSet> {
  const replies = await Promise.all(REPORT_NAMES.map((name) => api.reports.get(name, query)))
  return Object.fromEntries(REPORT_NAMES.map((name, i) => [name, replies[i]])) as ReportSet
}

export default function ReportsPage(): JSX.Element {
  const params = () => { const r = route(); return r.page === 'reports' ? r.params : new URLSearchParams() }
  // The workspace's zone, from the server's default range: presets are days in that zone.
  const [zone] = createResource(async () => (await api.reports.get('bot', '')).range.timeZone)
  const [data] = createResource(() => (zone() ? { search: params().toString(), timeZone: zone()! } : null), async ({ search, timeZone }): Promise<ReportData> => {
    const state = readState(new URLSearchParams(search), timeZone)
    const before = previousRange(state.from, state.to)
    const query = apiQuery(state, timeZone)
    const [current, previous] = await Promise.all([loadSet(query), state.compare ? loadSet(apiQuery(state, timeZone, before)) : Promise.resolve(null)])
    return { state, timeZone, query, current, previous, previousRange: before }
  })
  const [choices] = createResource(async () => {
    const none = () => ({ items: [] })
    const [inboxes, teams, agents, widgets] = await Promise.all([api.inboxes.list().catch(none), io.teams.list().catch(none), io.agents.list().catch(none), api.widgets.list().catch(none)])
    const pick = (items: { id: string; name: string }[]) => items.map((x) => ({ id: x.id, name: x.name }))
    return { inboxes: pick(inboxes.items), teams: pick(teams.items), agents: pick(agents.items), widgets: pick(widgets.items) }
  })
  return (
    <div class="h-full overflow-y-auto">
      <Show when={zone.error || data.error}>
        <p role="alert" class="p-4 text-sm text-red-800">{String(((zone.error ?? data.error) as Error).message)}</p>
      </Show>
      <Show when={data.latest} fallback={<p class="p-6 text-slate-600">{t('reports.loading')}</p>}>
        {(d) => <ReportsView data={d()} loading={data.loading} choices={choices() ?? NO_CHOICES} />}
      </Show>
    </div>
  )
}
