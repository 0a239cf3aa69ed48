/**
 * When nobody can answer: say why (`lead`: closed until…, nobody online) and take an email.
 * Only a server that sends email (SMTP_URL; `emailReplies`) promises a reply by email; without
 * one the visitor is told the truth: the answer appears in this chat, to be read when they come back.
 */
import { h } from './dom.ts'

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/

export function createLeaveMessageForm(lead: string, leftEmail: string | null, emailReplies: boolean, save: (email: string) => Promise<string | null>): HTMLElement {
  const box = h('div')
  if (leftEmail) {
    box.append(h('p', { text: emailReplies
      ? `${lead} We will reply to ${leftEmail} — you can close this window.`
      : `${lead} Thanks, we have ${leftEmail}. The reply will appear here in this chat: come back to this page to read it.` }))
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
  box.append(h('p', { text: emailReplies
    ? `${lead} Leave your email and we will reply there.`
    : `${lead} The reply will appear here in this chat: come back to this page to read it. You can leave your email so the team knows how to reach you.` }), form, error)
  return box
}
