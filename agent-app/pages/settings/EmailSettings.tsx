/** Email: whether this server sends it, the delivery log (failures and their retry), email in. */
import { createResource, createSignal, For, Show, type JSX } from 'solid-js'
import { FormStatus, errorText, inputClass, secondaryButton } from '../../components/FormStatus.tsx'
import { api } from '../../io/api.ts'
import { t } from '../../i18n/index.ts'
import { emailKind, emailStatus } from '../../lib/email-labels.ts'
import { formatDateTime } from '../../lib/format.ts'

const STATUS_CLASS: Record<string, string> = { sent: 'text-green-800', failed: 'font-semibold text-red-800', retrying: 'text-amber-800', queued: 'text-slate-700', sending: 'text-slate-700' }

export default function EmailSettings(): JSX.Element {
  const [settings, { refetch: refetchSettings }] = createResource(() => api.email.settings())
  const [log, { refetch }] = createResource(() => api.email.deliveries().then((r) => r.items))
  const [error, setError] = createSignal('')
  const [saved, setSaved] = createSignal('')
  const [token, setToken] = createSignal('')
  const attempt = async (what: () => Promise<unknown>, done: string) => {
    setError(''); setSaved('')
    try { await what(); setSaved(done) } catch (e) { setError(errorText(e)) }
  }
  return (
    <div class="flex max-w-4xl flex-col gap-6">
      <FormStatus error={error()} saved={saved()} />
      <p class="text-sm" data-testid="email-status">
        {settings()?.configured ? t('email.configured') : t('email.notConfigured')}
      </p>
      <section class="rounded-lg border border-slate-200 p-4" aria-labelledby="inbound-title">
        <h2 id="inbound-title" class="mb-2 font-semibold">{t('email.inboundTitle')}</h2>
        <p class="mb-2 text-sm text-slate-700">{t('email.inboundHelp')}</p>
        <Show when={settings()}>{(s) => <input readOnly value={s().inbound.url} aria-label={t('email.inboundAddress')} class={`${inputClass} mb-2 font-mono text-xs`} />}</Show>
        <Show when={token()}><input readOnly value={token()} aria-label={t('email.inboundToken')} class={`${inputClass} mb-2 font-mono text-xs`} /><p class="mb-2 text-sm text-amber-800">{t('email.shownOnce')}</p></Show>
        <button class={secondaryButton} onClick={() => void attempt(async () => { setToken((await api.email.makeInboundToken()).token); await refetchSettings() }, t('email.newTokenDone'))}>
          {settings()?.inbound.configured ? t('email.newToken') : t('email.turnOn')}
        </button>
      </section>
      <section aria-labelledby="log-title">
        <div class="mb-2 flex items-center justify-between"><h2 id="log-title" class="font-semibold">{t('email.log')}</h2><button class={secondaryButton} onClick={() => void refetch()}>{t('email.refresh')}</button></div>
        <div class="overflow-x-auto">
          <table class="w-full text-left text-sm" data-testid="email-log">
            <thead class="text-slate-600"><tr><th class="py-1 pr-3 font-medium">{t('email.when')}</th><th class="py-1 pr-3 font-medium">{t('email.what')}</th><th class="py-1 pr-3 font-medium">{t('email.to')}</th><th class="py-1 pr-3 font-medium">{t('email.status')}</th><th /></tr></thead>
            <tbody>
              <For each={log() ?? []} fallback={<tr><td colSpan={5} class="py-2 text-slate-600">{t('email.none')}</td></tr>}>{(d) => (
                <tr class="border-t border-slate-200 align-top">
                  <td class="py-1.5 pr-3 whitespace-nowrap">{formatDateTime(d.createdAt)}</td>
                  <td class="py-1.5 pr-3">{d.subject}<span class="block text-xs text-slate-600">{emailKind(d.kind)}</span></td>
                  <td class="py-1.5 pr-3 break-all">{d.to}</td>
                  <td class={`py-1.5 pr-3 ${STATUS_CLASS[d.status] ?? ''}`}>{emailStatus(d.status)}{d.attempts > 1 ? ` (${t('email.attempts', { n: d.attempts })})` : ''}<Show when={d.error && d.status !== 'sent'}><span class="block text-xs">{d.error}</span></Show></td>
                  <td class="py-1.5 text-right"><Show when={d.status === 'failed'}><button class={secondaryButton} onClick={() => void attempt(async () => { await api.email.retry(d.id); await refetch() }, t('email.sendingAgain'))}>{t('email.sendAgain')}</button></Show></td>
                </tr>
              )}</For>
            </tbody>
          </table>
        </div>
      </section>
    </div>
  )
}
