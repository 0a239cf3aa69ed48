/** The pre-chat form: the widget's configured fields, checked here and again by the server. */
import { checkPrechat, type PrechatField } from '../protocol/prechat.ts'
import type { Translate } from '../protocol/i18n.ts'
import { h } from './dom.ts'
import type { WidgetKey } from './strings.ts'

const PROBLEMS = { unknown: 'unknownField', required: 'required', 'too-long': 'tooLong', email: 'notEmail' } as const

export function createPrechatForm(fields: PrechatField[], intro: string, t: Translate<WidgetKey>, submit: (values: Record<string, string>) => Promise<string | null>): HTMLFormElement {
  const inputs = new Map<string, { input: HTMLInputElement; error: HTMLElement }>()
  const failure = h('p', { class: 'error', role: 'alert' })
  const form = h('form', { novalidate: true, 'aria-label': t('prechatTitle') }, h('p', { text: intro }))
  for (const field of fields) {
    const id = `prechat-${field.name}`
    const error = h('span', { class: 'error', id: `${id}-error` })
    const input = h('input', {
      id, name: field.name, type: field.type, required: field.required, autocomplete: field.type === 'email' ? 'email' : field.name === 'name' ? 'name' : 'off',
      'aria-describedby': `${id}-error`, maxlength: 1000,
    })
    form.append(h('label', { for: id }, `${field.label}${field.required ? ' *' : ''}`, input, error))
    inputs.set(field.name, { input, error })
  }
  const button = h('button', { type: 'submit', class: 'btn', text: t('startChat') })
  form.append(failure, button)
  form.addEventListener('submit', async (event) => {
    event.preventDefault()
    const values: Record<string, string> = {}
    for (const [name, { input }] of inputs) values[name] = input.value.trim()
    const problems = checkPrechat(fields, values, (problem, label, max) => t(PROBLEMS[problem], { label, max }))
    let firstBad: HTMLInputElement | null = null
    for (const [name, { input, error }] of inputs) {
      error.textContent = problems[name] ?? ''
      input.setAttribute('aria-invalid', problems[name] ? 'true' : 'false')
      if (problems[name] && !firstBad) firstBad = input
    }
    if (firstBad) { firstBad.focus(); return }
    button.disabled = true
    failure.textContent = ''
    const refused = await submit(Object.fromEntries(Object.entries(values).filter(([, v]) => v !== '')))
    button.disabled = false
    if (refused) failure.textContent = refused
  })
  return form
}
