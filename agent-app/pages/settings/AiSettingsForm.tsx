/** AI settings: on or off, persona, greeting, confidence threshold, response delay, categories, business hours. */
import { createResource, createSignal, Show, type JSX } from 'solid-js'
import { DEFAULT_CATEGORIES, type AiSettings } from '../../../protocol/index.ts'
import { FormStatus, errorText, inputClass, primaryButton } from '../../components/FormStatus.tsx'
import { io } from '../../io/index.ts'

export default function AiSettingsForm(): JSX.Element {
  const [settings, { mutate }] = createResource(() => io.settings.ai())
  const [error, setError] = createSignal('')
  const [saved, setSaved] = createSignal('')
  const [hours, setHours] = createSignal('')
  const submit = async (event: SubmitEvent) => {
    event.preventDefault()
    const data = new FormData(event.currentTarget as HTMLFormElement)
    setError(''); setSaved('')
    let businessHours: AiSettings['businessHours']
    try {
      const text = String(data.get('businessHours') ?? '').trim()
      businessHours = text ? JSON.parse(text) as AiSettings['businessHours'] : null
    } catch { setError('businessHours: not valid JSON'); return }
    // One category a line (or comma separated); the server checks, trims and lower-cases them.
    const categories = String(data.get('categories') ?? '').split(/[\n,]/).map((c) => c.trim()).filter(Boolean)
    const body: AiSettings = {
      enabled: data.get('enabled') === 'on', persona: String(data.get('persona') ?? ''), greeting: String(data.get('greeting') ?? ''),
      confidenceThreshold: Number(data.get('confidenceThreshold')), responseDelayMs: Math.round(Number(data.get('responseDelaySeconds') || 0) * 1000),
      categories, businessHours,
    }
    try { mutate(await io.settings.saveAi(body)); setSaved('AI settings saved.') } catch (e) { setError(errorText(e)) }
  }
  return (
    <Show when={settings()} fallback={<p class="text-sm text-slate-600">{settings.error ? errorText(settings.error) : 'Loading…'}</p>}>{(s) => (
      <form onSubmit={submit} class="flex max-w-2xl flex-col gap-4">
        <label class="flex items-center gap-2"><input type="checkbox" name="enabled" checked={s().enabled} /> The bot answers new conversations first</label>
        <label class="text-sm">Persona (what the model is told)<textarea name="persona" rows="4" maxLength={4000} class={inputClass} value={s().persona} /></label>
        <label class="text-sm">Greeting (empty for none)<input name="greeting" maxLength={1000} class={inputClass} value={s().greeting} /></label>
        <label class="text-sm">Hand over to a human below this confidence: <output>{s().confidenceThreshold}</output>
          <input type="range" name="confidenceThreshold" min="0" max="1" step="0.05" value={s().confidenceThreshold} class="block w-full"
            onInput={(e) => mutate({ ...s(), confidenceThreshold: Number(e.currentTarget.value) })} />
        </label>
        <label class="text-sm">Wait before each answer, in seconds (0 for none; a pause can feel more natural)
          <input type="number" name="responseDelaySeconds" min="0" max="10" step="0.5" class={inputClass} value={(s().responseDelayMs ?? 0) / 1000} />
        </label>
        <label class="text-sm">Categories the assistant files conversations under (one a line)
          <textarea name="categories" rows="6" class={inputClass} data-testid="ai-categories" value={(s().categories ?? [...DEFAULT_CATEGORIES]).join('\n')} />
        </label>
        <label class="text-sm">Business hours (JSON, empty for always), e.g. {'{"timezone":"Europe/Paris","days":{"mon":{"open":"09:00","close":"17:00"}}}'}
          <textarea name="businessHours" rows="3" class={`${inputClass} font-mono text-xs`} value={hours() || (s().businessHours ? JSON.stringify(s().businessHours) : '')} onInput={(e) => setHours(e.currentTarget.value)} />
        </label>
        <FormStatus error={error()} saved={saved()} />
        <div><button class={primaryButton}>Save AI settings</button></div>
      </form>
    )}</Show>
  )
}
