/**
 * Renders the conversation as the visitor sees it: welcome line, messages (never internal
 * notes), a bot reply still streaming in, and the visitor's own messages still in the outbox
 * with their state. Keyed by message id, so a re-render touches only what changed.
 */
import type { Attachment, AuthorRole } from '../protocol/conversation.ts'
import type { Translate } from '../protocol/i18n.ts'
import { hasMarkdown, withoutOpenMarkers } from '../protocol/markdown-syntax.ts'
import { hasLink, splitLinks } from '../protocol/linkify.ts'
import { h } from './dom.ts'
import { markdownRenderer } from './markdown-loader.ts'
import type { WidgetKey } from './strings.ts'

export type DeliveryState = 'sending' | 'offline' | 'sent' | 'seen' | 'failed'

export interface MessageItem {
  id: string
  role: AuthorRole
  name: string
  text: string
  attachments: Attachment[]
  createdAt: number
  event?: boolean
  streaming?: boolean
  state?: DeliveryState
  error?: string
  /** Files attached on this device and not uploaded yet. */
  pendingFiles?: { name: string; size: number }[]
}

export interface MessageListActions {
  loadAttachment(attachment: Attachment): Promise<string>
  retry(id: string): void
  discard(id: string): void
}

const STATE_TEXT: Record<DeliveryState, WidgetKey> = { sending: 'sending', offline: 'waitingForConnection', sent: 'sent', seen: 'seen', failed: 'notSent' }
const IMAGE = /^image\/(png|jpeg|gif|webp)$/

export class MessageList {
  private rendered = new Map<string, { el: HTMLElement; key: string }>()
  private urls = new Map<string, Promise<string>>()

  private readonly time: Intl.DateTimeFormat

  constructor(private readonly log: HTMLElement, private readonly t: Translate<WidgetKey>, private readonly locale: string, private readonly actions: MessageListActions) {
    this.time = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit' })
  }

  render(items: MessageItem[]): void {
    const atBottom = this.log.scrollHeight - this.log.scrollTop - this.log.clientHeight < 40
    const seen = new Set<string>()
    let previous: Element | null = null
    for (const item of items) {
      seen.add(item.id)
      const key = JSON.stringify([item.text, item.state, item.error, item.streaming, item.attachments.length, item.pendingFiles?.length ?? 0, item.name])
      let entry = this.rendered.get(item.id)
      if (!entry || entry.key !== key) {
        const el = this.build(item)
        if (entry) entry.el.replaceWith(el)
        entry = { el, key }
        this.rendered.set(item.id, entry)
      }
      const expected: Element | null = previous ? previous.nextElementSibling : this.log.firstElementChild
      if (expected !== entry.el) previous ? previous.after(entry.el) : this.log.prepend(entry.el)
      previous = entry.el
    }
    for (const [id, entry] of this.rendered) if (!seen.has(id)) { entry.el.remove(); this.rendered.delete(id) }
    if (atBottom) this.log.scrollTop = this.log.scrollHeight
  }

  clear(): void {
    for (const entry of this.rendered.values()) entry.el.remove()
    this.rendered.clear()
  }

  private build(item: MessageItem): HTMLElement {
    const mine = item.role === 'customer'
    const bubble = h('div', { class: 'bubble' }, ...textWithLinks(item.text))
    if (item.attachments.length > 0) bubble.append(this.files(item.attachments))
    if (item.pendingFiles?.length) {
      bubble.append(h('div', { class: 'files' }, ...item.pendingFiles.map((f) => h('span', { class: 'pending-file', text: `${this.t('attachedOffline', { name: f.name })} (${formatSize(f.size, this.locale)})` }))))
    }
    // The team's and the bot's messages may carry Markdown: rendered (sanitised) once the renderer is here,
    // a reply still streaming in too (its raw ** and list dashes would show until it is final). The
    // first message from the other side (the greeting, say) starts loading it, so it is here before
    // an answer streams in.
    else if (!mine && !item.event && !hasMarkdown(item.text)) markdownRenderer().catch(() => {})
    else if (!mine && hasMarkdown(item.text)) {
      const text = item.streaming ? withoutOpenMarkers(item.text) : item.text
      markdownRenderer().then((render) => { bubble.innerHTML = render(text); bubble.classList.add('markdown') }, () => {})
    }
    const time = this.time.format(item.createdAt)
    const meta = h('div', { class: 'meta' })
    if (!mine && !item.event) meta.append(h('span', { text: item.name }))
    if (!item.event) meta.append(h('span', { text: time }))
    if (item.streaming) meta.append(h('span', { text: this.t('streaming') }))
    if (mine && item.state) {
      meta.append(h('span', { class: item.state === 'failed' ? 'failed' : '', text: this.t(STATE_TEXT[item.state]) + (item.error ? `: ${item.error}` : '') }))
      if (item.state === 'failed') {
        meta.append(h('button', { type: 'button', text: this.t('retry'), onclick: () => this.actions.retry(item.id) }))
        meta.append(h('button', { type: 'button', text: this.t('discard'), onclick: () => this.actions.discard(item.id) }))
      }
    }
    const label = item.event ? item.text : `${mine ? this.t('you') : item.name}, ${time}`
    return h('div', { class: `msg ${mine ? 'mine' : ''} ${item.event ? 'event' : ''} role-${item.role}`, 'data-id': item.id, 'data-state': item.state, 'aria-label': label, role: 'article' }, bubble, meta)
  }

  private files(attachments: Attachment[]): HTMLElement {
    const list = h('div', { class: 'files' })
    for (const attachment of attachments) {
      const url = () => {
        let promise = this.urls.get(attachment.id)
        if (!promise) { promise = this.actions.loadAttachment(attachment); promise.catch(() => this.urls.delete(attachment.id)); this.urls.set(attachment.id, promise) }
        return promise
      }
      if (IMAGE.test(attachment.contentType)) {
        const img = h('img', { alt: attachment.name })
        url().then((src) => { img.src = src }, () => { img.replaceWith(h('span', { text: this.t('fileUnavailable', { name: attachment.name }) })) })
        list.append(img)
      } else {
        list.append(h('button', {
          type: 'button', text: `${attachment.name} (${formatSize(attachment.size, this.locale)})`, 'aria-label': this.t('download', { name: attachment.name }),
          onclick: () => { void url().then((href) => { const a = h('a', { href, download: attachment.name }); a.click() }) },
        }))
      }
    }
    return list
  }
}

/** "820 B", "14 KB", "3,2 MB": the number in the visitor's language. */
/** A message's text as nodes: plain URLs as links that open a new tab, everything else as text. */
function textWithLinks(text: string): (string | HTMLElement)[] {
  if (!hasLink(text)) return [text]
  return splitLinks(text).map((part) => (part.href ? h('a', { href: part.href, target: '_blank', rel: 'noopener noreferrer', text: part.text }) : part.text))
}

export function formatSize(bytes: number, locale = 'en'): string {
  const n = (value: number, digits: number) => new Intl.NumberFormat(locale, { maximumFractionDigits: digits }).format(value)
  if (bytes < 1024) return `${n(bytes, 0)} B`
  if (bytes < 1024 * 1024) return `${n(Math.round(bytes / 1024), 0)} KB`
  return `${n(bytes / 1024 / 1024, 1)} MB`
}
