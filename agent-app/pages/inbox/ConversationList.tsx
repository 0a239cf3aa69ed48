import { For, Show, type JSX } from 'solid-js'
import { useApp } from '../../store/index.ts'
import { viewLabel, type View } from '../../store/inbox.ts'
import { ConversationRow } from './ConversationRow.tsx'

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
      <Show when={list().length > 0} fallback={
        <p class="p-6 text-sm text-slate-600" data-testid="inbox-empty">{inbox.loaded() ? 'Nothing here.' : 'Loading…'}</p>
      }>
        <ul class="min-h-0 flex-1 overflow-y-auto" data-testid="inbox-list" aria-label={`${label()} conversations`}>
          <For each={list()}>{(entry) => <ConversationRow entry={entry} view={props.view} selected={entry.id === props.selected} />}</For>
        </ul>
      </Show>
    </div>
  )
}
