/** API keys: create (the token is shown once), revoke, and each key's use over the last day. */
import { createSignal, For, Show, type JSX } from 'solid-js'
import { API_KEY_SCOPES } from '../../../../protocol/index.ts'
import { FormStatus, errorText, inputClass, primaryButton, secondaryButton } from '../../../components/FormStatus.tsx'
import { io, type ApiKeyInfo } from '../../../io/index.ts'
import { formatWhen } from '../../../lib/format.ts'

const SCOPE_TEXT = { read: 'read: lists and reads', write: 'write: also replies, notes and changes to conversations', admin: 'admin: also agents, settings and webhooks' }
const ms = (n: number | null) => (n === null ? '–' : `${n} ms`)

export function ApiKeysPanel(props: { keys: ApiKeyInfo[]; onChange: () => void }): JSX.Element {
  const [error, setError] = createSignal('')
  const [created, setCreated] = createSignal<{ name: string; token: string } | null>(null)
  const create = async (event: SubmitEvent) => {
    event.preventDefault()
    const form = event.currentTarget as HTMLFormElement
    const data = Object.fromEntries(new FormData(form)) as Record<string, string>
    setError('')
    try {
      const key = await io.integrations.createKey({ name: data.name ?? '', scope: data.scope ?? 'read' })
      setCreated({ name: key.name, token: key.token })
      form.reset()
      props.onChange()
    } catch (e) { setError(errorText(e)) }
  }
  const revoke = async (key: ApiKeyInfo) => {
    if (!confirm(`Revoke "${key.name}"? Anything using it stops working at once.`)) return
    try { await io.integrations.revokeKey(key.id); props.onChange() } catch (e) { setError(errorText(e)) }
  }
  return (
    <section aria-labelledby="api-keys" class="flex flex-col gap-3">
      <h2 id="api-keys" class="text-lg font-semibold">API keys</h2>
      <FormStatus error={error()} />
      <Show when={created()}>{(key) => (
        <div role="status" data-testid="api-key-created" class="rounded-lg border border-green-300 bg-green-50 p-3 text-sm">
          <p class="font-medium text-green-900">Key "{key().name}" created. Copy it now: it is not shown again.</p>
          <code data-testid="api-key-token" class="mt-2 block break-all rounded bg-white px-2 py-1 font-mono text-slate-900">{key().token}</code>
          <div class="mt-2 flex gap-2">
            <button type="button" class={secondaryButton} onClick={() => void navigator.clipboard?.writeText(key().token)}>Copy</button>
            <button type="button" class={secondaryButton} onClick={() => setCreated(null)}>Done</button>
          </div>
        </div>
      )}</Show>
      <div class="overflow-x-auto">
        <table class="w-full text-left text-sm" data-testid="api-keys-table">
          <thead class="text-slate-600"><tr>
            <th class="py-2 pr-3 font-medium">Name</th><th class="py-2 pr-3 font-medium">Scope</th><th class="py-2 pr-3 font-medium">Key</th>
            <th class="py-2 pr-3 font-medium">Last used</th><th class="py-2 pr-3 font-medium">Requests (24 h)</th><th class="py-2 pr-3 font-medium">Errors</th>
            <th class="py-2 pr-3 font-medium">p50 / p99</th><th class="py-2 font-medium"><span class="sr-only">Actions</span></th>
          </tr></thead>
          <tbody>
            <Show when={props.keys.length === 0}><tr><td colSpan={8} class="py-3 text-slate-600">No keys yet.</td></tr></Show>
            <For each={props.keys}>{(key) => (
              <tr class={`border-t border-slate-200 ${key.revokedAt ? 'text-slate-500' : ''}`} data-testid="api-key-row">
                <td class="py-2 pr-3">{key.name}</td>
                <td class="py-2 pr-3">{key.scope}</td>
                <td class="py-2 pr-3 font-mono">{key.prefix}…</td>
                <td class="py-2 pr-3">{key.revokedAt ? `revoked ${formatWhen(key.revokedAt)}` : key.lastUsedAt ? formatWhen(key.lastUsedAt) : 'never'}</td>
                <td class="py-2 pr-3">{key.health?.requests ?? 0}</td>
                <td class="py-2 pr-3">{key.health?.errors ?? 0}</td>
                <td class="py-2 pr-3">{ms(key.health?.p50Ms ?? null)} / {ms(key.health?.p99Ms ?? null)}</td>
                <td class="py-2 text-right">
                  <Show when={!key.revokedAt}><button type="button" class={secondaryButton} onClick={() => void revoke(key)} aria-label={`Revoke ${key.name}`}>Revoke</button></Show>
                </td>
              </tr>
            )}</For>
          </tbody>
        </table>
      </div>
      <form onSubmit={(e) => void create(e)} class="grid gap-3 rounded-lg border border-slate-200 p-4 md:grid-cols-[1fr_1fr_auto] md:items-end" aria-labelledby="new-key">
        <h3 id="new-key" class="font-semibold md:col-span-3">New API key</h3>
        <label class="text-sm">Name<input name="name" required maxLength={100} placeholder="CRM sync" class={inputClass} /></label>
        <label class="text-sm">Scope
          <select name="scope" class={inputClass}><For each={API_KEY_SCOPES}>{(s) => <option value={s}>{SCOPE_TEXT[s]}</option>}</For></select>
        </label>
        <button class={primaryButton}>Create key</button>
      </form>
    </section>
  )
}
