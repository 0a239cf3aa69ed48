/**
 * Audit (issue 14): who did what to which conversation, from the event log, for owners and
 * admins. Filters live in the URL (agent, kind, conversation, days) so a view can be shared;
 * older events page in with "Load older".
 */
import { createEffect, createSignal, For, on, Show, type JSX } from 'solid-js'
import type { AuditEntry } from '../../../protocol/audit.ts'
import { inputClass, secondaryButton } from '../../components/FormStatus.tsx'
import { NavLink } from '../../components/NavLink.tsx'
import { t } from '../../i18n/index.ts'
import { api } from '../../io/api.ts'
import { formatDateTime } from '../../lib/format.ts'
import { conversationHref, navigate, route } from '../../lib/router.ts'
import { useApp } from '../../store/index.ts'

const FILTERS = ['agent', 'kind', 'conversation', 'from', 'to'] as const
type Filter = (typeof FILTERS)[number]

export default function AuditPage(): JSX.Element {
  const app = useApp()
  const params = () => { const r = route(); return r.page === 'audit' ? r.params : new URLSearchParams() }
  const [rows, setRows] = createSignal<AuditEntry[]>([])
  const [kinds, setKinds] = createSignal<string[]>([])
  const [cursor, setCursor] = createSignal<string | null>(null)
  const [state, setState] = createSignal<'loading' | 'ready' | 'error'>('loading')
  const [error, setError] = createSignal('')

  const query = (more: string | null) => {
    const q = new URLSearchParams()
    for (const f of FILTERS) { const value = params().get(f); if (value) q.set(f, value) }
    if (more) q.set('cursor', more)
    return q.toString()
  }
  const load = async (more: string | null) => {
    setState('loading')
    try {
      const page = await api.audit.list(query(more))
      setRows((all) => (more ? [...all, ...page.items] : page.items))
      setKinds(page.kinds)
      setCursor(page.nextCursor)
      setState('ready')
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e))
      setState('error')
    }
  }
  createEffect(on(() => params().toString(), () => void load(null)))

  const setFilter = (name: Filter, value: string) => {
    const next = new URLSearchParams(params())
    if (value) next.set(name, value); else next.delete(name)
    navigate(`/audit${next.toString() ? `?${next}` : ''}`, { replace: true })
  }
  // A kind this build has no words for (a newer server's) shows as it is.
  const kindLabel = (kind: string) => { const key = `audit.kind.${kind}`; const label = t(key as Parameters<typeof t>[0]); return label === key ? kind : label }
  const who = (id: string | null) => (id ? app.agentName(id) : t('audit.nobody'))
  const details = (e: AuditEntry) => [
    e.fromAssigneeId ? t('audit.from', { name: who(e.fromAssigneeId) }) : '',
    e.assigneeId && e.kind === 'assigned' ? t('audit.to', { name: who(e.assigneeId) }) : '',
    e.priority && e.kind === 'escalated' ? t('audit.priority', { priority: e.priority }) : '',
    e.reason ?? '',
    e.rating !== null ? '★'.repeat(e.rating) : '',
    e.untilAt !== null ? t('audit.until', { when: formatDateTime(e.untilAt) }) : '',
  ].filter(Boolean).join(' · ')

  return (
    <div class="h-full overflow-y-auto p-4 md:p-6">
      <h1 class="text-xl font-semibold">{t('audit.title')}</h1>
      <p class="mt-1 max-w-3xl text-sm text-slate-700">{t('audit.intro')}</p>
      <form class="mt-4 grid max-w-4xl grid-cols-1 gap-3 sm:grid-cols-2 lg:grid-cols-5" onSubmit={(e) => e.preventDefault()} aria-label={t('audit.filters')}>
        <label class="text-sm">{t('audit.agent')}
          <select class={inputClass} data-testid="audit-agent" value={params().get('agent') ?? ''} onChange={(e) => setFilter('agent', e.currentTarget.value)}>
            <option value="">{t('audit.everyone')}</option>
            <For each={app.agents()}>{(a) => <option value={a.id}>{a.name}</option>}</For>
          </select>
        </label>
        <label class="text-sm">{t('audit.kind')}
          <select class={inputClass} data-testid="audit-kind" value={params().get('kind') ?? ''} onChange={(e) => setFilter('kind', e.currentTarget.value)}>
            <option value="">{t('audit.allKinds')}</option>
            <For each={kinds()}>{(k) => <option value={k}>{kindLabel(k)}</option>}</For>
          </select>
        </label>
        <label class="text-sm">{t('audit.conversation')}
          <input class={inputClass} data-testid="audit-conversation" value={params().get('conversation') ?? ''} placeholder="c_…"
            onChange={(e) => setFilter('conversation', e.currentTarget.value.trim())} />
        </label>
        <label class="text-sm">{t('audit.fromDay')}
          <input type="date" class={inputClass} data-testid="audit-from" value={params().get('from') ?? ''} onChange={(e) => setFilter('from', e.currentTarget.value)} />
        </label>
        <label class="text-sm">{t('audit.toDay')}
          <input type="date" class={inputClass} data-testid="audit-to" value={params().get('to') ?? ''} onChange={(e) => setFilter('to', e.currentTarget.value)} />
        </label>
      </form>
      <Show when={state() === 'error'}><p role="alert" class="mt-4 rounded bg-red-50 px-3 py-2 text-sm text-red-800">{error()}</p></Show>
      <div class="mt-4 overflow-x-auto">
        <table class="w-full min-w-[40rem] text-left text-sm" data-testid="audit-table">
          <thead class="text-slate-600">
            <tr><th class="py-2 pr-3 font-medium">{t('audit.when')}</th><th class="py-2 pr-3 font-medium">{t('audit.what')}</th><th class="py-2 pr-3 font-medium">{t('audit.who')}</th><th class="py-2 pr-3 font-medium">{t('audit.conversation')}</th><th class="py-2 font-medium">{t('audit.details')}</th></tr>
          </thead>
          <tbody class="divide-y divide-slate-200">
            <For each={rows()} fallback={<tr><td colSpan={5} class="py-3 text-slate-600">{state() === 'loading' ? t('common.loading') : t('audit.none')}</td></tr>}>{(e) => (
              <tr data-testid="audit-row" data-kind={e.kind}>
                <td class="whitespace-nowrap py-2 pr-3"><time dateTime={new Date(e.at).toISOString()}>{formatDateTime(e.at)}</time></td>
                <td class="py-2 pr-3">{kindLabel(e.kind)}</td>
                <td class="py-2 pr-3">{e.actorId ? who(e.actorId) : e.assigneeId && e.kind !== 'assigned' ? who(e.assigneeId) : '—'}</td>
                <td class="py-2 pr-3"><NavLink href={conversationHref('open', e.conversationId)} class="text-blue-800 underline">{e.conversationId}</NavLink></td>
                <td class="py-2 text-slate-700">{details(e)}</td>
              </tr>
            )}</For>
          </tbody>
        </table>
      </div>
      <Show when={cursor() && state() !== 'loading'}>
        <button type="button" class={`${secondaryButton} mt-3`} data-testid="audit-more" onClick={() => void load(cursor())}>{t('audit.more')}</button>
      </Show>
    </div>
  )
}
