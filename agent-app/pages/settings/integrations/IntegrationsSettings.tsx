/**
 * Settings → Integrations (issue 16): the API keys and webhooks of the workspace with their
 * health, the delivery log, and alerts when an endpoint starts failing. Loads the data and
 * refreshes it every few seconds while open; the panels only draw it.
 */
import { createResource, createSignal, For, onCleanup, Show, type JSX } from 'solid-js'
import { api } from '../../../io/api.ts'
import { formatDateTime } from '../../../lib/format.ts'
import { t } from '../../../i18n/index.ts'
import { tNodes } from '../../../i18n/rich.tsx'
import { ApiKeysPanel } from './ApiKeysPanel.tsx'
import { DeliveryLog } from './DeliveryLog.tsx'
import { WebhooksPanel } from './WebhooksPanel.tsx'

const REFRESH_MS = 5000
const DAY = 24 * 3600_000

export default function IntegrationsSettings(): JSX.Element {
  const [keys, { refetch: refetchKeys }] = createResource(() => api.integrations.keys().then((r) => r.items))
  const [webhooks, { refetch: refetchWebhooks }] = createResource(() => api.integrations.webhooks().then((r) => r.items))
  const [alerts, { refetch: refetchAlerts }] = createResource(() => api.integrations.alerts().then((r) => r.items))
  const [tick, setTick] = createSignal(0)
  const refresh = () => { void refetchKeys(); void refetchWebhooks(); void refetchAlerts(); setTick((n) => n + 1) }
  const timer = setInterval(refresh, REFRESH_MS)
  onCleanup(() => clearInterval(timer))
  // Alerts of the last day about webhooks still in trouble (a recovery notice ends its endpoint's alert).
  const open = () => {
    const latest = new Map<string, NonNullable<ReturnType<typeof alerts>>[number]>()
    for (const a of alerts() ?? []) if (a.createdAt > Date.now() - DAY && !latest.has(a.subjectId)) latest.set(a.subjectId, a)
    return [...latest.values()].filter((a) => a.level !== 'info')
  }
  return (
    <div class="flex max-w-5xl flex-col gap-8">
      <Show when={open().length > 0}>
        <div role="alert" data-testid="integration-alerts" class="flex flex-col gap-1 rounded-lg border border-amber-300 bg-amber-50 p-3 text-sm text-amber-950">
          <For each={open()}>{(a) => (
            <p><span class={`mr-2 rounded px-1.5 py-0.5 text-xs font-semibold ${a.level === 'error' ? 'bg-red-700 text-white' : 'bg-amber-600 text-white'}`}>{t(a.level === 'error' ? 'webhooks.disabled' : 'webhooks.failing')}</span>{a.message} <span class="text-amber-800">({formatDateTime(a.createdAt)})</span></p>
          )}</For>
        </div>
      </Show>
      <ApiKeysPanel keys={keys() ?? []} onChange={refresh} />
      <WebhooksPanel webhooks={webhooks() ?? []} onChange={refresh} />
      <DeliveryLog webhooks={webhooks() ?? []} refresh={tick} />
      <p class="text-sm text-slate-600">{tNodes('integrations.docs', {}, {
        docs: <a class="text-blue-800 underline" href="/docs" target="_blank" rel="noopener">/docs</a>,
        spec: <a class="text-blue-800 underline" href="/api/openapi.json" target="_blank" rel="noopener">/api/openapi.json</a>,
      })}</p>
    </div>
  )
}
