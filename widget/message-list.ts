/**
 * Renders the conversation as the visitor sees it: welcome line, messages (never internal
 * notes), a bot reply still streaming in, and the visitor's own messages still in the outbox
 * with their state. Keyed by message id, so a re-render touches only what changed.
 */
import type { Attachment, AuthorRole } from '../protocol/conversation.ts'
import { hasMarkdown } from '../protocol/markdown-syntax.ts'
import { h } from './dom.ts'
import { markdownRenderer } from './markdown-loader.ts'

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
}

export interface MessageListActions {
  loadAttachment(attachment: Attachment): Promise<string>
  retry(id: string): void
  discard(id: string): void
}

const STATE_TEXT: Record<DeliveryState, string> = { sending: 'Sending…', offline: 'Waiting for connection…', sent: 'Sent', seen: 'Seen', failed: 'Not sent' }
const IMAGE = /^image\/(png|jpeg|gif|webp)$/

export class MessageList {
  private rendered = new Map<string, { el: HTMLElement; key: string }>()
  private urls = new Map<string, Promise<string>>()

  constructor(private readonly log: HTMLElement, private readonly actions: MessageListActions) {}

  render(items: MessageItem[]): void {
    const atBottom = this.log.scrollHeight - this.log.scrollTop - this.log.clientHeight < 40
    const seen = new Set<string>()
    let previous: Element | null = null
    for (const item of items) {
      seen.add(item.id)
      const key = JSON.stringify([item.text, item.state, item.error, item.streaming, item.attachments.length, item.name])
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
    const bubble = h('div', { class: 'bubble', text: item.text })
    if (item.attachments.length > 0) bubble.append(this.files(item.attachments))
    // The team's and the bot's messages may carry Markdown: rendered (sanitised) once the renderer is here,
    // a reply still streaming in too (its raw ** and list dashes would show until it is final). The
    // first message from the other side (the greeting, say) starts loading it, so it is here before
    // an answer streams in.
    else if (!mine && !item.event && !hasMarkdown(item.text)) markdownRenderer().catch(() => {})
    else if (!mine && hasMarkdown(item.text)) {
      markdownRenderer().then((render) => { bubble.innerHTML = render(item.text); bubble.classList.add('markdown') }, () => {})
    }
    const time = new Date(item.createdAt).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })
    const meta = h('div', { class: 'meta' })
    if (!mine && !item.event) meta.append(h('span', { text: item.name }))
    if (!item.event) meta.append(h('span', { text: time }))
    if (item.streaming) meta.append(h('span', { text: 'typing…' }))
    if (mine && item.state) {
      meta.append(h('span', { class: item.state === 'failed' ? 'failed' : '', text: STATE_TEXT[item.state] + (item.error ? `: ${item.error}` : '') }))
      if (item.state === 'failed') {
        meta.append(h('button', { type: 'button', text: 'Retry', onclick: () => this.actions.retry(item.id) }))
        meta.append(h('button', { type: 'button', text: 'Discard', onclick: () => this.actions.discard(item.id) }))
      }
    }
    const label = item.event ? item.text : `${mine ? 'You' : item.name}, ${time}`
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
        url().then((src) => { img.src = src }, () => { img.replaceWith(h('span', { text: `${attachment.name} (unavailable)` })) })
        list.append(img)
      } else {
        list.append(h('button', {
          type: 'button', text: `${attachment.name} (${formatSize(attachment.size)})`, 'aria-label': `Download ${attachment.name}`,
          onclick: () => { void url().then((href) => { const a = h('a', { href, download: attachment.name }); a.click() }) },
        }))
      }
    }
    return list
  }
}

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`
}
