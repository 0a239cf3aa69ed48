/**
 * When nobody can answer: say why (`lead`: closed until…, nobody online) and take an email.
 * Only a server that sends email (SMTP_URL; `emailReplies`) promises a reply by email; without
 * one the visitor is told the truth: the answer appears in this chat, to be read when they come back.
 */
import type { Translate } from '../protocol/i18n.ts'
import { h } from './dom.ts'
import type { WidgetKey } from './strings.ts'

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/

export function createLeaveMessageForm(lead: string, leftEmail: string | null, emailReplies: boolean, t: Translate<WidgetKey>, save: (email: string) => Promise<string | null>): HTMLElement {
  const box = h('div')
  if (leftEmail) {
    box.append(h('p', { text: `${lead} ${t(emailReplies ? 'emailLeft' : 'emailLeftChat', { email: leftEmail })}` }))
    return box
  }
  const input = h('input', { type: 'email', required: true, autocomplete: 'email', placeholder: t('emailPlaceholder'), 'aria-label': t('emailLabel') })
  const error = h('p', { class: 'error', role: 'alert' })
  const form = h('form', { novalidate: true }, input, h('button', { type: 'submit', class: 'btn', text: t('save') }))
  form.addEventListener('submit', async (event) => {
    event.preventDefault()
    const email = input.value.trim()
    if (!EMAIL.test(email)) { error.textContent = t('enterEmail'); input.setAttribute('aria-invalid', 'true'); input.focus(); return }
    const refused = await save(email)
    error.textContent = refused ?? ''
  })
  box.append(h('p', { text: `${lead} ${t(emailReplies ? 'leaveEmail' : 'leaveEmailChat')}` }), form, error)
  return box
}
