/** After resolution: a one-click rating (1–5) with an optional comment, then "start a new conversation". */
import { h } from './dom.ts'

export interface CsatActions {
  rate(rating: number, comment?: string): Promise<string | null>
  startNew(): void
  /** Offered only when the server sends email: the transcript to an address (the one left, by default). */
  transcript?: { email: string; send(email: string): Promise<string | null> }
}

export function createCsatForm(current: { rating: number; comment?: string } | null, actions: CsatActions): HTMLElement {
  const box = h('div', { role: 'group', 'aria-label': 'Conversation resolved' })
  const status = h('p', { role: 'status', class: '' })
  let rating = current?.rating ?? 0
  const stars = h('div', { class: 'stars' })
  const buttons: HTMLButtonElement[] = []
  const comment = h('textarea', { class: 'comment', rows: 2, placeholder: 'Anything to add? (optional)', 'aria-label': 'Comment (optional)', maxlength: 2000 })
  const sendComment = h('button', { type: 'button', class: 'btn ghost', text: 'Send comment' })
  const commentRow = h('div', { hidden: !current || !!current.comment }, comment, sendComment)
  const mark = () => buttons.forEach((b, i) => b.setAttribute('aria-pressed', String(i + 1 === rating)))
  for (let value = 1; value <= 5; value++) {
    const button = h('button', { type: 'button', text: String(value), 'aria-label': `Rate ${value} out of 5`, 'aria-pressed': 'false' })
    button.addEventListener('click', async () => {
      rating = value
      mark()
      const refused = await actions.rate(value)
      status.textContent = refused ?? 'Thanks for your rating!'
      if (!refused) commentRow.hidden = false
    })
    buttons.push(button)
    stars.append(button)
  }
  sendComment.addEventListener('click', async () => {
    if (!rating || !comment.value.trim()) return
    const refused = await actions.rate(rating, comment.value.trim())
    status.textContent = refused ?? 'Thanks, we got your comment.'
    if (!refused) commentRow.hidden = true
  })
  mark()
  if (current) status.textContent = 'Thanks for your rating!'
  box.append(h('p', { text: 'This conversation is resolved. How did we do?' }), stars, commentRow, status)
  const transcript = actions.transcript
  if (transcript) {
    const address = h('input', { type: 'email', value: transcript.email, placeholder: 'you@example.com', 'aria-label': 'Email for the transcript' })
    const said = h('p', { role: 'status' })
    const form = h('form', { class: 'transcript', novalidate: true }, address, h('button', { type: 'submit', class: 'btn ghost', text: 'Email me the transcript' }))
    form.addEventListener('submit', async (event) => {
      event.preventDefault()
      const refused = await transcript.send(address.value.trim())
      said.textContent = refused ?? `On its way to ${address.value.trim()}.`
    })
    box.append(form, said)
  }
  box.append(h('button', { type: 'button', class: 'btn', text: 'Start a new conversation', onclick: () => actions.startNew() }))
  return box
}
