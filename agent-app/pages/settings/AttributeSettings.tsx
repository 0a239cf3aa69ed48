/** Contact attributes: the custom fields every contact of the workspace can have (issue 13). */
import { createResource, createSignal, For, Show, type JSX } from 'solid-js'
import { ATTRIBUTE_TYPES, type AttributeType } from '../../../protocol/index.ts'
import { FormStatus, errorText, inputClass, primaryButton, secondaryButton } from '../../components/FormStatus.tsx'
import { io } from '../../io/index.ts'

const TYPE_LABELS: Record<AttributeType, string> = { text: 'Text', number: 'Number', date: 'Date', boolean: 'Yes / no', list: 'List of options' }

export default function AttributeSettings(): JSX.Element {
  const [definitions, { refetch }] = createResource(() => io.contacts.attributes().then((r) => r.items))
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
      await io.contacts.defineAttribute({ key: String(data.get('key') ?? ''), label: String(data.get('label') ?? ''), type: type(), ...(type() === 'list' ? { options } : {}) })
      form.reset(); setType('text')
      setSaved('Attribute added.')
      await refetch()
    } catch (e) { setError(errorText(e)) }
  }
  const remove = async (key: string) => {
    if (!confirm(`Delete the attribute "${key}" and its value on every contact?`)) return
    try { const r = await io.contacts.removeAttribute(key); setSaved(`Deleted; removed from ${r.removedFromContacts} contact${r.removedFromContacts === 1 ? '' : 's'}.`); await refetch() } catch (e) { setError(errorText(e)) }
  }
  return (
    <div class="flex max-w-3xl flex-col gap-6">
      <p class="text-sm text-slate-700">Agents fill these on a contact's profile; <code>Parley.identify(&#123; …, attributes &#125;)</code> and pre-chat fields with the same key fill them from the widget.</p>
      <FormStatus error={error()} saved={saved()} />
      <form onSubmit={add} class="grid gap-3 rounded-lg border border-slate-200 p-4 md:grid-cols-2" aria-label="New contact attribute">
        <label class="text-sm">Key<input name="key" required pattern="[a-z][a-z0-9_]{0,39}" title="lower-case letters, digits and _; starting with a letter" class={inputClass} data-testid="attribute-key" /></label>
        <label class="text-sm">Label<input name="label" required maxLength={100} class={inputClass} data-testid="attribute-label" /></label>
        <label class="text-sm">Type
          <select class={inputClass} value={type()} onChange={(e) => setType(e.currentTarget.value as AttributeType)} data-testid="attribute-type">
            <For each={ATTRIBUTE_TYPES}>{(t) => <option value={t}>{TYPE_LABELS[t]}</option>}</For>
          </select>
        </label>
        <Show when={type() === 'list'}>
          <label class="text-sm">Options (comma-separated)<input name="options" required class={inputClass} data-testid="attribute-options" /></label>
        </Show>
        <div class="md:col-span-2"><button class={primaryButton}>Add attribute</button></div>
      </form>
      <ul class="flex flex-col divide-y divide-slate-200">
        <For each={definitions()} fallback={<li class="py-2 text-sm text-slate-600">None yet.</li>}>{(d) => (
          <li class="flex items-start gap-3 py-3">
            <div class="min-w-0 flex-1">
              <p><span class="font-medium">{d.label}</span> <span class="font-mono text-sm text-slate-600">{d.key}</span> · <span class="text-sm">{TYPE_LABELS[d.type]}</span></p>
              <Show when={d.options.length > 0}><p class="text-sm text-slate-700">{d.options.join(', ')}</p></Show>
            </div>
            <button class={`${secondaryButton} text-sm`} onClick={() => void remove(d.key)}>Delete</button>
          </li>
        )}</For>
      </ul>
    </div>
  )
}
