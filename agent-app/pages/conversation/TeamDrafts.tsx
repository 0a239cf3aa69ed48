/**
 * Teammates' reply drafts (issue 17): "<name> is writing a reply…", opened read-only on demand;
 * "Edit together" only once the author opened their draft, so nobody types into another's reply
 * by accident.
 */
import { createSignal, For, Show, type JSX } from 'solid-js'
import type { ConversationStore } from '../../store/conversation.ts'
import { useApp } from '../../store/index.ts'
import { t } from '../../i18n/index.ts'

const link = 'rounded px-1.5 py-0.5 text-sm text-blue-800 underline-offset-2 hover:underline focus-visible:outline-2 focus-visible:outline-blue-700'

export function TeamDrafts(props: { store: ConversationStore }): JSX.Element {
  const app = useApp()
  const [open, setOpen] = createSignal<string | null>(null)
  return (
    <For each={props.store.otherDrafts().filter((d) => props.store.coEditing() !== d.authorId)}>{(draft) => (
      <div class="mb-2 rounded-md bg-slate-100 px-2 py-1" data-testid="team-draft" data-author={draft.authorId}>
        <div class="flex flex-wrap items-center gap-1 text-sm text-slate-800">
          <span class="min-w-0 flex-1 italic">{t('drafts.writing', { name: app.agentName(draft.authorId) })}</span>
          <button class={link} aria-expanded={open() === draft.authorId} onClick={() => setOpen(open() === draft.authorId ? null : draft.authorId)}>
            {open() === draft.authorId ? t('drafts.hide') : t('drafts.view')}
          </button>
          <Show when={draft.shared}>
            <button class={link} data-testid="join-draft" onClick={() => props.store.editTogether(draft.authorId)}>{t('composer.editTogether')}</button>
          </Show>
        </div>
        <Show when={open() === draft.authorId}>
          <p class="mt-1 max-h-24 overflow-y-auto whitespace-pre-wrap break-words text-sm text-slate-900" data-testid="team-draft-text" aria-readonly="true">{draft.text}</p>
        </Show>
      </div>
    )}</For>
  )
}
