/** Knowledge-base articles: what the bot answers from; imported, or written here. */
import { createResource, createSignal, For, Show, type JSX } from 'solid-js'
import { FormStatus, errorText, inputClass, primaryButton, secondaryButton } from '../../components/FormStatus.tsx'
import type { Article } from '../../io/index.ts'
import { api } from '../../io/api.ts'
import { t } from '../../i18n/index.ts'
import { ImportButton } from './KnowledgeImport.tsx'

export default function ArticlesSettings(): JSX.Element {
  const [articles, { refetch }] = createResource(() => api.articles.list().then((r) => r.items))
  const [editing, setEditing] = createSignal<Article | null>(null)
  const [error, setError] = createSignal('')
  const [saved, setSaved] = createSignal('')
  const submit = async (event: SubmitEvent) => {
    event.preventDefault()
    const form = event.currentTarget as HTMLFormElement
    const data = new FormData(form)
    const body = {
      title: String(data.get('title') ?? ''), body: String(data.get('body') ?? ''),
      tags: String(data.get('tags') ?? '').split(',').map((t) => t.trim()).filter(Boolean),
    }
    setError(''); setSaved('')
    try {
      const current = editing()
      if (current) await api.articles.update(current.id, body)
      else await api.articles.create(body)
      setSaved(current ? t('articles.saved') : t('articles.added'))
      setEditing(null)
      form.reset()
      await refetch()
    } catch (e) { setError(errorText(e)) }
  }
  const remove = async (article: Article) => {
    if (!confirm(t('articles.confirmDelete', { title: article.title }))) return
    try { await api.articles.remove(article.id); await refetch() } catch (e) { setError(errorText(e)) }
  }
  return (
    <div class="flex max-w-3xl flex-col gap-6">
      <Show when={articles.state === 'ready' && articles()!.length === 0}>
        <div data-testid="kb-empty" class="rounded-lg border border-amber-300 bg-amber-50 p-4 text-sm text-amber-950">
          <p class="font-semibold">{t('articles.emptyTitle')}</p>
          <p>{t('articles.emptyText')}</p>
        </div>
      </Show>
      <ImportButton onImported={() => void refetch()} />
      <FormStatus error={error()} saved={saved()} />
      <Show when={editing() ?? true} keyed>{(a) => (
        <form onSubmit={submit} class="flex flex-col gap-3 rounded-lg border border-slate-200 p-4" aria-label={a === true ? t('articles.new') : t('articles.edit')}>
          <h2 class="font-semibold">{a === true ? t('articles.new') : t('articles.editing', { title: a.title })}</h2>
          <label class="text-sm">{t('articles.title')}<input name="title" required maxLength={300} class={inputClass} value={a === true ? '' : a.title} /></label>
          <label class="text-sm">{t('articles.text')}<textarea name="body" required rows="6" class={inputClass} value={a === true ? '' : a.body} /></label>
          <label class="text-sm">{t('articles.tags')}<input name="tags" class={inputClass} value={a === true ? '' : a.tags.join(', ')} /></label>
          <div class="flex gap-2">
            <button class={primaryButton}>{a === true ? t('articles.add') : t('articles.save')}</button>
            <Show when={a !== true}><button type="button" class={secondaryButton} onClick={() => setEditing(null)}>{t('common.cancel')}</button></Show>
          </div>
        </form>
      )}</Show>
      <ul class="flex flex-col divide-y divide-slate-200">
        <For each={articles() ?? []}>{(article) => (
          <li class="flex items-start gap-3 py-3" data-article={article.title}>
            <div class="min-w-0 flex-1">
              <p class="font-medium">
                <Show when={article.example}><span class="mr-2 rounded bg-amber-100 px-1.5 py-0.5 text-xs font-semibold uppercase text-amber-900">{t('articles.example')}</span></Show>
                {article.title}
              </p>
              <Show when={!article.example && (article.url || article.source)}>
                <p class="text-xs text-slate-600">{article.url ? <a href={article.url} target="_blank" rel="noopener noreferrer" class="underline">{article.url}</a> : t('articles.importedFrom', { source: sourceText(article.source ?? '') })}</p>
              </Show>
              <p class="line-clamp-2 text-sm text-slate-700">{article.body}</p>
            </div>
            <button class={`${secondaryButton} text-sm`} onClick={() => setEditing(article)}>{t('common.edit')}</button>
            <button class={`${secondaryButton} text-sm`} onClick={() => void remove(article)}>{t('common.delete')}</button>
          </li>
        )}</For>
      </ul>
    </div>
  )
}

/** Where an import took an article from, for people: `zendesk:42/en-us` → "Zendesk (article 42, en-us)". */
function sourceText(source: string): string {
  const [kind, rest = ''] = source.split(/:(.*)/s)
  if (kind === 'zendesk') { const [id, locale] = rest.split('/'); return locale ? t('articles.zendeskLocale', { id: id ?? '', locale }) : t('articles.zendesk', { id: id ?? '' }) }
  if (kind === 'intercom') return t('articles.intercom', { id: rest })
  return kind === 'file' ? rest : source
}
