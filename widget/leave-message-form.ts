/** When nobody can answer: say why (`lead`: closed until…, nobody online) and take an email for the reply. */
import { h } from './dom.ts'

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/

export function createLeaveMessageForm(lead: string, leftEmail: string | null, save: (email: string) => Promise<string | null>): HTMLElement {
  const box = h('div')
  if (leftEmail) {
    box.append(h('p', { text: `${lead} We will reply to ${leftEmail} — you can close this window.` }))
    return box
  }
  const input = h('input', { type: 'email', required: true, autocomplete: 'email', placeholder: 'you@example.com', 'aria-label': 'Your email for the reply' })
  const error = h('p', { class: 'error', role: 'alert' })
  const form = h('form', { novalidate: true }, input, h('button', { type: 'submit', class: 'btn', text: 'Save' }))
  form.addEventListener('submit', async (event) => {
    event.preventDefault()
    const email = input.value.trim()
    if (!EMAIL.test(email)) { error.textContent = 'Please enter an email address.'; input.setAttribute('aria-invalid', 'true'); input.focus(); return }
    const refused = await save(email)
    error.textContent = refused ?? ''
  })
  box.append(h('p', { text: `${lead} Leave your email and we will reply there.` }), form, error)
  return box
}
