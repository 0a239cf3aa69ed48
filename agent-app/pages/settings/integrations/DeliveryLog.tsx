/** The delivery log: filter by webhook, event, status and date; each delivery's request and answers; redeliver. */
import { createEffect, createResource, createSignal, For, on, Show, type Accessor, type JSX } from 'solid-js'
import { WEBHOOK_EVENTS, WEBHOOK_PING_EVENT } from '../../../../protocol/index.ts'
import { FormStatus, errorText, inputClass, secondaryButton } from '../../../components/FormStatus.tsx'
import type { DeliveryInfo, WebhookInfo } from '../../../io/index.ts'
import { api } from '../../../io/api.ts'
import { intlLocale, t } from '../../../i18n/index.ts'

/** To the second: a log's rows are often within one minute. */
const stamp = (ms: number) => new Date(ms).toLocaleString(intlLocale(), { dateStyle: 'medium', timeStyle: 'medium' })

const STATUS_KEYS = { succeeded: 'log.succeeded', pending: 'log.pending', failed: 'log.failed' } as const
const TONE: Record<DeliveryInfo['status'], string> = { succeeded: 'bg-green-100 text-green-900', pending: 'bg-amber-100 text-amber-900', failed: 'bg-red-100 text-red-900' }

export function DeliveryLog(props: { webhooks: WebhookInfo[]; refresh: Accessor<number> }): JSX.Element {
  const [filter, setFilter] = createSignal({ webhookId: '', event: '', status: '', from: '', to: '' })
  const query = () => {
    const f = filter()
    const q = new URLSearchParams({ limit: '50' })
    if (f.webhookId) q.set('webhookId', f.webhookId)
    if (f.event) q.set('event', f.event)
    if (f.status) q.set('status', f.status)
    if (f.from) q.set('from', String(new Date(`${f.from}T00:00`).getTime()))
    if (f.to) q.set('to', String(new Date(`${f.to}T23:59:59.999`).getTime()))
    return q.toString()
  }
  const [log, { refetch }] = createResource(query, (q) => api.integrations.deliveries(q).then((r) => r.items))
  createEffect(on(props.refresh, () => void refetch(), { defer: true }))
  const [openId, setOpenId] = createSignal<string | null>(null)
  const [detail, { refetch: refetchDetail }] = createResource(openId, (id) => api.integrations.delivery(id))
  const [error, setError] = createSignal('')
  const [notice, setNotice] = createSignal('')
  const set = (key: keyof ReturnType<typeof filter>) => (e: Event) => setFilter({ ...filter(), [key]: (e.currentTarget as HTMLInputElement).value })
  const nameOf = (id: string) => props.webhooks.find((w) => w.id === id)?.name ?? id
  const redeliver = async (id: string) => {
    setError(''); setNotice('')
    try { await api.integrations.redeliver(id); setNotice(t('log.sentAgain')); await refetch(); void refetchDetail() } catch (e) { setError(errorText(e)) }
  }
  return (
    <section aria-labelledby="delivery-log" class="flex flex-col gap-3">
      <h2 id="delivery-log" class="text-lg font-semibold">{t('log.title')}</h2>
      <div class="grid gap-2 sm:grid-cols-3 lg:grid-cols-5">
        <label class="text-sm">{t('log.webhook')}<select class={inputClass} onChange={set('webhookId')} data-testid="log-webhook"><option value="">{t('log.all')}</option><For each={props.webhooks}>{(w) => <option value={w.id}>{w.name}</option>}</For></select></label>
        <label class="text-sm">{t('log.event')}<select class={inputClass} onChange={set('event')} data-testid="log-event"><option value="">{t('log.all')}</option><For each={[...WEBHOOK_EVENTS, WEBHOOK_PING_EVENT]}>{(e) => <option value={e}>{e}</option>}</For></select></label>
        <label class="text-sm">{t('log.status')}<select class={inputClass} onChange={set('status')} data-testid="log-status"><option value="">{t('log.all')}</option><option value="succeeded">{t('log.succeeded')}</option><option value="pending">{t('log.pendingOption')}</option><option value="failed">{t('log.failedOption')}</option></select></label>
        <label class="text-sm">{t('log.from')}<input type="date" class={inputClass} onChange={set('from')} /></label>
        <label class="text-sm">{t('log.to')}<input type="date" class={inputClass} onChange={set('to')} /></label>
      </div>
      <FormStatus error={error()} saved={notice()} />
      <div class="overflow-x-auto">
        <table class="w-full text-left text-sm" data-testid="delivery-log">
          <thead class="text-slate-600"><tr><th class="py-2 pr-3 font-medium">{t('log.time')}</th><th class="py-2 pr-3 font-medium">{t('log.event')}</th><th class="py-2 pr-3 font-medium">{t('log.webhook')}</th><th class="py-2 pr-3 font-medium">{t('log.status')}</th><th class="py-2 pr-3 font-medium">{t('log.attempts')}</th><th class="py-2 pr-3 font-medium">{t('log.answer')}</th><th class="py-2 font-medium">{t('log.duration')}</th></tr></thead>
          <tbody>
            <Show when={(log() ?? []).length === 0}><tr><td colSpan={7} class="py-3 text-slate-600">{t('log.none')}</td></tr></Show>
            <For each={log() ?? []}>{(d) => (
              <tr class={`cursor-pointer border-t border-slate-200 hover:bg-slate-50 ${openId() === d.id ? 'bg-blue-50' : ''}`} data-testid="delivery-row" tabIndex={0}
                onClick={() => setOpenId(openId() === d.id ? null : d.id)} onKeyDown={(e) => { if (e.key === 'Enter') setOpenId(openId() === d.id ? null : d.id) }}>
                <td class="py-2 pr-3 whitespace-nowrap">{stamp(d.createdAt)}</td>
                <td class="py-2 pr-3 font-mono text-xs" data-testid="delivery-event">{d.event}{d.redeliveryOf ? ` ${t('log.again')}` : ''}</td>
                <td class="py-2 pr-3">{nameOf(d.webhookId)}</td>
                <td class="py-2 pr-3"><span data-testid="delivery-status" class={`rounded px-1.5 py-0.5 text-xs font-semibold ${TONE[d.status]}`}>{t(STATUS_KEYS[d.status])}</span></td>
                <td class="py-2 pr-3">{d.attempts}</td>
                <td class="py-2 pr-3">{d.responseStatus ?? d.lastError ?? '–'}</td>
                <td class="py-2">{d.durationMs === null ? '–' : t('integrations.ms', { n: d.durationMs })}</td>
              </tr>
            )}</For>
          </tbody>
        </table>
      </div>
      <Show when={openId() ? detail() : undefined}>{(d) => (
        <div class="flex flex-col gap-3 rounded-lg border border-slate-200 p-4" data-testid="delivery-detail">
          <div class="flex items-center justify-between gap-2">
            <h3 class="font-semibold">{d().event} → {nameOf(d().webhookId)}</h3>
            <button type="button" class={secondaryButton} data-testid="redeliver" onClick={() => void redeliver(d().id)}>{t('log.redeliver')}</button>
          </div>
          <div><h4 class="text-sm font-medium">{t('log.requestBody')}</h4><pre class="mt-1 max-h-64 overflow-auto rounded bg-slate-900 p-2 text-xs text-slate-100">{JSON.stringify(d().request.body, null, 2)}</pre></div>
          <For each={d().attemptLog}>{(a, i) => (
            <div class="text-sm">
              <h4 class="font-medium">{t('log.attempt', { n: i() + 1 })} · {stamp(a.at)} · {a.ok ? t('log.delivered') : t('log.failedWith', { error: a.error ?? '' })} · {t('integrations.ms', { n: a.durationMs })}</h4>
              <pre class="mt-1 max-h-40 overflow-auto rounded bg-slate-100 p-2 text-xs">{Object.entries(a.requestHeaders).map(([k, v]) => `${k}: ${v}`).join('\n')}</pre>
              <pre class="mt-1 max-h-40 overflow-auto rounded bg-slate-100 p-2 text-xs" data-testid="attempt-response">{a.responseStatus === null ? t('log.noAnswer') : `HTTP ${a.responseStatus}\n${a.responseBody ?? ''}`}</pre>
            </div>
          )}</For>
        </div>
      )}</Show>
    </section>
  )
}
