/** The Reports page: figure cards (with the change from the period before), charts, and a table with CSV under each. */
import { For, Show, type JSX } from 'solid-js'
import { WEEKDAYS, reportTables, toMinutes, type ReportName } from '../../../protocol/index.ts'
import { NavLink } from '../../components/NavLink.tsx'
import { conversationHref } from '../../lib/router.ts'
import { Chart } from './Chart.tsx'
import type { ReportData, ReportSet } from './index.tsx'
import { ReportFilters, type FilterChoices } from './ReportFilters.tsx'
import { ReportTableView } from './ReportTableView.tsx'
import { intlLocale, t } from '../../i18n/index.ts'

const number = (n: number, digits = 0) => new Intl.NumberFormat(intlLocale(), { maximumFractionDigits: digits }).format(n)
const minutes = (ms: number | null) => (ms === null ? '—' : ms < 3_600_000 ? new Intl.NumberFormat(intlLocale(), { style: 'unit', unit: 'minute', unitDisplay: 'short' }).format(toMinutes(ms) ?? 0) : t('reports.hours', { n: number(ms / 3_600_000, 1) }))
const percent = (x: number | null) => (x === null ? '—' : new Intl.NumberFormat(intlLocale(), { style: 'percent', maximumFractionDigits: 1 }).format(x))

interface Figure { label: string; value: string; now: number | null; before: number | null; lowerIsBetter?: boolean; testId: string }

function Card(props: { figure: Figure; compare: boolean }): JSX.Element {
  const change = () => {
    const { now, before } = props.figure
    if (!props.compare || now === null || before === null) return null
    if (before === 0) return now === 0 ? '±0' : t('reports.newFigure')
    const pct = Math.round(((now - before) / before) * 100)
    return `${pct > 0 ? '+' : ''}${pct}%`
  }
  const good = () => { const c = change(); if (!c || c === '±0' || c === t('reports.newFigure')) return null; return c.startsWith('-') === Boolean(props.figure.lowerIsBetter) }
  return (
    <div class="rounded-lg border border-slate-200 p-3" data-testid={props.figure.testId}>
      <div class="text-xs text-slate-600">{props.figure.label}</div>
      <div class="text-xl font-semibold tabular-nums" data-testid={`${props.figure.testId}-value`}>{props.figure.value}</div>
      <Show when={change()}>{(c) => <div class={`text-xs ${good() === null ? 'text-slate-600' : good() ? 'text-green-800' : 'text-red-800'}`}>{t('reports.vsBefore', { change: c() })}</div>}</Show>
    </div>
  )
}

function Section(props: { title: string; children: JSX.Element; testId: string }): JSX.Element {
  return <section class="border-b border-slate-200 p-3" aria-label={props.title} data-testid={props.testId}><h3 class="mb-2 font-semibold">{props.title}</h3>{props.children}</section>
}

