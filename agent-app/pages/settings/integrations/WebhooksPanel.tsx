/** Webhooks: subscribe a URL to events (the signing secret is shown once), their health, enable again after a disable. */
import { createSignal, For, Show, type JSX } from 'solid-js'
import { WEBHOOK_EVENTS } from '../../../../protocol/index.ts'
import { FormStatus, errorText, inputClass, primaryButton, secondaryButton } from '../../../components/FormStatus.tsx'
import type { WebhookInfo } from '../../../io/index.ts'
import { api } from '../../../io/api.ts'
import { formatDateTime, formatWhen } from '../../../lib/format.ts'
import { t } from '../../../i18n/index.ts'
import { tNodes } from '../../../i18n/rich.tsx'

const ms = (n: number | null) => (n === null ? '–' : t('integrations.ms', { n }))

/** Healthy, failing (retrying) or disabled, from the endpoint's run of failures. */
function stateOf(w: WebhookInfo): { label: string; tone: string } {
  if (!w.active) return { label: t('webhooks.disabled'), tone: 'bg-red-100 text-red-900' }
  if (w.consecutiveFailures > 0) return { label: t('webhooks.failing'), tone: 'bg-amber-100 text-amber-900' }
  return { label: t('webhooks.healthy'), tone: 'bg-green-100 text-green-900' }
}

