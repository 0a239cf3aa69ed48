/**
 * The widget's pre-chat form with real controls (issue 17): on or off, and its fields, each with
 * a question, a key, a type (text or email) and whether it is required, in order. Controlled:
 * the widget form saves it (PATCH /api/widgets/:id, checked again by the server);
 * `prechatProblems` says what the server would refuse before anything is sent.
 */
import { Index, Show, type JSX } from 'solid-js'
import type { PrechatField } from '../../../protocol/prechat.ts'
import { inputClass, secondaryButton } from '../../components/FormStatus.tsx'
import { t } from '../../i18n/index.ts'

export interface Prechat { enabled: boolean; fields: PrechatField[] }

const MAX_FIELDS = 10
const KEY = /^[a-z][a-z0-9_]{0,39}$/
const small = 'rounded-md border border-slate-300 bg-white px-2 py-1 text-sm focus-visible:outline-2 focus-visible:outline-blue-700'
const iconButton = 'rounded px-1.5 py-0.5 text-sm text-slate-700 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-blue-700 disabled:opacity-40'

/** A key made from a question: "Order number" → "order_number" (the agent may change it). */
export function keyFrom(label: string): string {
  const key = label.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^[^a-z]+|_+$/g, '').slice(0, 40)
  return key || 'field'
}

export function prechatProblems(prechat: Prechat): string[] {
  const problems: string[] = []
  const seen = new Set<string>()
  if (prechat.fields.length > MAX_FIELDS) problems.push(t('prechat.max'))
  for (const field of prechat.fields) {
    if (!field.label.trim()) { problems.push(t('prechat.noLabel')); continue }
    if (!KEY.test(field.name)) problems.push(t('prechat.badKey', { label: field.label }))
    else if (seen.has(field.name)) problems.push(t('prechat.keyTwice', { key: field.name }))
    seen.add(field.name)
  }
  return problems
}

export function PrechatEditor(props: { value: Prechat; onChange: (next: Prechat) => void }): JSX.Element {
  const fields = () => props.value.fields
  const setFields = (next: PrechatField[]) => props.onChange({ ...props.value, fields: next })
  const update = (i: number, patch: Partial<PrechatField>) => setFields(fields().map((f, j) => (j === i ? { ...f, ...patch } : f)))
  const move = (i: number, by: number) => {
    const next = [...fields()]
    const [field] = next.splice(i, 1)
    next.splice(i + by, 0, field!)
    setFields(next)
  }
  /** `base`, or base_2, base_3… when another field (not `except`) has it. */
  const unique = (base: string, except = -1) => {
    const taken = new Set(fields().filter((_, j) => j !== except).map((f) => f.name))
    let name = base
    for (let n = 2; taken.has(name); n++) name = `${base}_${n}`.slice(0, 40)
    return name
  }
  /** Whether a key still looks made from its question (then it follows the question as it is edited). */
  const derived = (field: PrechatField) => new RegExp(`^${keyFrom(field.label)}(_\\d+)?$`).test(field.name)
  const add = () => {
    const label = t('prechat.newField')
    setFields([...fields(), { name: unique(keyFrom(label)), label, type: 'text', required: false }])
  }
  return (
    <fieldset class="flex flex-col gap-3 rounded-lg border border-slate-200 p-4" data-testid="prechat-editor">
      <legend class="px-1 font-semibold">{t('settings.prechat')}</legend>
      <label class="flex items-center gap-2 text-sm">
        <input type="checkbox" data-testid="prechat-enabled" checked={props.value.enabled} onChange={(e) => props.onChange({ ...props.value, enabled: e.currentTarget.checked })} />
        {t('prechat.enabled')}
      </label>
      <p class="text-xs text-slate-600">{t('prechat.hint')}</p>
      <ol class="flex flex-col gap-2">
        {/* Index, not For: a row keeps its inputs (and focus) while its field object is replaced. */}
        <Index each={fields()} fallback={<li class="text-sm text-slate-600">{t('prechat.none')}</li>}>{(field, i) => (
          <li class="flex flex-wrap items-end gap-x-3 gap-y-2 rounded-md bg-slate-50 p-2" data-testid="prechat-field">
            <label class="min-w-48 flex-[2] text-xs text-slate-700">{t('prechat.label')}
              <input class={inputClass} value={field().label} maxLength={100} required data-testid="prechat-label"
                onInput={(e) => {
                  // The key follows the question until the agent edits the key itself.
                  const label = e.currentTarget.value
                  update(i, { label, ...(derived(field()) ? { name: unique(keyFrom(label), i) } : {}) })
                }} />
            </label>
            <label class="min-w-36 flex-1 text-xs text-slate-700">{t('prechat.key')}
              <input class={`${inputClass} font-mono text-sm`} value={field().name} maxLength={40} title={t('prechat.keyHint')} aria-invalid={!KEY.test(field().name)} data-testid="prechat-key"
                onInput={(e) => update(i, { name: e.currentTarget.value })} />
            </label>
            <label class="text-xs text-slate-700">{t('prechat.type')}
              <select class={`${small} block`} value={field().type} data-testid="prechat-type" onChange={(e) => update(i, { type: e.currentTarget.value as PrechatField['type'] })}>
                <option value="text">{t('prechat.text')}</option>
                <option value="email">{t('prechat.email')}</option>
              </select>
            </label>
            <label class="flex items-center gap-1.5 pb-1.5 text-sm">
              <input type="checkbox" checked={field().required} data-testid="prechat-required" onChange={(e) => update(i, { required: e.currentTarget.checked })} />
              {t('prechat.required')}
            </label>
            <div class="ml-auto flex items-end gap-0.5 pb-1">
              <button type="button" class={iconButton} disabled={i === 0} aria-label={t('prechat.up', { label: field().label })} onClick={() => move(i, -1)}>↑</button>
              <button type="button" class={iconButton} disabled={i === fields().length - 1} aria-label={t('prechat.down', { label: field().label })} onClick={() => move(i, 1)}>↓</button>
              <button type="button" class={iconButton} aria-label={t('prechat.remove', { label: field().label })} onClick={() => setFields(fields().filter((_, j) => j !== i))}>×</button>
            </div>
          </li>
        )}</Index>
      </ol>
      <Show when={fields().length < MAX_FIELDS} fallback={<p class="text-xs text-slate-600">{t('prechat.max')}</p>}>
        <div><button type="button" class={`${secondaryButton} text-sm`} data-testid="prechat-add" onClick={add}>{t('prechat.add')}</button></div>
      </Show>
    </fieldset>
  )
}
