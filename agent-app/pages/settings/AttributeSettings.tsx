/** Contact attributes: the custom fields every contact of the workspace can have (issue 13). */
import { createResource, createSignal, For, Show, type JSX } from 'solid-js'
import { ATTRIBUTE_TYPES, type AttributeType } from '../../../protocol/index.ts'
import { FormStatus, errorText, inputClass, primaryButton, secondaryButton } from '../../components/FormStatus.tsx'
import { api } from '../../io/api.ts'
import { t } from '../../i18n/index.ts'
import { tNodes } from '../../i18n/rich.tsx'

const typeLabel = (type: AttributeType): string => t(`attrs.type.${type}`)

export default function AttributeSettings(): JSX.Element {
  const [definitions, { refetch }] = createResource(() => api.contacts.attributes().then((r) => r.items))
  const [type, setType] = createSignal<AttributeType>('text')
  const [error, setError] = createSignal('')
  const [saved, setSaved] = createSignal('')
  const add = async (event: SubmitEvent) => {
    event.preventDefault()
    const form = event.currentTarget as HTMLFormElement
    const data = new FormData(form)
    const options = String(data.get('options') ?? '').split(',').map((o) => o.trim()).filter(Boolean)
    setError(''); setSaved('')
    try {
      await api.contacts.defineAttribute({ key: String(data.get('key') ?? ''), label: String(data.get('label') ?? ''), type: type(), ...(type() === 'list' ? { options } : {}) })
      form.reset(); setType('text')
      setSaved(t('attrs.added'))
      await refetch()
    } catch (e) { setError(errorText(e)) }
  }
  const remove = async (key: string) => {
    if (!confirm(t('attrs.confirmDelete', { key }))) return
    try { const r = await api.contacts.removeAttribute(key); setSaved(t('attrs.deleted', { n: r.removedFromContacts })); await refetch() } catch (e) { setError(errorText(e)) }
  }
  return (
    <div class="flex max-w-3xl flex-col gap-6">
      <p class="text-sm text-slate-700">{tNodes('attrs.help', {}, { code: <code>Parley.identify(&#123; …, attributes &#125;)</code> })}</p>
      <FormStatus error={error()} saved={saved()} />
      <form onSubmit={add} class="grid gap-3 rounded-lg border border-slate-200 p-4 md:grid-cols-2" aria-label={t('attrs.newAria')}>
        <label class="text-sm">{t('attrs.key')}<input name="key" required pattern="[a-z][a-z0-9_]{0,39}" title={t('attrs.keyTitle')} class={inputClass} data-testid="attribute-key" /></label>
        <label class="text-sm">{t('attrs.label')}<input name="label" required maxLength={100} class={inputClass} data-testid="attribute-label" /></label>
        <label class="text-sm">{t('attrs.type')}
          <select class={inputClass} value={type()} onChange={(e) => setType(e.currentTarget.value as AttributeType)} data-testid="attribute-type">
            <For each={ATTRIBUTE_TYPES}>{(type) => <option value={type}>{typeLabel(type)}</option>}</For>
          </select>
        </label>
        <Show when={type() === 'list'}>
          <label class="text-sm">{t('attrs.options')}<input name="options" required class={inputClass} data-testid="attribute-options" /></label>
        </Show>
        <div class="md:col-span-2"><button class={primaryButton}>{t('attrs.add')}</button></div>
      </form>
      <ul class="flex flex-col divide-y divide-slate-200">
        <For each={definitions()} fallback={<li class="py-2 text-sm text-slate-600">{t('attrs.none')}</li>}>{(d) => (
          <li class="flex items-start gap-3 py-3">
            <div class="min-w-0 flex-1">
              <p><span class="font-medium">{d.label}</span> <span class="font-mono text-sm text-slate-600">{d.key}</span> · <span class="text-sm">{typeLabel(d.type)}</span></p>
              <Show when={d.options.length > 0}><p class="text-sm text-slate-700">{d.options.join(', ')}</p></Show>
            </div>
            <button class={`${secondaryButton} text-sm`} onClick={() => void remove(d.key)}>{t('common.delete')}</button>
          </li>
        )}</For>
      </ul>
    </div>
  )
}
