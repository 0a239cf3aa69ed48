/** Every conversation of a contact, newest first, with status, rating and a link; more on demand. */
import { createComputed, createSignal, For, on, Show, type JSX } from 'solid-js'
import { StatusBadge } from '../../components/StatusBadge.tsx'
import { NavLink } from '../../components/NavLink.tsx'
import type { ConversationInfo } from '../../io/index.ts'
import { api } from '../../io/api.ts'
import { formatDateTime } from '../../lib/format.ts'
import { conversationHref } from '../../lib/router.ts'
import { t } from '../../i18n/index.ts'

export function ContactHistory(props: { contactId: string; first: ConversationInfo[]; cursor: string | null }): JSX.Element {
  const [items, setItems] = createSignal(props.first)
  const [cursor, setCursor] = createSignal(props.cursor)
  // A merge or a reload hands a new first page: start again from it.
  createComputed(on(() => [props.first, props.cursor] as const, ([first, next]) => { setItems(first); setCursor(next) }, { defer: true }))
  const [error, setError] = createSignal<string | null>(null)
  const more = async () => {
    try {
      const page = await api.contacts.conversations(props.contactId, cursor() ?? undefined)
      setItems((list) => [...list, ...page.items]); setCursor(page.nextCursor)
    } catch (e) { setError((e as Error).message) }
  }
  return (
    <section aria-labelledby="history-heading" class="flex flex-col gap-2">
      <h3 id="history-heading" class="text-xs font-semibold uppercase tracking-wide text-slate-600">{t('contact.conversations', { count: `${items().length}${cursor() ? '+' : ''}` })}</h3>
      <Show when={items().length > 0} fallback={<p class="text-sm text-slate-600">{t('contact.noneYet')}</p>}>
        <ul class="flex flex-col divide-y divide-slate-100 rounded-md border border-slate-200" data-testid="contact-history">
          <For each={items()}>{(c) => (
            <li>
              <NavLink href={conversationHref('open', c.id)} testId="history-row" class="block px-3 py-2 text-sm hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-blue-700">
                <span class="flex items-center gap-2">
                  <StatusBadge status={c.status} />
                  <Show when={c.csat}>{(csat) => <span class="text-xs text-amber-800" aria-label={t('contact.rated', { rating: csat().rating })}>{'★'.repeat(csat().rating)}{'☆'.repeat(5 - csat().rating)}</span>}</Show>
                  <span class="ml-auto text-xs text-slate-600">{formatDateTime(c.lastActivityAt)}</span>
                </span>
                <span class="block truncate text-slate-800">{c.preview || c.subject || t('panel.noMessages')}</span>
              </NavLink>
            </li>
          )}</For>
        </ul>
      </Show>
      <Show when={error()}><p role="alert" class="text-sm text-red-800">{error()}</p></Show>
      <Show when={cursor()}><button class="self-start rounded-md border border-slate-300 px-3 py-1 text-sm hover:bg-slate-100" onClick={() => void more()}>{t('contact.older')}</button></Show>
    </section>
  )
}
