/** Data retention: whether resolved conversations are erased some days after their last activity (server/housekeeping/retention.ts). */
import { createResource, createSignal, Show, type JSX } from 'solid-js'
import { FormStatus, errorText, inputClass, primaryButton } from '../../components/FormStatus.tsx'
import { api } from '../../io/api.ts'
import { t } from '../../i18n/index.ts'

export default function RetentionSettings(): JSX.Element {
  const [policy, { mutate }] = createResource(() => api.privacy.retention())
  const [on, setOn] = createSignal<boolean | null>(null)
  const [days, setDays] = createSignal('')
  const [error, setError] = createSignal('')
  const [saved, setSaved] = createSignal('')
  const enabled = () => on() ?? (policy()?.days != null)
  const dayText = () => days() || String(policy()?.days ?? 365)
  const save = async (event: Event) => {
    event.preventDefault()
    setError(''); setSaved('')
    try {
      // The server checks the number (a whole number of days, 1 to 3650) and says what is wrong.
      const next = await api.privacy.saveRetention(enabled() ? Number(dayText()) : null)
      mutate(next)
      setSaved(t('retention.saved'))
    } catch (e) { setError(errorText(e)) }
  }
  return (
    <form class="flex max-w-2xl flex-col gap-4" onSubmit={(e) => void save(e)} data-testid="retention-settings">
      <p class="text-sm text-slate-700">{t('retention.help')}</p>
      <FormStatus error={error()} saved={saved()} />
      <Show when={policy()}>{(p) => (
        <p class="text-sm font-medium" data-testid="retention-status">
          {p().days == null ? t('retention.statusOff') : t('retention.statusOn', { n: p().days as number })}
        </p>
      )}</Show>
      <fieldset class="flex flex-col gap-2">
        <label class="flex items-center gap-2">
          <input type="radio" name="retention" checked={!enabled()} onChange={() => setOn(false)} />
          {t('retention.keep')}
        </label>
        <label class="flex flex-wrap items-center gap-2">
          <input type="radio" name="retention" checked={enabled()} onChange={() => setOn(true)} />
          {t('retention.erase')}
        </label>
        <label class="ml-6 flex items-center gap-2">
          <input type="number" min="1" max="3650" step="1" class={`${inputClass.replace('w-full ', '')} w-28`} disabled={!enabled()} value={dayText()} onInput={(e) => setDays(e.currentTarget.value)} aria-label={t('retention.days')} />
          <span>{t('retention.days')}</span>
        </label>
      </fieldset>
      <div><button type="submit" class={primaryButton}>{t('retention.save')}</button></div>
    </form>
  )
}
