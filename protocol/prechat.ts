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

/** Returns one message per bad field (keyed by field name); empty when the values are acceptable. */
export function checkPrechat(fields: readonly PrechatField[], values: Record<string, string>): Record<string, string> {
  const problems: Record<string, string> = {}
  const known = new Set(fields.map((f) => f.name))
  for (const key of Object.keys(values)) if (!known.has(key)) problems[key] = 'is not a field of this form'
  for (const field of fields) {
    const value = (values[field.name] ?? '').trim()
    if (value === '') {
      if (field.required) problems[field.name] = `${field.label} is required`
    } else if (value.length > MAX_PRECHAT_VALUE) {
      problems[field.name] = `${field.label} must be at most ${MAX_PRECHAT_VALUE} characters`
    } else if (field.type === 'email' && !EMAIL.test(value)) {
      problems[field.name] = `${field.label} must be an email address`
    }
  }
  return problems
}
