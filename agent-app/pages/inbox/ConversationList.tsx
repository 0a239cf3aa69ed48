import { For, Show, Suspense, lazy, type JSX } from 'solid-js'
import { useApp } from '../../store/index.ts'
import { viewLabel, type View } from '../../store/inbox.ts'
import { t } from '../../i18n/index.ts'
import { ConversationRow } from './ConversationRow.tsx'

// Only the Resolved view pages in older conversations: not part of the first screen.
const OlderResolved = lazy(() => import('./OlderResolved.tsx').then((m) => ({ default: m.OlderResolved })))

export function ConversationList(props: { view: View; selected: string | null }): JSX.Element {
  const { inbox, teamName } = useApp()
  const label = () => viewLabel(props.view, teamName)
  const list = () => inbox.list(props.view)
  return (
    <div class="flex h-full flex-col">
      <div class="flex items-baseline justify-between border-b border-slate-200 px-4 py-3">
        <h1 class="text-lg font-semibold">{label()}</h1>
        <span class="text-sm text-slate-600">{list().length}</span>
      </div>
      <div class="min-h-0 flex-1 overflow-y-auto">
        <Show when={list().length > 0} fallback={
          <p class="p-6 text-sm text-slate-600" data-testid="inbox-empty">{inbox.loaded() ? t('inbox.empty') : t('common.loading')}</p>
        }>
          <ul data-testid="inbox-list" aria-label={t('inbox.listOf', { view: label() })}>
            <For each={list()}>{(entry) => <ConversationRow entry={entry} view={props.view} selected={entry.id === props.selected} />}</For>
          </ul>
        </Show>
        {/* The inbox document keeps recent resolved conversations only; older ones page in from the server. */}
        <Show when={props.view === 'resolved'}>
          <Suspense><OlderResolved shown={new Set(list().map((e) => e.id))} selected={props.selected} /></Suspense>
        </Show>
      </div>
    </div>
  )
}
