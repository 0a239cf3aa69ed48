/**
 * The widget's DOM: a launcher button and a chat panel (a modal dialog with a focus trap), in a
 * shadow root attached to a host element of its own. Only structure and wiring of keys here.
 */
import type { Translate } from '../protocol/i18n.ts'
import type { WidgetConfig } from '../protocol/wire.ts'
import { DEFAULT_WIDGET_TITLE } from '../protocol/widget-defaults.ts'
import type { WidgetKey } from './strings.ts'
import { ICONS, focusables, h, icon } from './dom.ts'
import { CSS, HOST_STYLE } from './styles.ts'

export interface PanelView {
  host: HTMLElement
  launcher: HTMLButtonElement
  badge: HTMLElement
  panel: HTMLElement
  notice: HTMLElement
  log: HTMLElement
  typing: HTMLElement
  form: HTMLElement
  end: HTMLElement
  compose: HTMLFormElement
  input: HTMLTextAreaElement
  attach: HTMLButtonElement
  file: HTMLInputElement
  sendButton: HTMLButtonElement
  isOpen(): boolean
  open(): void
  close(): void
}

/** The widget's title: the team's own, or the default one in the visitor's language. */
export const widgetTitle = (config: WidgetConfig, t: Translate<WidgetKey>): string => (config.title === DEFAULT_WIDGET_TITLE ? t('title') : config.title)

export function createPanelView(config: WidgetConfig, t: Translate<WidgetKey>, locale: string, handlers: { opened(): void; closed(): void }): PanelView {
  const host = h('parley-widget' as 'div', { style: HOST_STYLE, lang: locale })
  const title = widgetTitle(config, t)
  const shadow = host.attachShadow({ mode: 'open' })
  const style = h('style')
  style.textContent = CSS
  const root = h('div', { class: `root ${config.position === 'left' ? 'left' : 'right'}`, style: `--c:${config.primaryColor}` })

  const badge = h('span', { class: 'badge', hidden: true, 'aria-hidden': 'true' })
  const launcher = h('button', { class: 'launcher', type: 'button', 'aria-label': t('openChat', { title, unread: 0 }), 'aria-expanded': 'false', 'aria-haspopup': 'dialog' }, icon(ICONS.chat), badge)

  const titleId = 'parley-title'
  const closeButton = h('button', { type: 'button', 'aria-label': t('closeChat') }, icon(ICONS.close))
  const avatar = config.avatarUrl ? h('img', { src: config.avatarUrl, alt: '' }) : null
  const head = h('div', { class: 'head' }, avatar,
    h('div', { class: 'titles' }, h('h2', { id: titleId, text: title }), config.businessName ? h('p', { text: config.businessName }) : null),
    closeButton)
  const notice = h('div', { class: 'notice', hidden: true, role: 'status' })
  const log = h('div', { class: 'log', role: 'log', 'aria-live': 'polite', 'aria-label': t('messages'), tabindex: '0' })
  const typing = h('div', { class: 'typing', 'aria-live': 'polite' })
  const form = h('div', { class: 'form', hidden: true })
  const end = h('div', { class: 'end', hidden: true })
  const input = h('textarea', { rows: 1, placeholder: t('placeholder'), 'aria-label': t('message'), maxlength: 10000 })
  const file = h('input', { type: 'file', hidden: true, tabindex: '-1', 'aria-hidden': 'true' })
  const attach = h('button', { type: 'button', class: 'iconbtn', 'aria-label': t('attach') }, icon(ICONS.attach))
  const sendButton = h('button', { type: 'submit', class: 'iconbtn primary', 'aria-label': t('send') }, icon(ICONS.send))
  const compose = h('form', { class: 'compose' }, attach, file, input, sendButton)
  const panel = h('div', { class: 'panel', role: 'dialog', 'aria-modal': 'true', 'aria-labelledby': titleId, hidden: true }, head, notice, log, typing, form, end, compose)

  root.append(launcher, panel)
  shadow.append(style, root)

  const view: PanelView = {
    host, launcher, badge, panel, notice, log, typing, form, end, compose, input, attach, file, sendButton,
    isOpen: () => !panel.hidden,
    open() {
      if (!panel.hidden) return
      panel.hidden = false
      launcher.setAttribute('aria-expanded', 'true')
      log.scrollTop = log.scrollHeight
      // On a phone the panel covers the page; the launcher hides behind it.
      const first = !form.hidden ? focusables(form)[0] : input
      ;(first ?? closeButton).focus()
      handlers.opened()
    },
    close() {
      if (panel.hidden) return
      panel.hidden = true
      launcher.setAttribute('aria-expanded', 'false')
      launcher.focus()
      handlers.closed()
    },
  }
  // The log keeps its newest message in view when a notice above it (or the typing line, a form)
  // appears or changes and the log shrinks: scrollTop alone would leave it cut off (issue 17).
  let pinned = true
  log.addEventListener('scroll', () => { pinned = log.scrollHeight - log.scrollTop - log.clientHeight < 40 })
  if (typeof ResizeObserver !== 'undefined') new ResizeObserver(() => { if (pinned) log.scrollTop = log.scrollHeight }).observe(log)
  launcher.addEventListener('click', () => (view.isOpen() ? view.close() : view.open()))
  closeButton.addEventListener('click', () => view.close())
  attach.addEventListener('click', () => file.click())
  // Enter sends, Shift+Enter is a new line.
  input.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) { event.preventDefault(); compose.requestSubmit() }
  })
  // The focus trap: Tab and Shift+Tab cycle inside the open panel; Escape closes it.
  panel.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') { event.preventDefault(); view.close(); return }
    if (event.key !== 'Tab') return
    const items = focusables(panel)
    if (items.length === 0) return
    const active = shadow.activeElement
    const index = items.indexOf(active as HTMLElement)
    const next = event.shiftKey ? (index <= 0 ? items.length - 1 : index - 1) : (index === items.length - 1 ? 0 : index + 1)
    event.preventDefault()
    items[next]!.focus()
  })
  return view
}