export default function ReportsView(props: { data: ReportData; loading: boolean; choices: FilterChoices }): JSX.Element {
  const cur = () => props.data.current
  const prev = () => props.data.previous
  const tables = <N extends ReportName>(name: N, set: ReportSet = cur()) => reportTables(name, set[name])
  const figures = (): Figure[] => {
    const c = cur(), p = prev()
    return [
      { label: t('reports.new'), value: String(c.overview.new), now: c.overview.new, before: p?.overview.new ?? null, testId: 'figure-new' },
      { label: t('reports.resolved'), value: String(c.overview.resolved), now: c.overview.resolved, before: p?.overview.resolved ?? null, testId: 'figure-resolved' },
      { label: t('reports.openNow'), value: String(c.overview.open), now: null, before: null, testId: 'figure-open' },
      { label: t('reports.firstResponse'), value: minutes(c['response-times'].firstResponse.median), now: c['response-times'].firstResponse.median, before: p?.['response-times'].firstResponse.median ?? null, lowerIsBetter: true, testId: 'figure-first-response' },
      { label: t('reports.resolution'), value: minutes(c['response-times'].resolution.median), now: c['response-times'].resolution.median, before: p?.['response-times'].resolution.median ?? null, lowerIsBetter: true, testId: 'figure-resolution' },
      { label: t('reports.csat'), value: c.csat.average === null ? '—' : `${c.csat.average} / 5`, now: c.csat.average, before: p?.csat.average ?? null, testId: 'figure-csat' },
      { label: t('reports.replies'), value: String(c.overview.repliesPerConversation ?? '—'), now: c.overview.repliesPerConversation, before: p?.overview.repliesPerConversation ?? null, testId: 'figure-replies' },
      { label: t('reports.deflection'), value: percent(c.bot.deflectionRate), now: c.bot.deflectionRate, before: p?.bot.deflectionRate ?? null, testId: 'figure-deflection' },
    ]
  }
  const sla = () => cur().sla
  const slaFigures = (): Figure[] => {
    const c = cur().sla, p = prev()?.sla
    return [
      { label: t('reports.slaFirstResponseMet'), value: percent(c.firstResponse.metRate), now: c.firstResponse.metRate, before: p?.firstResponse.metRate ?? null, testId: 'figure-sla-first-response' },
      { label: t('reports.slaResolutionMet'), value: percent(c.resolution.metRate), now: c.resolution.metRate, before: p?.resolution.metRate ?? null, testId: 'figure-sla-resolution' },
    ]
  }
  const days = () => cur().overview.days
  const heatMax = () => Math.max(1, ...cur().heatmap.cells.flat())
  return (
    <div class={props.loading ? 'opacity-60 transition-opacity' : ''} aria-busy={props.loading}>
      <div class="flex items-center justify-between px-3 pt-3"><h2 class="text-lg font-semibold">{t('reports.title')}</h2></div>
      <ReportFilters state={props.data.state} timeZone={props.data.timeZone} choices={props.choices} />
      <div class="grid grid-cols-2 gap-2 p-3 sm:grid-cols-4" data-testid="report-figures">
        <For each={figures()}>{(f) => <Card figure={f} compare={props.data.previous !== null} />}</For>
      </div>
      <Show when={prev()}><p class="px-3 text-xs text-slate-500">{t('reports.comparedWith', { from: props.data.previousRange.from, to: props.data.previousRange.to })}</p></Show>

      <Section title={t('reports.conversations')} testId="section-overview">
        <Chart label={t('reports.chartOverview')} testId="chart-overview" xName={t('reports.day')} x={days().map((_, i) => i)} xLabels={days().map((d) => d.date.slice(5))}
          series={[
            { label: t('reports.seriesNew'), values: days().map((d) => d.new), color: '#1d4ed8' },
            { label: t('reports.resolved'), values: days().map((d) => d.resolved), color: '#15803d' },
            ...(prev() ? [{ label: t('reports.seriesNewBefore'), values: prev()!.overview.days.slice(0, days().length).map((d) => d.new), color: '#94a3b8', dash: [4, 4] }] : []),
          ]} />
        <For each={tables('overview')}>{(t) => <ReportTableView report="overview" table={t} query={props.data.query} />}</For>
      </Section>

      <Section title={t('reports.responseTimes')} testId="section-response-times">
        <Show when={cur()['response-times'].businessHours}>
          <p class="text-sm text-slate-700" data-testid="business-hours-note">{t('reports.businessHoursNote')}</p>
        </Show>
        <For each={tables('response-times')}>{(t) => <ReportTableView report="response-times" table={t} query={props.data.query} />}</For>
      </Section>

      <Section title={t('reports.sla')} testId="section-sla">
        <p class="mb-2 text-xs text-slate-600">{t('reports.slaHint')}</p>
        <div class="grid grid-cols-2 gap-2" data-testid="sla-figures">
          <For each={slaFigures()}>{(f) => <Card figure={f} compare={props.data.previous !== null} />}</For>
        </div>
        <Show when={sla().firstResponse.conversations + sla().resolution.conversations > 0}
          fallback={<p class="mt-2 text-sm text-slate-600" data-testid="sla-none">{t('reports.slaNone')}</p>}>
          <Chart label={t('reports.chartSla')} testId="chart-sla" xName={t('reports.slaTarget')} x={[0, 1]} xLabels={[t('reports.slaFirstResponse'), t('reports.slaResolution')]} height={180} stacked
            series={[
              { label: t('reports.slaMet'), values: [sla().firstResponse.met, sla().resolution.met], color: '#15803d', bars: true },
              { label: t('reports.slaBreached'), values: [sla().firstResponse.breached, sla().resolution.breached], color: '#b91c1c', bars: true },
              { label: t('reports.slaInProgress'), values: [sla().firstResponse.inProgress, sla().resolution.inProgress], color: '#94a3b8', bars: true },
            ]} />
        </Show>
        <ReportTableView report="sla" table={tables('sla')[0]!} query={props.data.query} />
      </Section>

      <Section title={t('reports.satisfaction')} testId="section-csat">
        <p class="text-sm text-slate-700">{t('reports.ratingsLine', { ratings: cur().csat.ratings, resolved: cur().csat.resolved, rate: percent(cur().csat.responseRate) })}</p>
        <Chart label={t('reports.chartCsat')} testId="chart-csat" xName={t('reports.rating')} x={[1, 2, 3, 4, 5]} height={160}
          series={[{ label: t('reports.ratings'), values: (['1', '2', '3', '4', '5'] as const).map((r) => cur().csat.distribution[r]), color: '#f59e0b', bars: true }]} />
        <ReportTableView report="csat" table={tables('csat')[0]!} query={props.data.query} />
        <ReportTableView report="csat" table={tables('csat')[1]!} query={props.data.query}
          cell={(value, column) => column === 0 && typeof value === 'string'
            ? <NavLink href={conversationHref('resolved', value)} class="text-blue-800 underline" testId="csat-comment-link">{t('reports.open')}</NavLink>
            : <>{value ?? '—'}</>} />
      </Section>

      <Section title={t('reports.bot')} testId="section-bot">
        <p class="text-sm text-slate-700">{t('reports.botLine', { closed: cur().bot.botResolved, handed: cur().bot.handedOver, rate: percent(cur().bot.handoverRate) })}</p>
        <For each={tables('bot')}>{(t) => <ReportTableView report="bot" table={t} query={props.data.query} />}</For>
      </Section>

      <Section title={t('reports.agents')} testId="section-agents">
        <Show when={cur().agents.items.length > 0}>
          <Chart label={t('reports.chartAgents')} testId="chart-agents" xName={t('reports.agent')} x={cur().agents.items.map((_, i) => i)} xLabels={cur().agents.items.map((a) => a.name)} height={160}
            series={[{ label: t('reports.conversations'), values: cur().agents.items.map((a) => a.conversations), color: '#7c3aed', bars: true }]} />
        </Show>
        <For each={tables('agents')}>{(t) => <ReportTableView report="agents" table={t} query={props.data.query} />}</For>
      </Section>

      <Section title={t('reports.busiest')} testId="section-heatmap">
        <p class="mb-1 text-xs text-slate-600">{t('reports.heatmapHint', { zone: props.data.timeZone })}</p>
        <ReportTableView report="heatmap" table={tables('heatmap')[0]!} query={props.data.query}
          cell={(value, column) => column === 0 ? <span class="font-medium">{value}</span>
            : <span class="block min-w-[1.25rem] rounded-sm text-center" style={{ background: `rgba(29, 78, 216, ${Number(value) / heatMax()})`, color: Number(value) / heatMax() > 0.5 ? 'white' : 'inherit' }}>{value || ''}</span>} />
        <span class="sr-only">{WEEKDAYS.join(' ')}</span>
      </Section>
    </div>
  )
}
