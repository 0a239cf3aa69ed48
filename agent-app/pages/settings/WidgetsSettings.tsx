/** Widgets: edit the look and texts with a live preview, copy the embed snippet, try the real widget. */
import { createEffect, createResource, createSignal, For, Show, type JSX } from 'solid-js'
import { FormStatus, errorText, inputClass, primaryButton, secondaryButton } from '../../components/FormStatus.tsx'
import type { Widget } from '../../io/index.ts'
import { api } from '../../io/api.ts'
import { WidgetPreview } from './WidgetPreview.tsx'
import { PrechatEditor, prechatProblems } from './PrechatEditor.tsx'
import { t } from '../../i18n/index.ts'
import { LOCALE_NAMES, UI_LOCALES } from '../../../protocol/i18n.ts'

type Draft = Pick<Widget, 'name' | 'title' | 'welcomeMessage' | 'primaryColor' | 'position' | 'businessName' | 'language' | 'prechat'>
const toDraft = (w: Widget): Draft => ({
  name: w.name, title: w.title, welcomeMessage: w.welcomeMessage, primaryColor: w.primaryColor, position: w.position, businessName: w.businessName,
  language: w.language ?? 'auto', prechat: { enabled: w.prechat?.enabled ?? false, fields: w.prechat?.fields ?? [] },
})

export const embedSnippet = (siteKey: string): string => `<script src="${location.origin}/widget.js" data-site-key="${siteKey}" async></script>`

export default function WidgetsSettings(): JSX.Element {
  const [widgets, { refetch }] = createResource(() => api.widgets.list().then((r) => r.items))
  const [selectedId, setSelectedId] = createSignal<string | null>(null)
  const [draft, setDraft] = createSignal<Draft | null>(null)
  const [error, setError] = createSignal('')
  const [saved, setSaved] = createSignal('')
  const [liveKey, setLiveKey] = createSignal(0)
  const selected = () => widgets()?.find((w) => w.id === selectedId()) ?? widgets()?.[0]
  createEffect(() => { const w = selected(); if (w) setDraft(toDraft(w)) })
  const field = <K extends keyof Draft>(key: K) => (e: Event) => setDraft({ ...draft()!, [key]: (e.currentTarget as HTMLInputElement).value } as Draft)

  const save = async (event: SubmitEvent) => {
    event.preventDefault()
    setError(''); setSaved('')
    const problems = prechatProblems(draft()!.prechat)
    if (problems.length > 0) { setError(problems.join(' ')); return }
    try {
      await api.widgets.update(selected()!.id, draft()!)
      await refetch()
      setSaved(t('widgets.saved'))
      if (liveKey() > 0) setLiveKey(liveKey() + 1)
    } catch (e) { setError(errorText(e)) }
  }
  const create = async () => {
    setError(''); setSaved('')
    try {
      const w = await api.widgets.create({ name: t('widgets.defaultName', { n: (widgets()?.length ?? 0) + 1 }) })
      await refetch()
      setSelectedId(w.id)
    } catch (e) { setError(errorText(e)) }
  }
  return (
    <div class="flex flex-col gap-4">
      <div class="flex flex-wrap items-center gap-2">
        <label for="widget-pick" class="text-sm font-medium">{t('widgets.widget')}</label>
        <select id="widget-pick" class="rounded-md border border-slate-300 px-2 py-1.5" value={selected()?.id ?? ''} onChange={(e) => setSelectedId(e.currentTarget.value)}>
          <For each={widgets() ?? []}>{(w) => <option value={w.id}>{w.name}</option>}</For>
        </select>
        <button class={secondaryButton} onClick={() => void create()}>{t('widgets.new')}</button>
      </div>
      <FormStatus error={error()} saved={saved()} />
      <Show when={selected() && draft()}>
        <div class="grid gap-6 lg:grid-cols-2">
          <form onSubmit={save} class="flex flex-col gap-3">
            <label class="text-sm">{t('widgets.name')}<input class={inputClass} value={draft()!.name} onInput={field('name')} required maxLength={200} /></label>
            <label class="text-sm">{t('widgets.title')}<input class={inputClass} value={draft()!.title} onInput={field('title')} required maxLength={100} /></label>
            <label class="text-sm">{t('widgets.welcome')}<textarea class={inputClass} rows="2" value={draft()!.welcomeMessage} onInput={field('welcomeMessage')} maxLength={1000} /></label>
            <label class="text-sm">{t('widgets.businessName')}<input class={inputClass} value={draft()!.businessName} onInput={field('businessName')} maxLength={200} /></label>
            <div class="flex gap-4">
              <label class="text-sm">{t('widgets.colour')}<input type="color" class="block h-9 w-16 rounded border border-slate-300" value={draft()!.primaryColor} onInput={field('primaryColor')} /></label>
              <label class="text-sm">{t('widgets.position')}
                <select class={inputClass} value={draft()!.position} onChange={field('position')}><option value="right">{t('widgets.right')}</option><option value="left">{t('widgets.left')}</option></select>
              </label>
              <label class="text-sm">{t('widgets.language')}
                <select class={inputClass} value={draft()!.language} onChange={field('language')} data-testid="widget-language">
                  <option value="auto">{t('widgets.languageAuto')}</option>
                  <For each={UI_LOCALES}>{(l) => <option value={l} lang={l}>{LOCALE_NAMES[l]}</option>}</For>
                </select>
              </label>
            </div>
            <p class="text-xs text-slate-600">{t('widgets.languageHint')}</p>
            <PrechatEditor value={draft()!.prechat} onChange={(prechat) => setDraft({ ...draft()!, prechat })} />
            <div><button class={primaryButton}>{t('widgets.save')}</button></div>
            <div>
              <p class="mb-1 text-sm font-medium" id="snippet-label">{t('widgets.snippet')}</p>
              <pre aria-labelledby="snippet-label" class="whitespace-pre-wrap break-all rounded-md bg-slate-900 p-3 text-xs text-slate-100" data-testid="snippet">{embedSnippet(selected()!.siteKey)}</pre>
              <button type="button" class={`${secondaryButton} mt-2 text-sm`} onClick={() => void navigator.clipboard?.writeText(embedSnippet(selected()!.siteKey))}>{t('widgets.copy')}</button>
            </div>
          </form>
          <div class="flex flex-col gap-3">
            <p class="text-sm font-medium" id="preview-label">{t('widgets.preview')}</p>
            <WidgetPreview draft={draft()!} />
            <Show when={liveKey() > 0} fallback={
              <button class={`${secondaryButton} self-start text-sm`} onClick={() => setLiveKey(1)}>{t('widgets.tryLive')}</button>
            }>
              <Show when={liveKey()} keyed>
                <iframe title={t('widgets.liveTitle')} class="h-[560px] w-full rounded-lg border border-slate-200"
                  srcdoc={`<!doctype html><html><body style="font-family:system-ui;background:#f8fafc;margin:0;padding:1rem"><p>${t('widgets.livePage')}</p>${embedSnippet(selected()!.siteKey)}</body></html>`} />
              </Show>
            </Show>
          </div>
        </div>
      </Show>
    </div>
  )
}
