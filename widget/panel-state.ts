/**
 * Decides what the open panel shows from the widget's state: the pre-chat form, the messages,
 * a notice (offline, queue place, nobody available → leave an email), who is typing, and the
 * end-of-conversation rating. Pure DOM updates; no I/O.
 */
import { createCsatForm } from './csat-form.ts'
import { createLeaveMessageForm } from './leave-message-form.ts'
import type { ParleyWidget } from './parley-widget.ts'
import { createPrechatForm } from './prechat-form.ts'
import { widgetTitle } from './panel-view.ts'
import { DEFAULT_WIDGET_WELCOME } from '../protocol/widget-defaults.ts'

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
  const { view, config, session, live, t } = widget
  view.badge.hidden = unread === 0
  view.badge.textContent = String(unread)
  view.launcher.setAttribute('aria-label', t('openChat', { title: widgetTitle(config, t), unread }))

  // The default welcome was never written by the team: it speaks the visitor's language.
  const welcomeText = config.welcomeMessage === DEFAULT_WIDGET_WELCOME ? t('welcome') : config.welcomeMessage
  const prechat = config.prechat.enabled && config.prechat.fields.length > 0 && !session.prechatDone && !session.conversationId && !session.userId
  fill(view.form, prechat ? 'prechat' : '', () => createPrechatForm(config.prechat.fields, welcomeText || t('prechatIntro'), t, (values) => widget.submitPrechat(values)))
  view.log.hidden = prechat
  view.compose.hidden = prechat
  view.typing.hidden = prechat

  // The bot's greeting, when there is one, is the welcome: never two greetings in a row.
  const welcome = welcomeText && !prechat && !widget.items().some((item) => item.role === 'bot')
    ? [{ id: 'welcome', role: 'bot' as const, name: config.businessName || widgetTitle(config, t), text: welcomeText, attachments: [], createdAt: live?.meta().createdAt ?? Date.now() }]
    : []
  widget.list.render([...welcome, ...widget.items()])

  const typers = live?.typers() ?? []
  view.typing.textContent = typers.length ? t('typing', { count: typers.length, names: new Intl.ListFormat(widget.formatLocale).format(typers) }) : ''

  renderNotice(widget)

  const meta = live?.synced ? live.meta() : null
  const resolved = meta?.status === 'resolved'
  fill(view.end, resolved ? `csat:${JSON.stringify(meta?.csat ?? null)}` : '', () =>
    createCsatForm(meta?.csat ?? null, t, {
      rate: (r, c) => widget.rate(r, c), startNew: () => widget.startNew(),
      ...(widget.config.email ? { transcript: { email: session.emailLeft ?? '', send: (email: string) => widget.emailTranscript(email) } } : {}),
    }))
}

/** "Monday 9:00 AM", "Montag, 09:00": in the visitor's language and own time zone. */
const formatOpening = (at: number, locale: string) => new Intl.DateTimeFormat(locale, { weekday: 'long', hour: 'numeric', minute: '2-digit' }).format(at)

/**
 * One notice, consistent with who can really answer (issue 17): outside business hours it says
 * when the team is back and promises no queue; with nobody online it asks for an email without
 * denying the visitor's place in the queue; otherwise it gives that place.
 */
function renderNotice(widget: ParleyWidget): void {
  const { view, live, availability, session, t } = widget
  const meta = live?.synced ? live.meta() : null
  const status = meta?.status
  const closed = availability ? !availability.withinBusinessHours : false
  const back = availability?.nextOpenAt ? t('backAt', { when: formatOpening(availability.nextOpenAt, widget.formatLocale) }) : t('closedNow')
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
    build = () => createLeaveMessageForm(lead, session.emailLeft, widget.config.email === true, t, (email) => widget.leaveEmail(email))
  }
  if (widget.flash) {
    text(widget.flash)
    kind = ''
  } else if (offline) {
    kind = 'offline'
    text(t('offline'))
  } else if (status === 'waiting' && closed) {
    leave(back)
  } else if (status === 'waiting' && !agentsOnline) {
    leave(place ? t('nobodyOnlinePlace', { place }) : t('nobodyOnline'))
  } else if (status === 'waiting') {
    text((place ? t('connectingPlace', { place }) : t('connecting')) + (availability?.typicalWaitMinutes ? ` ${t('usuallyAnswers', { minutes: availability.typicalWaitMinutes })}` : ''))
  } else if (closed && (!live || status === 'bot')) {
    kind = ''
    text(`${back} ${availability?.botEnabled ? t('assistantMeanwhile') : t(widget.config.email ? 'askEmailLater' : 'askEmailLaterChat')}`)
  } else if (!live && availability && !agentsOnline && !availability.botEnabled) {
    kind = ''
    text(`${t('nobodyAvailable')} ${t(widget.config.email ? 'askEmailLater' : 'askEmailLaterChat')}`)
  } else if (!live && availability && agentsOnline && availability.typicalWaitMinutes) {
    kind = ''
    text(t('usuallyAnswers', { minutes: availability.typicalWaitMinutes }))
  }
  if (shown.get(view.notice) !== key) view.notice.className = `notice ${kind}`
  fill(view.notice, key, build)
}
