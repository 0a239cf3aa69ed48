import { For, Show, type JSX, type Resource } from 'solid-js'
import { NavLink } from '../../components/NavLink.tsx'
import { formatWhen } from '../../lib/format.ts'
import { navigate } from '../../lib/router.ts'
import type { SearchAnswer } from './index.tsx'
import { t } from '../../i18n/index.ts'

export default function SearchView(props: { q: string; answer: Resource<SearchAnswer> }): JSX.Element {
  const submit = (event: SubmitEvent) => {
    event.preventDefault()
    const q = String(new FormData(event.currentTarget as HTMLFormElement).get('q') ?? '').trim()
    navigate(`/search?q=${encodeURIComponent(q)}`)
  }
  return (
    <div class="flex h-full flex-col">
      <form onSubmit={submit} role="search" class="border-b border-slate-200 p-3">
        <label for="search-q" class="mb-1 block text-sm font-medium">{t('search.label')}</label>
        <div class="flex gap-2">
          <input id="search-q" name="q" type="search" value={props.q} autofocus
            class="min-w-0 flex-1 rounded-md border border-slate-300 px-3 py-1.5 focus:outline-2 focus:outline-blue-700" />
          <button class="rounded-md bg-blue-700 px-3 py-1.5 text-white hover:bg-blue-800 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-blue-700">{t('search.submit')}</button>
        </div>
      </form>
      <div class="min-h-0 flex-1 overflow-y-auto" aria-live="polite">
        <Show when={props.answer.loading}><p class="p-4 text-sm text-slate-600">{t('search.searching')}</p></Show>
        <Show when={props.answer.error}><p role="alert" class="p-4 text-sm text-red-800">{String((props.answer.error as Error).message)}</p></Show>
        <Show when={props.answer()}>{(a) => (
          <>
            <p class="px-4 pt-3 text-xs text-slate-600" data-testid="search-source">
              {t('search.results', { n: a().results.length })} {a().source === 'device' ? t('search.offline') : ''}
            </p>
            <ul>
              <For each={a().results}>{(hit) => (
                <li class="border-b border-slate-100">
                  <NavLink href={`/search/${encodeURIComponent(hit.conversationId)}?q=${encodeURIComponent(props.q)}`}
                    class="block px-4 py-3 hover:bg-slate-50 focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-blue-700">
                    <span class="flex justify-between text-sm"><span class="font-medium">{hit.contactName || t('search.conversation')}{hit.kind === 'note' ? ` ${t('search.note')}` : ''}</span><span class="text-xs text-slate-600">{formatWhen(hit.createdAt)}</span></span>
                    <span class="line-clamp-2 text-sm text-slate-700" data-testid="search-hit">{hit.text}</span>
                  </NavLink>
                </li>
              )}</For>
            </ul>
          </>
        )}</Show>
      </div>
    </div>
  )
}
