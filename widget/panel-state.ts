/**
 * Decides what the open panel shows from the widget's state: the pre-chat form, the messages,
 * a notice (offline, queue place, nobody available → leave an email), who is typing, and the
 * end-of-conversation rating. Pure DOM updates; no I/O.
 */
import { createCsatForm } from './csat-form.ts'
import { createLeaveMessageForm } from './leave-message-form.ts'
import type { ParleyWidget } from './parley-widget.ts'
import { createPrechatForm } from './prechat-form.ts'

const shown = new WeakMap<HTMLElement, string>()

/** Replaces `slot`'s content only when `key` changed, so forms keep their focus and typed text. */
function fill(slot: HTMLElement, key: string, build: () => Node | null): void {
  if (shown.get(slot) === key) return
  shown.set(slot, key)
  const node = key === '' ? null : build()
  slot.replaceChildren(...(node ? [node] : []))
  slot.hidden = key === ''
}

export function renderPanel(widget: ParleyWidget, unread: number): void {
  const { view, config, session, live } = widget
  view.badge.hidden = unread === 0
  view.badge.textContent = String(unread)
  view.launcher.setAttribute('aria-label', `Open chat: ${config.title}${unread ? ` (${unread} new)` : ''}`)

  const prechat = config.prechat.enabled && config.prechat.fields.length > 0 && !session.prechatDone && !session.conversationId && !session.userId
  fill(view.form, prechat ? 'prechat' : '', () => createPrechatForm(config.prechat.fields, config.welcomeMessage || 'Tell us a little about you first.', (values) => widget.submitPrechat(values)))
  view.log.hidden = prechat
  view.compose.hidden = prechat
  view.typing.hidden = prechat

  // The bot's greeting, when there is one, is the welcome: never two greetings in a row.
  const welcome = config.welcomeMessage && !prechat && !widget.items().some((item) => item.role === 'bot')
    ? [{ id: 'welcome', role: 'bot' as const, name: config.businessName || config.title, text: config.welcomeMessage, attachments: [], createdAt: live?.meta().createdAt ?? Date.now() }]
    : []
  widget.list.render([...welcome, ...widget.items()])

  const typers = live?.typers() ?? []
  view.typing.textContent = typers.length ? `${typers.join(' and ')} ${typers.length > 1 ? 'are' : 'is'} typing…` : ''

  renderNotice(widget)

  const meta = live?.synced ? live.meta() : null
  const resolved = meta?.status === 'resolved'
  fill(view.end, resolved ? `csat:${JSON.stringify(meta?.csat ?? null)}` : '', () =>
    createCsatForm(meta?.csat ?? null, { rate: (r, c) => widget.rate(r, c), startNew: () => widget.startNew() }))
}

/** "Monday 9:00 AM", in the visitor's own language and time zone. */
const formatOpening = (at: number) => new Intl.DateTimeFormat(undefined, { weekday: 'long', hour: 'numeric', minute: '2-digit' }).format(at)

/**
 * One notice, consistent with who can really answer (issue 17): outside business hours it says
 * when the team is back and promises no queue; with nobody online it asks for an email without
 * denying the visitor's place in the queue; otherwise it gives that place.
 */
function renderNotice(widget: ParleyWidget): void {
  const { view, live, availability, session } = widget
  const meta = live?.synced ? live.meta() : null
  const status = meta?.status
  const closed = availability ? !availability.withinBusinessHours : false
  const back = availability?.nextOpenAt ? `We're back ${formatOpening(availability.nextOpenAt)}.` : 'We are closed right now.'
  const agentsOnline = !closed && (live?.status?.agentsOnline ?? availability?.agentsOnline ?? true)
  const place = status === 'waiting' && live?.status?.status === 'waiting' ? live.status.queuePosition : null
  const offline = !navigator.onLine || (live !== null && !live.isOpen && live.synced)
  let key = ''
  let kind = 'info'
  let build: () => Node | null = () => null
  const text = (value: string) => { key = `text:${value}`; build = () => document.createTextNode(value) }
  const leave = (lead: string) => {
    key = `leave:${lead}:${session.emailLeft ?? ''}`
    kind = ''
    build = () => createLeaveMessageForm(lead, session.emailLeft, (email) => widget.leaveEmail(email))
  }
  if (widget.flash) {
    text(widget.flash)
    kind = ''
  } else if (offline) {
    kind = 'offline'
    text('You are offline. Your messages are kept and will be sent when the connection returns.')
  } else if (status === 'waiting' && closed) {
    leave(back)
  } else if (status === 'waiting' && !agentsOnline) {
    leave(place ? `Nobody from the team is online right now; you keep your place (number ${place} in the queue).` : 'Nobody from the team is online right now.')
  } else if (status === 'waiting') {
    const usually = availability?.typicalWaitMinutes ? ` A person usually answers in ${availability.typicalWaitMinutes} min.` : ''
    text((place
      ? `You are being connected to a person. You are number ${place} in the queue.`
      : 'You are being connected to a person; someone will be with you shortly.') + usually)
  } else if (closed && (!live || status === 'bot')) {
    kind = ''
    text(`${back} ${availability?.botEnabled ? 'Our assistant can help you meanwhile.' : 'Write your message and we will ask for your email so we can reply.'}`)
  } else if (!live && availability && !agentsOnline && !availability.botEnabled) {
    kind = ''
    text('Nobody is online right now. Write your message and we will ask for your email so we can reply.')
  } else if (!live && availability && agentsOnline && availability.typicalWaitMinutes) {
    kind = ''
    text(`A person usually answers in ${availability.typicalWaitMinutes} min.`)
  }
  if (shown.get(view.notice) !== key) view.notice.className = `notice ${kind}`
  fill(view.notice, key, build)
}
