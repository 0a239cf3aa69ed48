/** API keys: create (the token is shown once), revoke, and each key's use over the last day. */
import { createSignal, For, Show, type JSX } from 'solid-js'
import { API_KEY_SCOPES } from '../../../../protocol/index.ts'
import { FormStatus, errorText, inputClass, primaryButton, secondaryButton } from '../../../components/FormStatus.tsx'
import type { ApiKeyInfo } from '../../../io/index.ts'
import { api } from '../../../io/api.ts'
import { formatWhen } from '../../../lib/format.ts'
import { t } from '../../../i18n/index.ts'

const SCOPE_KEYS = { read: 'apiKeys.scopeRead', write: 'apiKeys.scopeWrite', admin: 'apiKeys.scopeAdmin' } as const
const ms = (n: number | null) => (n === null ? '–' : t('integrations.ms', { n }))

export function ApiKeysPanel(props: { keys: ApiKeyInfo[]; onChange: () => void }): JSX.Element {
  const [error, setError] = createSignal('')
  const [created, setCreated] = createSignal<{ name: string; token: string } | null>(null)
  const create = async (event: SubmitEvent) => {
    event.preventDefault()
    const form = event.currentTarget as HTMLFormElement
    const data = Object.fromEntries(new FormData(form)) as Record<string, string>
    setError('')
    try {
      const key = await api.integrations.createKey({ name: data.name ?? '', scope: data.scope ?? 'read' })
      setCreated({ name: key.name, token: key.token })
      form.reset()
      props.onChange()
    } catch (e) { setError(errorText(e)) }
  }
  const revoke = async (key: ApiKeyInfo) => {
    if (!confirm(t('apiKeys.confirmRevoke', { name: key.name }))) return
    try { await api.integrations.revokeKey(key.id); props.onChange() } catch (e) { setError(errorText(e)) }
  }
  return (
    <section aria-labelledby="api-keys" class="flex flex-col gap-3">
      <h2 id="api-keys" class="text-lg font-semibold">{t('apiKeys.title')}</h2>
      <FormStatus error={error()} />
      <Show when={created()}>{(key) => (
        <div role="status" data-testid="api-key-created" class="rounded-lg border border-green-300 bg-green-50 p-3 text-sm">
          <p class="font-medium text-green-900">{t('apiKeys.created', { name: key().name })}</p>
          <code data-testid="api-key-token" class="mt-2 block break-all rounded bg-white px-2 py-1 font-mono text-slate-900">{key().token}</code>
          <div class="mt-2 flex gap-2">
            <button type="button" class={secondaryButton} onClick={() => void navigator.clipboard?.writeText(key().token)}>{t('apiKeys.copy')}</button>
            <button type="button" class={secondaryButton} onClick={() => setCreated(null)}>{t('integrations.done')}</button>
          </div>
        </div>
      )}</Show>
      <div class="overflow-x-auto">
        <table class="w-full text-left text-sm" data-testid="api-keys-table">
          <thead class="text-slate-600"><tr>
            <th class="py-2 pr-3 font-medium">{t('integrations.name')}</th><th class="py-2 pr-3 font-medium">{t('apiKeys.scope')}</th><th class="py-2 pr-3 font-medium">{t('apiKeys.key')}</th>
            <th class="py-2 pr-3 font-medium">{t('apiKeys.lastUsed')}</th><th class="py-2 pr-3 font-medium">{t('apiKeys.requests')}</th><th class="py-2 pr-3 font-medium">{t('apiKeys.errors')}</th>
            <th class="py-2 pr-3 font-medium">{t('apiKeys.latency')}</th><th class="py-2 font-medium"><span class="sr-only">{t('integrations.actions')}</span></th>
          </tr></thead>
          <tbody>
            <Show when={props.keys.length === 0}><tr><td colSpan={8} class="py-3 text-slate-600">{t('apiKeys.none')}</td></tr></Show>
            <For each={props.keys}>{(key) => (
              <tr class={`border-t border-slate-200 ${key.revokedAt ? 'text-slate-500' : ''}`} data-testid="api-key-row">
                <td class="py-2 pr-3">{key.name}</td>
                <td class="py-2 pr-3">{key.scope}</td>
                <td class="py-2 pr-3 font-mono">{key.prefix}…</td>
                <td class="py-2 pr-3">{key.revokedAt ? t('apiKeys.revokedAt', { when: formatWhen(key.revokedAt) }) : key.lastUsedAt ? formatWhen(key.lastUsedAt) : t('integrations.never')}</td>
                <td class="py-2 pr-3">{key.health?.requests ?? 0}</td>
                <td class="py-2 pr-3">{key.health?.errors ?? 0}</td>
                <td class="py-2 pr-3">{ms(key.health?.p50Ms ?? null)} / {ms(key.health?.p99Ms ?? null)}</td>
                <td class="py-2 text-right">
                  <Show when={!key.revokedAt}><button type="button" class={secondaryButton} onClick={() => void revoke(key)} aria-label={t('apiKeys.revokeOne', { name: key.name })}>{t('apiKeys.revoke')}</button></Show>
                </td>
              </tr>
            )}</For>
          </tbody>
        </table>
      </div>
      <form onSubmit={(e) => void create(e)} class="grid gap-3 rounded-lg border border-slate-200 p-4 md:grid-cols-[1fr_1fr_auto] md:items-end" aria-labelledby="new-key">
        <h3 id="new-key" class="font-semibold md:col-span-3">{t('apiKeys.new')}</h3>
        <label class="text-sm">{t('integrations.name')}<input name="name" required maxLength={100} placeholder={t('apiKeys.namePlaceholder')} class={inputClass} /></label>
        <label class="text-sm">{t('apiKeys.scope')}
          <select name="scope" class={inputClass}><For each={API_KEY_SCOPES}>{(s) => <option value={s}>{t(SCOPE_KEYS[s])}</option>}</For></select>
        </label>
        <button class={primaryButton}>{t('apiKeys.create')}</button>
      </form>
    </section>
  )
}
