/** One earlier conversation of the customer in the side panel: a link, and its messages shown inline on demand. */
import { createResource, createSignal, For, Show, type JSX } from 'solid-js'
import { NavLink } from '../../components/NavLink.tsx'
import { StatusBadge } from '../../components/StatusBadge.tsx'
import type { ConversationInfo } from '../../io/index.ts'
import { api } from '../../io/api.ts'
import { formatClock, formatWhen } from '../../lib/format.ts'
import { conversationHref } from '../../lib/router.ts'
import { t } from '../../i18n/index.ts'

export function EarlierConversation(props: { conversation: ConversationInfo }): JSX.Element {
  const c = () => props.conversation
  const [open, setOpen] = createSignal(false)
  const [transcript] = createResource(() => (open() ? c().id : null), (id) => api.contacts.transcript(id))
  return (
    <li class="rounded-md border border-slate-200" data-testid="earlier-conversation">
      <NavLink href={conversationHref('open', c().id)} class="block px-2 py-1.5 text-sm hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-blue-700">
        <span class="flex items-center gap-2">
          <StatusBadge status={c().status} />
          <Show when={c().mergedInto}><span class="text-xs text-slate-600">{t('panel.merged')}</span></Show>
          <Show when={c().csat}>{(csat) => <span class="text-xs text-amber-800" aria-label={t('contact.rated', { rating: csat().rating })}>{'★'.repeat(csat().rating)}</span>}</Show>
          <span class="text-xs text-slate-600">{formatWhen(c().lastActivityAt)}</span>
        </span>
        <span class="block truncate text-slate-800">{c().preview || t('panel.noMessages')}</span>
      </NavLink>
      <button class="w-full border-t border-slate-100 px-2 py-1 text-left text-xs text-blue-800 hover:bg-slate-50" aria-expanded={open()} data-testid="earlier-toggle" onClick={() => setOpen(!open())}>
        {open() ? t('earlier.hide') : t('earlier.show')}
      </button>
      <Show when={open()}>
        <div class="max-h-64 overflow-y-auto border-t border-slate-100 px-2 py-1.5 text-sm" data-testid="earlier-messages">
          <Show when={transcript.loading}><p class="text-xs text-slate-600">{t('common.loading')}</p></Show>
          <Show when={transcript.error}><p class="text-xs text-red-800">{(transcript.error as Error).message}</p></Show>
          <For each={transcript()?.messages.filter((m) => m.kind === 'message') ?? []}>{(m) => (
            <p class={`my-1 ${m.author.role === 'customer' ? '' : 'text-slate-600'}`}>
              <span class="text-xs font-medium">{m.author.name} · {formatClock(m.createdAt)}</span><br />{m.text}
            </p>
          )}</For>
        </div>
      </Show>
    </li>
  )
}
