/** Email: whether this server sends it, the delivery log (failures and their retry), email in. */
import { createResource, createSignal, For, Show, type JSX } from 'solid-js'
import { FormStatus, errorText, inputClass, secondaryButton } from '../../components/FormStatus.tsx'
import { io } from '../../io/index.ts'

const STATUS_CLASS: Record<string, string> = { sent: 'text-green-800', failed: 'font-semibold text-red-800', retrying: 'text-amber-800', queued: 'text-slate-700', sending: 'text-slate-700' }

export default function EmailSettings(): JSX.Element {
  const [settings, { refetch: refetchSettings }] = createResource(() => io.email.settings())
  const [log, { refetch }] = createResource(() => io.email.deliveries().then((r) => r.items))
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
        {settings()?.configured ? 'This server sends email through SMTP (SMTP_URL).' : 'This server sends no email: set SMTP_URL to send invitations, password resets, notifications and replies by email.'}
      </p>
      <section class="rounded-lg border border-slate-200 p-4" aria-labelledby="inbound-title">
        <h2 id="inbound-title" class="mb-2 font-semibold">Customers' replies by email</h2>
        <p class="mb-2 text-sm text-slate-700">Have your mail server (a pipe) or email provider (an inbound webhook) POST each raw message to the address below with the token as a Bearer token. Replies then land in their conversation.</p>
        <Show when={settings()}>{(s) => <input readOnly value={s().inbound.url} aria-label="Inbound address" class={`${inputClass} mb-2 font-mono text-xs`} />}</Show>
        <Show when={token()}><input readOnly value={token()} aria-label="Inbound token" class={`${inputClass} mb-2 font-mono text-xs`} /><p class="mb-2 text-sm text-amber-800">Shown once: copy it now.</p></Show>
        <button class={secondaryButton} onClick={() => void attempt(async () => { setToken((await io.email.makeInboundToken()).token); await refetchSettings() }, 'A new token; the old one no longer works.')}>
          {settings()?.inbound.configured ? 'Make a new token' : 'Turn on email in'}
        </button>
      </section>
      <section aria-labelledby="log-title">
        <div class="mb-2 flex items-center justify-between"><h2 id="log-title" class="font-semibold">Delivery log</h2><button class={secondaryButton} onClick={() => void refetch()}>Refresh</button></div>
        <div class="overflow-x-auto">
          <table class="w-full text-left text-sm" data-testid="email-log">
            <thead class="text-slate-600"><tr><th class="py-1 pr-3 font-medium">When</th><th class="py-1 pr-3 font-medium">What</th><th class="py-1 pr-3 font-medium">To</th><th class="py-1 pr-3 font-medium">Status</th><th /></tr></thead>
            <tbody>
              <For each={log() ?? []} fallback={<tr><td colSpan={5} class="py-2 text-slate-600">No email yet.</td></tr>}>{(d) => (
                <tr class="border-t border-slate-200 align-top">
                  <td class="py-1.5 pr-3 whitespace-nowrap">{new Date(d.createdAt).toLocaleString()}</td>
                  <td class="py-1.5 pr-3">{d.subject}<span class="block text-xs text-slate-600">{d.kind}</span></td>
                  <td class="py-1.5 pr-3 break-all">{d.to}</td>
                  <td class={`py-1.5 pr-3 ${STATUS_CLASS[d.status] ?? ''}`}>{d.status}{d.attempts > 1 ? ` (${d.attempts} attempts)` : ''}<Show when={d.error && d.status !== 'sent'}><span class="block text-xs">{d.error}</span></Show></td>
                  <td class="py-1.5 text-right"><Show when={d.status === 'failed'}><button class={secondaryButton} onClick={() => void attempt(async () => { await io.email.retry(d.id); await refetch() }, 'Sending again.')}>Send again</button></Show></td>
                </tr>
              )}</For>
            </tbody>
          </table>
        </div>
      </section>
    </div>
  )
}