export function WebhooksPanel(props: { webhooks: WebhookInfo[]; onChange: () => void }): JSX.Element {
  const [error, setError] = createSignal('')
  const [secret, setSecret] = createSignal<{ name: string; secret: string; until?: number } | null>(null)
  const [notice, setNotice] = createSignal('')
  const create = async (event: SubmitEvent) => {
    event.preventDefault()
    const form = event.currentTarget as HTMLFormElement
    const data = new FormData(form)
    setError('')
    try {
      const hook = await api.integrations.createWebhook({ name: String(data.get('name') ?? ''), url: String(data.get('url') ?? ''), events: data.getAll('events').map(String) })
      setSecret({ name: hook.name, secret: hook.secret ?? '' })
      form.reset()
      props.onChange()
    } catch (e) { setError(errorText(e)) }
  }
  const act = async (what: () => Promise<unknown>) => { setError(''); setNotice(''); try { await what(); props.onChange() } catch (e) { setError(errorText(e)) } }
  const ping = (w: WebhookInfo) => act(async () => { await api.integrations.pingWebhook(w.id); setNotice(t('webhooks.pinged', { name: w.name })) })
  const rotate = (w: WebhookInfo) => {
    if (!confirm(t('webhooks.confirmRotate', { name: w.name }))) return
    void act(async () => {
      const next = await api.integrations.rotateWebhookSecret(w.id)
      setSecret({ name: next.name, secret: next.secret ?? '', ...(next.previousSecretUntil ? { until: next.previousSecretUntil } : {}) })
    })
  }
  return (
    <section aria-labelledby="webhooks" class="flex flex-col gap-3">
      <h2 id="webhooks" class="text-lg font-semibold">{t('webhooks.title')}</h2>
      <FormStatus error={error()} />
      <Show when={notice()}><p role="status" data-testid="webhook-notice" class="rounded-lg border border-sky-300 bg-sky-50 p-2 text-sm text-sky-900">{notice()}</p></Show>
      <Show when={secret()}>{(s) => (
        <div role="status" data-testid="webhook-created" class="rounded-lg border border-green-300 bg-green-50 p-3 text-sm">
          <p class="font-medium text-green-900">{s().until
            ? t('webhooks.rotated', { name: s().name, until: formatDateTime(s().until!) })
            : tNodes('webhooks.created', { name: s().name }, { header: <code>Parley-Signature</code> })}</p>
          <code class="mt-2 block break-all rounded bg-white px-2 py-1 font-mono text-slate-900">{s().secret}</code>
          <button type="button" class={`${secondaryButton} mt-2`} onClick={() => setSecret(null)}>{t('integrations.done')}</button>
        </div>
      )}</Show>
      <div class="overflow-x-auto">
        <table class="w-full text-left text-sm" data-testid="webhooks-table">
          <thead class="text-slate-600"><tr>
            <th class="py-2 pr-3 font-medium">{t('webhooks.endpoint')}</th><th class="py-2 pr-3 font-medium">{t('webhooks.state')}</th><th class="py-2 pr-3 font-medium">{t('webhooks.success')}</th>
            <th class="py-2 pr-3 font-medium">{t('apiKeys.latency')}</th><th class="py-2 pr-3 font-medium">{t('webhooks.lastDelivery')}</th><th class="py-2 pr-3 font-medium">{t('webhooks.lastError')}</th>
            <th class="py-2 font-medium"><span class="sr-only">{t('integrations.actions')}</span></th>
          </tr></thead>
          <tbody>
            <Show when={props.webhooks.length === 0}><tr><td colSpan={7} class="py-3 text-slate-600">{t('webhooks.none')}</td></tr></Show>
            <For each={props.webhooks}>{(w) => {
              const h = () => w.health
              return (
                <tr class="border-t border-slate-200 align-top" data-testid="webhook-row">
                  <td class="py-2 pr-3"><div class="font-medium">{w.name}</div><div class="break-all text-xs text-slate-600">{w.url}</div><div class="text-xs text-slate-600">{w.events.join(', ')}</div></td>
                  <td class="py-2 pr-3"><span data-testid="webhook-state" class={`rounded px-1.5 py-0.5 text-xs font-semibold ${stateOf(w).tone}`}>{stateOf(w).label}</span>
                    <Show when={w.disabledReason}><div class="mt-1 text-xs text-red-800">{w.disabledReason}</div></Show>
                    <Show when={w.previousSecretUntil}><div class="mt-1 text-xs text-slate-600">{t('webhooks.previousUntil', { until: formatDateTime(w.previousSecretUntil!) })}</div></Show></td>
                  <td class="py-2 pr-3" data-testid="webhook-success">{h() && h()!.attempts > 0 ? t('webhooks.successOf', { percent: Math.round((h()!.succeeded / h()!.attempts) * 100), n: h()!.attempts }) : '–'}
                    <Show when={(h()?.pending ?? 0) > 0}><div class="text-xs text-slate-600">{t('webhooks.waiting', { n: h()!.pending })}</div></Show></td>
                  <td class="py-2 pr-3">{ms(h()?.p50Ms ?? null)} / {ms(h()?.p99Ms ?? null)}</td>
                  <td class="py-2 pr-3">{h()?.lastDeliveryAt ? formatWhen(h()!.lastDeliveryAt!) : t('integrations.never')}</td>
                  <td class="py-2 pr-3 text-xs">{h()?.lastError ? `${h()!.lastError} (${formatWhen(h()!.lastErrorAt!)})` : '–'}</td>
                  <td class="py-2 text-right whitespace-nowrap">
                    <Show when={w.active} fallback={<button type="button" class={secondaryButton} onClick={() => void act(() => api.integrations.updateWebhook(w.id, { active: true }))}>{t('webhooks.enable')}</button>}>
                      <button type="button" class={secondaryButton} onClick={() => void act(() => api.integrations.updateWebhook(w.id, { active: false }))}>{t('webhooks.disable')}</button>
                    </Show>
                    <Show when={w.active}>
                      <button type="button" class={`${secondaryButton} ml-1`} aria-label={t('webhooks.pingOne', { name: w.name })} onClick={() => void ping(w)}>{t('webhooks.ping')}</button>
                    </Show>
                    <button type="button" class={`${secondaryButton} ml-1`} aria-label={t('webhooks.rotateOne', { name: w.name })} onClick={() => rotate(w)}>{t('webhooks.rotate')}</button>
                    <button type="button" class={`${secondaryButton} ml-1`} aria-label={t('webhooks.deleteOne', { name: w.name })} onClick={() => { if (confirm(t('webhooks.confirmDelete', { name: w.name }))) void act(() => api.integrations.removeWebhook(w.id)) }}>{t('webhooks.delete')}</button>
                  </td>
                </tr>
              )
            }}</For>
          </tbody>
        </table>
      </div>
      <form onSubmit={(e) => void create(e)} class="grid gap-3 rounded-lg border border-slate-200 p-4 md:grid-cols-2" aria-labelledby="new-webhook">
        <h3 id="new-webhook" class="font-semibold md:col-span-2">{t('webhooks.new')}</h3>
        <label class="text-sm">{t('integrations.name')}<input name="name" required maxLength={100} placeholder={t('webhooks.namePlaceholder')} class={inputClass} /></label>
        <label class="text-sm">{t('webhooks.url')}<input name="url" type="url" required placeholder="https://example.com/parley" class={inputClass} /></label>
        <fieldset class="md:col-span-2">
          <legend class="text-sm">{t('webhooks.events')}</legend>
          <div class="mt-1 grid gap-1 sm:grid-cols-2 md:grid-cols-3">
            <For each={WEBHOOK_EVENTS}>{(e) => <label class="flex items-center gap-2 text-sm"><input type="checkbox" name="events" value={e} checked />{e}</label>}</For>
          </div>
        </fieldset>
        <div class="md:col-span-2"><button class={primaryButton}>{t('webhooks.create')}</button></div>
      </form>
    </section>
  )
}
