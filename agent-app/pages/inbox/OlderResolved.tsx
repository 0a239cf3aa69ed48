import { For, Show, createSignal, onMount, type JSX } from 'solid-js'
import type { InboxEntry } from '../../../protocol/index.ts'
import { t } from '../../i18n/index.ts'
import { api } from '../../io/api.ts'
import type { ConversationPage } from '../../io/api-types.ts'
import { ConversationRow } from './ConversationRow.tsx'

/**
 * Resolved conversations past the inbox's working set (INBOX_RESOLVED_DAYS: they leave the synced
 * inbox document so devices do not keep all history; issue 19), paged from the tables over HTTP.
 * Rows the inbox already shows are left out.
 */
export function OlderResolved(props: { shown: ReadonlySet<string>; selected: string | null }): JSX.Element {
  const [rows, setRows] = createSignal<InboxEntry[]>([])
  const [cursor, setCursor] = createSignal<string | null>(null)
  const [state, setState] = createSignal<'idle' | 'loading' | 'done' | 'offline'>('idle')
  const load = async () => {
    setState('loading')
    try {
      const page: ConversationPage = await api.conversations.list({ status: 'resolved', cursor: cursor() })
      setRows((all) => [...all, ...page.items.map(toEntry)])
      setCursor(page.nextCursor)
      setState(page.nextCursor ? 'idle' : 'done')
    } catch {
      setState('offline')
    }
  }
  onMount(() => { void load() })
  const older = () => rows().filter((row) => !props.shown.has(row.id))
  return (
    <section aria-label={t('inbox.olderLabel')} data-testid="older-resolved">
      <Show when={older().length > 0}>
        <h2 class="border-b border-slate-200 bg-slate-50 px-4 py-2 text-xs font-semibold uppercase tracking-wide text-slate-600">{t('inbox.older')}</h2>
        <ul>
          <For each={older()}>{(entry) => <ConversationRow entry={entry} view="resolved" selected={entry.id === props.selected} />}</For>
        </ul>
      </Show>
      <div class="px-4 py-3 text-sm">
        <Show when={state() === 'idle' && cursor()}>
          <button type="button" class="rounded border border-slate-300 px-3 py-1 hover:bg-slate-50" onClick={() => void load()} data-testid="older-resolved-more">{t('inbox.loadOlder')}</button>
        </Show>
        <Show when={state() === 'loading'}><span class="text-slate-600">{t('common.loading')}</span></Show>
        <Show when={state() === 'offline'}>
          <span class="text-slate-600">{t('inbox.olderOffline')} </span>
          <button type="button" class="underline" onClick={() => void load()}>{t('inbox.tryAgain')}</button>
        </Show>
      </div>
    </section>
  )
}

const toEntry = (c: ConversationPage['items'][number]): InboxEntry => ({
  id: c.id, status: c.status, priority: c.priority, assignee: c.assignee, contactName: c.contactName, subject: c.subject, preview: c.preview,
  lastActivityAt: c.lastActivityAt, waitingSince: c.waitingSince, lastMessageAuthor: null, messageCount: c.messageCount, labels: c.labels,
  category: c.classification?.category ?? null,
})
