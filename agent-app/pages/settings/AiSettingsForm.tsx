/** AI settings: on or off, persona, greeting, confidence threshold, response delay, categories, and the business hours editor. */
import { createEffect, createResource, createSignal, Show, type JSX } from 'solid-js'
import type { BusinessHours } from '../../../protocol/business-hours.ts'
import { DEFAULT_CATEGORIES, type AiSettings } from '../../../protocol/wire.ts'
import { FormStatus, errorText, inputClass, primaryButton } from '../../components/FormStatus.tsx'
import { t } from '../../i18n/index.ts'
import { api } from '../../io/api.ts'
import { BusinessHoursEditor, businessHoursProblems } from './BusinessHoursEditor.tsx'

export default function AiSettingsForm(): JSX.Element {
  const [settings, { mutate }] = createResource(() => api.settings.ai())
  const [error, setError] = createSignal('')
  const [saved, setSaved] = createSignal('')
  const [hours, setHours] = createSignal<BusinessHours | null>(null)
  // Once, when the settings arrive: the range input's live value also goes through `mutate`.
  let started = false
  createEffect(() => { const s = settings(); if (s && !started) { started = true; setHours(s.businessHours) } })
  const submit = async (event: SubmitEvent) => {
    event.preventDefault()
    const data = new FormData(event.currentTarget as HTMLFormElement)
    setError(''); setSaved('')
    const problems = businessHoursProblems(hours())
    if (problems.length > 0) { setError(problems.join(' ')); return }
    const current = settings()!
    // One category a line (or comma separated); the server checks, trims and lower-cases them.
    const categories = String(data.get('categories') ?? '').split(/[\n,]/).map((c) => c.trim()).filter(Boolean)
    const body: AiSettings = {
      ...current,
      enabled: data.get('enabled') === 'on', persona: String(data.get('persona') ?? ''), greeting: String(data.get('greeting') ?? ''),
      confidenceThreshold: Number(data.get('confidenceThreshold')), responseDelayMs: Math.round(Number(data.get('responseDelaySeconds') || 0) * 1000),
      categories, businessHours: hours(),
    }
    try { mutate(await api.settings.saveAi(body)); setSaved(t('ai.saved')) } catch (e) { setError(errorText(e)) }
  }
  return (
    <Show when={settings()} fallback={<p class="text-sm text-slate-600">{settings.error ? errorText(settings.error) : t('common.loading')}</p>}>{(s) => (
      <form onSubmit={submit} class="flex max-w-2xl flex-col gap-4" novalidate>
        <label class="flex items-center gap-2"><input type="checkbox" name="enabled" checked={s().enabled} /> {t('ai.enabled')}</label>
        <label class="text-sm">{t('ai.persona')}<textarea name="persona" rows="4" maxLength={4000} class={inputClass} value={s().persona} /></label>
        <label class="text-sm">{t('ai.greeting')}<input name="greeting" maxLength={1000} class={inputClass} value={s().greeting} /></label>
        <label class="text-sm">{t('ai.threshold')} <output>{s().confidenceThreshold}</output>
          <input type="range" name="confidenceThreshold" min="0" max="1" step="0.05" value={s().confidenceThreshold} class="block w-full"
            onInput={(e) => mutate({ ...s(), confidenceThreshold: Number(e.currentTarget.value) })} />
        </label>
        <label class="text-sm">{t('ai.responseDelay')}
          <input type="number" name="responseDelaySeconds" min="0" max="10" step="0.5" class={inputClass} value={(s().responseDelayMs ?? 0) / 1000} />
        </label>
        <label class="text-sm">{t('ai.categories')}
          <textarea name="categories" rows="6" class={inputClass} data-testid="ai-categories" value={(s().categories ?? [...DEFAULT_CATEGORIES]).join('\n')} />
        </label>
        <BusinessHoursEditor value={hours()} onChange={setHours} />
        <FormStatus error={error()} saved={saved()} />
        <div><button class={primaryButton} data-testid="save-ai">{t('ai.submit')}</button></div>
      </form>
    )}</Show>
  )
}
