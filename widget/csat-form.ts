/** After resolution: a one-click rating (1–5) with an optional comment, then "start a new conversation". */
import type { Translate } from '../protocol/i18n.ts'
import { h } from './dom.ts'
import type { WidgetKey } from './strings.ts'

export interface CsatActions {
  rate(rating: number, comment?: string): Promise<string | null>
  startNew(): void
  /** Offered only when the server sends email: the transcript to an address (the one left, by default). */
  transcript?: { email: string; send(email: string): Promise<string | null> }
}

export function createCsatForm(current: { rating: number; comment?: string } | null, t: Translate<WidgetKey>, actions: CsatActions): HTMLElement {
  const box = h('div', { role: 'group', 'aria-label': t('resolvedGroup') })
  const status = h('p', { role: 'status', class: '' })
  let rating = current?.rating ?? 0
  const stars = h('div', { class: 'stars' })
  const buttons: HTMLButtonElement[] = []
  const comment = h('textarea', { class: 'comment', rows: 2, placeholder: t('commentPlaceholder'), 'aria-label': t('commentLabel'), maxlength: 2000 })
  const sendComment = h('button', { type: 'button', class: 'btn ghost', text: t('sendComment') })
  const commentRow = h('div', { hidden: !current || !!current.comment }, comment, sendComment)
  const mark = () => buttons.forEach((b, i) => b.setAttribute('aria-pressed', String(i + 1 === rating)))
  for (let value = 1; value <= 5; value++) {
    const button = h('button', { type: 'button', text: String(value), 'aria-label': t('rate', { value }), 'aria-pressed': 'false' })
    button.addEventListener('click', async () => {
      rating = value
      mark()
      const refused = await actions.rate(value)
      status.textContent = refused ?? t('thanksRating')
      if (!refused) commentRow.hidden = false
    })
    buttons.push(button)
    stars.append(button)
  }
  sendComment.addEventListener('click', async () => {
    if (!rating || !comment.value.trim()) return
    const refused = await actions.rate(rating, comment.value.trim())
    status.textContent = refused ?? t('thanksComment')
    if (!refused) commentRow.hidden = true
  })
  mark()
  if (current) status.textContent = t('thanksRating')
  box.append(h('p', { text: t('resolvedAsk') }), stars, commentRow, status)
  const transcript = actions.transcript
  if (transcript) {
    const address = h('input', { type: 'email', value: transcript.email, placeholder: 'you@example.com', 'aria-label': t('transcriptEmail') })
    const said = h('p', { role: 'status' })
    const form = h('form', { class: 'transcript', novalidate: true }, address, h('button', { type: 'submit', class: 'btn ghost', text: t('transcriptSend') }))
    form.addEventListener('submit', async (event) => {
      event.preventDefault()
      const refused = await transcript.send(address.value.trim())
      said.textContent = refused ?? t('transcriptSent', { email: address.value.trim() })
    })
    box.append(form, said)
  }
  box.append(h('button', { type: 'button', class: 'btn', text: t('startNew'), onclick: () => actions.startNew() }))
  return box
}
