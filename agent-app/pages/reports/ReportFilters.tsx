/** Date range (presets and custom days), filters and comparison; every change is a new URL. */
import { For, Show, type JSX } from 'solid-js'
import { PRIORITIES } from '../../../protocol/index.ts'
import { navigate } from '../../lib/router.ts'
import { PRESETS, rangeOf, stateHref, type Preset, type ReportState } from './report-query.ts'
import { t } from '../../i18n/index.ts'

interface Choice { id: string; name: string }
export interface FilterChoices { inboxes: Choice[]; teams: Choice[]; agents: Choice[]; widgets: Choice[] }

const field = 'rounded-md border border-slate-300 bg-white px-2 py-1 text-sm focus:outline-2 focus:outline-blue-700'

export function ReportFilters(props: { state: ReportState; timeZone: string; choices: FilterChoices }): JSX.Element {
  const set = (patch: Partial<ReportState>) => navigate(stateHref({ ...props.state, ...patch }))
  const preset = (p: Preset) => set(p === 'custom' ? { preset: p } : { preset: p, ...rangeOf(p, props.timeZone) })
  return (
    <form class="flex flex-wrap items-end gap-2 border-b border-slate-200 p-3" aria-label={t('reports.filters')} onSubmit={(e) => e.preventDefault()}>
      <label class="flex flex-col text-xs text-slate-600">{t('reports.range')}
        <select class={field} value={props.state.preset} onChange={(e) => preset(e.currentTarget.value as Preset)} data-testid="report-preset">
          <For each={Object.keys(PRESETS) as Preset[]}>{(key) => <option value={key}>{t(`reports.preset.${key}` as const)}</option>}</For>
        </select>
      </label>
      <Show when={props.state.preset === 'custom'}>
        <label class="flex flex-col text-xs text-slate-600">{t('reports.from')}
          <input type="date" class={field} value={props.state.from} max={props.state.to} onChange={(e) => e.currentTarget.value && set({ from: e.currentTarget.value })} data-testid="report-from" />
        </label>
        <label class="flex flex-col text-xs text-slate-600">{t('reports.to')}
          <input type="date" class={field} value={props.state.to} min={props.state.from} onChange={(e) => e.currentTarget.value && set({ to: e.currentTarget.value })} data-testid="report-to" />
        </label>
      </Show>
      {/* Each option says whether it is chosen: the choices arrive after the URL's state, and a select's value set before its options would show "All". */}
      <label class="flex flex-col text-xs text-slate-600">{t('reports.inbox')}
        <select class={field} value={props.state.inbox} onChange={(e) => set({ inbox: e.currentTarget.value })} data-testid="report-inbox">
          <option value="">{t('common.all')}</option>
          <For each={props.choices.inboxes}>{(i) => <option value={i.id} selected={props.state.inbox === i.id}>{i.name}</option>}</For>
        </select>
      </label>
      <label class="flex flex-col text-xs text-slate-600">{t('reports.team')}
        <select class={field} value={props.state.team} onChange={(e) => set({ team: e.currentTarget.value })} data-testid="report-team">
          <option value="">{t('common.all')}</option>
          <For each={props.choices.teams}>{(team) => <option value={team.id} selected={props.state.team === team.id}>{team.name}</option>}</For>
        </select>
      </label>
      <label class="flex flex-col text-xs text-slate-600">{t('reports.widget')}
        <select class={field} value={props.state.widget} onChange={(e) => set({ widget: e.currentTarget.value })} data-testid="report-widget">
          <option value="">{t('common.all')}</option>
          <For each={props.choices.widgets}>{(w) => <option value={w.id} selected={props.state.widget === w.id}>{w.name}</option>}</For>
        </select>
      </label>
      <label class="flex flex-col text-xs text-slate-600">{t('reports.agent')}
        <select class={field} value={props.state.agent} onChange={(e) => set({ agent: e.currentTarget.value })} data-testid="report-agent">
          <option value="">{t('common.all')}</option>
          <For each={props.choices.agents}>{(a) => <option value={a.id} selected={props.state.agent === a.id}>{a.name}</option>}</For>
        </select>
      </label>
      <label class="flex flex-col text-xs text-slate-600">{t('reports.priority')}
        <select class={field} value={props.state.priority} onChange={(e) => set({ priority: e.currentTarget.value })} data-testid="report-priority">
          <option value="">{t('common.all')}</option>
          <For each={PRIORITIES}>{(p) => <option value={p}>{t(`priority.${p}` as const)}</option>}</For>
        </select>
      </label>
      <label class="flex flex-col text-xs text-slate-600">{t('reports.category')}
        <input class={`${field} w-28`} value={props.state.category} placeholder={t('reports.any')} onChange={(e) => set({ category: e.currentTarget.value.trim() })} data-testid="report-category" />
      </label>
      <label class="flex items-center gap-1.5 pb-1 text-sm">
        <input type="checkbox" checked={props.state.compare} onChange={(e) => set({ compare: e.currentTarget.checked })} /> {t('reports.compare')}
      </label>
      <span class="pb-1 text-xs text-slate-500">{props.state.from} – {props.state.to} · {props.timeZone}</span>
    </form>
  )
}
