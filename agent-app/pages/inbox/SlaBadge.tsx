/** Time left to a conversation's SLA targets, or "breached" (server/routing/sla.ts sets the due times). */
import { Show, createSignal, onCleanup, type JSX } from 'solid-js'
import type { RoutingEntry } from '../../../protocol/index.ts'
import { intlLocale, t } from '../../i18n/index.ts'

function left(ms: number): string {
  const minutes = Math.round(Math.abs(ms) / 60_000)
  const time = minutes >= 120 ? t('sla.hours', { n: Math.round(minutes / 60) }) : t('sla.minutes', { n: minutes })
  return t(ms >= 0 ? 'sla.left' : 'sla.over', { time })
}

export function SlaBadge(props: { routing: RoutingEntry | null }): JSX.Element {
  const [tick, setTick] = createSignal(0)
  const timer = setInterval(() => setTick((n) => n + 1), 30_000)
  onCleanup(() => clearInterval(timer))
  const due = () => {
    tick()
    const r = props.routing
    if (!r) return null
    const next = [r.firstResponseDueAt && { kind: t('sla.firstResponse'), at: r.firstResponseDueAt, breached: r.firstResponseBreached }, r.resolutionDueAt && { kind: t('sla.resolution'), at: r.resolutionDueAt, breached: r.resolutionBreached }]
      .filter(Boolean) as { kind: string; at: number; breached: boolean }[]
    return next.sort((a, b) => a.at - b.at)[0] ?? null
  }
  const breached = () => Boolean(props.routing?.firstResponseBreached || props.routing?.resolutionBreached)
  return (
    <Show when={due() || breached()}>
      <Show when={breached()} fallback={
        <span class={`rounded px-1.5 py-0.5 ${due()!.at - Date.now() < 5 * 60_000 ? 'bg-amber-100 text-amber-900' : 'bg-slate-100 text-slate-700'}`} data-testid="sla" title={t('sla.due', { kind: due()!.kind, when: new Date(due()!.at).toLocaleString(intlLocale()) })}>
          {t('sla.badge', { kind: due()!.kind, left: left(due()!.at - Date.now()) })}
        </span>
      }>
        <span class="rounded bg-red-700 px-1.5 py-0.5 font-semibold text-white" data-testid="sla-breached">{t(props.routing?.firstResponseBreached ? 'sla.breachedFirst' : 'sla.breachedResolution')}</span>
      </Show>
    </Show>
  )
}
