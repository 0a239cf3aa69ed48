/**
 * The widget's pre-chat form, checked the same way in the browser (before it is sent) and on
 * the server (before it is stored). No valibot here: the widget imports this and stays small.
 */
export interface PrechatField {
  name: string
  label: string
  type: 'text' | 'email'
  required: boolean
}

export const MAX_PRECHAT_VALUE = 1000
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/

export type PrechatProblem = 'unknown' | 'required' | 'too-long' | 'email'

/** The server's English wording; the widget passes its own, in the visitor's language. */
const ENGLISH: Record<PrechatProblem, (label: string, max: number) => string> = {
  unknown: () => 'is not a field of this form',
  required: (label) => `${label} is required`,
  'too-long': (label, max) => `${label} must be at most ${max} characters`,
  email: (label) => `${label} must be an email address`,
}
export type PrechatWording = (problem: PrechatProblem, label: string, max: number) => string

/** Returns one message per bad field (keyed by field name); empty when the values are acceptable. */
export function checkPrechat(fields: readonly PrechatField[], values: Record<string, string>, say: PrechatWording = (p, label, max) => ENGLISH[p](label, max)): Record<string, string> {
  const problems: Record<string, string> = {}
  const known = new Set(fields.map((f) => f.name))
  for (const key of Object.keys(values)) if (!known.has(key)) problems[key] = say('unknown', key, MAX_PRECHAT_VALUE)
  for (const field of fields) {
    const value = (values[field.name] ?? '').trim()
    if (value === '') {
      if (field.required) problems[field.name] = say('required', field.label, MAX_PRECHAT_VALUE)
    } else if (value.length > MAX_PRECHAT_VALUE) {
      problems[field.name] = say('too-long', field.label, MAX_PRECHAT_VALUE)
    } else if (field.type === 'email' && !EMAIL.test(value)) {
      problems[field.name] = say('email', field.label, MAX_PRECHAT_VALUE)
    }
  }
  return problems
}
