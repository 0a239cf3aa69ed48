/** The contacts list: a search box, a sort, and rows with last seen and conversation counts. */
import { For, Show, type JSX } from 'solid-js'
import { CONTACT_SORTS, type ContactSort } from '../../../protocol/index.ts'
import { NavLink } from '../../components/NavLink.tsx'
import { formatWhen, initials } from '../../lib/format.ts'
import { contactHref, navigate } from '../../lib/router.ts'
import { t } from '../../i18n/index.ts'
import { contactsQuery, SORT_LABELS, type ContactListState } from './contact-list.ts'

export function ContactsView(props: { state: ContactListState; selectedId: string | null; onLoadMore: () => void }): JSX.Element {
  const go = (q: string, sort: ContactSort) => { const query = contactsQuery(q, sort); navigate(`/contacts${props.selectedId ? `/${encodeURIComponent(props.selectedId)}` : ''}${query ? `?${query}` : ''}`) }
  const submit = (event: SubmitEvent) => {
    event.preventDefault()
    go(String(new FormData(event.currentTarget as HTMLFormElement).get('q') ?? ''), props.state.sort)
  }
  const keep = () => { const query = contactsQuery(props.state.q, props.state.sort); return query ? `?${query}` : '' }
  return (
    <div class="flex h-full flex-col">
      <form onSubmit={submit} role="search" class="flex flex-col gap-2 border-b border-slate-200 p-3">
        <label for="contacts-q" class="text-sm font-medium">{t('contacts.search')}</label>
        <div class="flex gap-2">
          <input id="contacts-q" name="q" type="search" value={props.state.q} placeholder={t('contacts.placeholder')} data-testid="contacts-q"
            class="min-w-0 flex-1 rounded-md border border-slate-300 px-3 py-1.5 focus:outline-2 focus:outline-blue-700" />
          <button class="rounded-md bg-blue-700 px-3 py-1.5 text-white hover:bg-blue-800 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-blue-700">{t('contacts.searchButton')}</button>
        </div>
        <label class="flex items-center gap-2 text-sm text-slate-700">
          {t('contacts.sortBy')}
          <select class="rounded-md border border-slate-300 bg-white px-2 py-1 text-sm focus-visible:outline-2 focus-visible:outline-blue-700" data-testid="contacts-sort"
            value={props.state.sort} onChange={(e) => go(props.state.q, e.currentTarget.value as ContactSort)}>
            <For each={CONTACT_SORTS}>{(s) => <option value={s}>{t(SORT_LABELS[s])}</option>}</For>
          </select>
        </label>
      </form>
      <div class="min-h-0 flex-1 overflow-y-auto" aria-live="polite">
        <Show when={props.state.offline}><p class="px-4 pt-3 text-xs text-amber-800" data-testid="contacts-offline">{t('contacts.offline')}</p></Show>
        <Show when={props.state.error}><p role="alert" class="p-4 text-sm text-red-800">{props.state.error}</p></Show>
        <Show when={!props.state.loading && props.state.items.length === 0 && !props.state.error}>
          <p class="p-4 text-sm text-slate-600">{props.state.q ? t('contacts.noMatch') : t('contacts.none')}</p>
        </Show>
        <ul data-testid="contact-list">
          <For each={props.state.items}>{(c) => (
            <li class="border-b border-slate-100">
              <NavLink href={`${contactHref(c.id)}${keep()}`} active={props.selectedId === c.id} testId="contact-row"
                class={`flex items-center gap-3 px-4 py-2.5 hover:bg-slate-50 focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-blue-700 ${props.selectedId === c.id ? 'bg-blue-50' : ''}`}>
                <span aria-hidden="true" class="flex h-8 w-8 shrink-0 items-center justify-center rounded-full bg-slate-200 text-xs font-semibold text-slate-700">{initials(c.displayName)}</span>
                <span class="min-w-0 flex-1">
                  <span class="block truncate text-sm font-medium" data-testid="contact-name">{c.displayName}</span>
                  <span class="block truncate text-xs text-slate-600">{[c.email !== c.displayName ? c.email : null, c.company].filter(Boolean).join(' · ') || '—'}</span>
                </span>
                <span class="shrink-0 text-right text-xs text-slate-600">
                  <span class="block" title={t('contacts.lastSeen')}>{formatWhen(c.lastSeenAt)}</span>
                  <span class="block" data-testid="contact-counts">
                    {t('contacts.convCount', { n: c.conversationCount })}{c.openConversations > 0 ? <> · <span class="font-semibold text-green-800">{t('contacts.open', { n: c.openConversations })}</span></> : ''}
                  </span>
                </span>
              </NavLink>
            </li>
          )}</For>
        </ul>
        <Show when={props.state.loading}><p class="p-4 text-sm text-slate-600">{t('common.loading')}</p></Show>
        <Show when={props.state.hasMore && !props.state.loading}>
          <div class="p-3"><button class="w-full rounded-md border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-blue-700" data-testid="contacts-more" onClick={() => props.onLoadMore()}>{t('contacts.more')}</button></div>
        </Show>
      </div>
    </div>
  )
}
