/** Canned responses: typed with `/shortcut` in the reply box. */
import { createSignal, For, type JSX } from 'solid-js'
import { FormStatus, errorText, inputClass, primaryButton, secondaryButton } from '../../components/FormStatus.tsx'
import { io } from '../../io/index.ts'
import { useApp } from '../../store/index.ts'
import { t } from '../../i18n/index.ts'

export default function CannedSettings(): JSX.Element {
  const app = useApp()
  const [error, setError] = createSignal('')
  const [saved, setSaved] = createSignal('')
  const add = async (event: SubmitEvent) => {
    event.preventDefault()
    const form = event.currentTarget as HTMLFormElement
    const data = new FormData(form)
    setError(''); setSaved('')
    try {
      await io.canned.create({ shortcut: String(data.get('shortcut') ?? ''), title: String(data.get('title') ?? ''), body: String(data.get('body') ?? '') })
      form.reset()
      setSaved(t('canned.added'))
      await app.refetchCanned()
    } catch (e) { setError(errorText(e)) }
  }
  const remove = async (id: string) => {
    try { await io.canned.remove(id); await app.refetchCanned() } catch (e) { setError(errorText(e)) }
  }
  return (
    <div class="flex max-w-3xl flex-col gap-6">
      <FormStatus error={error()} saved={saved()} />
      <form onSubmit={add} class="grid gap-3 rounded-lg border border-slate-200 p-4 md:grid-cols-2" aria-label={t('canned.new')}>
        <label class="text-sm">{t('canned.shortcut')}<input name="shortcut" required pattern="[a-z0-9_\-]{1,40}" title={t('canned.shortcutHint')} class={inputClass} /></label>
        <label class="text-sm">{t('canned.title')}<input name="title" required maxLength={200} class={inputClass} /></label>
        <label class="text-sm md:col-span-2">{t('canned.text')}<textarea name="body" required rows="3" class={inputClass} /></label>
        <div><button class={primaryButton}>{t('canned.add')}</button></div>
      </form>
      <ul class="flex flex-col divide-y divide-slate-200">
        <For each={app.canned()} fallback={<li class="py-2 text-sm text-slate-600">{t('canned.empty')}</li>}>{(c) => (
          <li class="flex items-start gap-3 py-3">
            <div class="min-w-0 flex-1">
              <p><span class="font-mono text-blue-900">/{c.shortcut}</span> <span class="font-medium">{c.title}</span></p>
              <p class="text-sm text-slate-700">{c.body}</p>
            </div>
            <button class={`${secondaryButton} text-sm`} onClick={() => void remove(c.id)}>{t('common.delete')}</button>
          </li>
        )}</For>
      </ul>
    </div>
  )
}
