/**
 * The widget's controller: session (resumed across reloads, optionally verified), the current
 * conversation (created on the first message), the outbox, and what the panel shows.
 */
import { createId } from '../protocol/ids.ts'
import type { Message } from '../protocol/conversation.ts'
import type { WidgetAvailability, WidgetConfig } from '../protocol/wire.ts'
import type { EmailCapability } from '../protocol/accounts.ts'
import { ApiClient, ApiError } from './api-client.ts'
import { LiveConversation } from './live-conversation.ts'
import { LocalStore } from './local-store.ts'
import { MessageList, formatSize, type MessageItem } from './message-list.ts'
import { Outbox, type OutboxEntry, type PendingFile } from './outbox.ts'
import { createFileStore, type FileStore } from './file-store.ts'
import { createPanelView, type PanelView } from './panel-view.ts'
import { renderPanel } from './panel-state.ts'
import { emptySession, readSession, writeSession, type SessionState } from './session-state.ts'
import { pickWidgetLocale, widgetTranslator, type WidgetKey } from './strings.ts'
import { regionalLocale, type Translate, type UiLocale } from '../protocol/i18n.ts'

/** `Parley.identify(…)`: a verified user, with custom attributes the workspace defines (issue 13). */
export interface Identity { userId: string; userHash: string; name?: string; email?: string; attributes?: Record<string, string | number | boolean | null> }
export type WidgetEvent = 'message' | 'open' | 'close'

export class ParleyWidget {
  readonly api: ApiClient
  readonly store: LocalStore
  readonly outbox: Outbox
  /** Attached files waiting for their upload (offline, server down), kept across reloads. */
  readonly files: FileStore
  session: SessionState
  config!: WidgetConfig & EmailCapability
  view!: PanelView
  list!: MessageList
  live: LiveConversation | null = null
  availability: WidgetAvailability | null = null
  /** A problem to show in the panel (identity refused, an upload too big…), until the next one. */
  flash: string | null = null
  /** The visitor's language (data-locale, the widget's setting, the browser) and its strings. */
  locale: UiLocale = 'en'
  /** The tag dates and numbers are written in: the browser's regional variant of `locale` (en-GB, de-AT). */
  formatLocale = 'en'
  t: Translate<WidgetKey> = widgetTranslator('en')
  private listeners = new Map<WidgetEvent, Set<(payload?: unknown) => void>>()
  private sessionRequest: Promise<string> | null = null
  private conversationRequest: Promise<string> | null = null
  private renderQueued = false
  private typingTimer: ReturnType<typeof setTimeout> | undefined
  private unread = 0
  private openWhenReady = false
  /** Delivered by this page, shown as sent until the synced document has them. */
  private recent = new Map<string, OutboxEntry>()

  constructor(readonly base: string, readonly siteKey: string, private identity: Identity | null, private readonly hostLocale?: string) {
    this.store = new LocalStore(`parley:${siteKey}:`)
    this.session = readSession(this.store)
    this.api = new ApiClient(base, () => this.session.token)
    this.outbox = new Outbox(this.store, (entry) => this.deliver(entry), () => this.render())
    this.files = createFileStore(`parley:${siteKey}`)
    this.outbox.discarded = (files) => { for (const f of files) void this.files.remove(f.key) }
  }

  async start(): Promise<void> {
    this.config = await this.api.config(this.siteKey)
    this.locale = pickWidgetLocale(this.config.language, this.hostLocale, navigator.languages ?? [navigator.language])
    this.t = widgetTranslator(this.locale)
    this.formatLocale = regionalLocale(this.locale, navigator.languages ?? [navigator.language])
    this.view = createPanelView(this.config, this.t, this.locale, {
      opened: () => { this.unread = 0; this.emit('open'); this.render() },
      closed: () => this.emit('close'),
    })
    this.list = new MessageList(this.view.log, this.t, this.formatLocale, {
      loadAttachment: (a) => this.api.attachmentUrl(this.live?.id ?? '', a.id),
      retry: (id) => void this.outbox.retry(id),
      discard: (id) => this.outbox.discard(id),
    })
    this.wireComposer()
    document.body.append(this.view.host)
    if (this.openWhenReady) this.view.open()
    addEventListener('online', () => { void this.outbox.flush(); void this.refreshAvailability(); this.render() })
    addEventListener('offline', () => this.render())
    this.render()
    void this.refreshAvailability()
    await this.resume().catch(() => { /* offline: the stored session is used, and the outbox waits */ })
    this.render()
    void this.outbox.flush()
  }

  // ---- public API (window.Parley) ----
  open(): void { if (this.view) this.view.open(); else this.openWhenReady = true }
  close(): void { this.view?.close() }
  on(event: WidgetEvent, listener: (payload?: unknown) => void): () => void {
    const set = this.listeners.get(event) ?? new Set()
    set.add(listener)
    this.listeners.set(event, set)
    return () => set.delete(listener)
  }
  async identify(identity: Identity): Promise<boolean> {
    this.identity = identity
    await this.sessionRequest?.catch(() => {})
    try { await this.resume(); return this.session.userId === identity.userId } finally { this.render() }
  }

  // ---- session and conversation ----
  /** Starts or resumes the visitor's session; picks the conversation to show. */
  private async resume(): Promise<string> {
    if (this.sessionRequest) return this.sessionRequest
    this.sessionRequest = (async () => {
      const identity = this.identity
      const body = { siteKey: this.siteKey, page: location.href.slice(0, 2048), ...(this.session.token ? { resumeToken: this.session.token } : {}) }
      let reply
      try {
        reply = await this.api.session(identity ? { ...body, ...identity } : body)
      } catch (error) {
        if (!(error instanceof ApiError) || !identity) throw error
        if (error.field?.startsWith('attributes.') && identity.attributes) {
          // A bad attribute is the host page's bug, not the visitor's: identify without them.
          console.warn(`Parley.identify: ${error.message}; identified without attributes`)
          const { attributes: _a, ...rest } = identity
          this.identity = rest
          reply = await this.api.session({ ...body, ...rest })
        } else {
          // A wrong hash is refused by the server: chat on anonymously and say so.
          this.identity = null
          this.flash = this.t('identityRefused')
          reply = await this.api.session(body)
        }
      }
      if (reply.contact.id !== this.session.contactId && reply.token === this.session.token) {
        // The same session, now on another record (identified and merged, or merged by an agent):
        // the same person, so the conversation on screen and the rest of the state stay.
        this.session = { ...this.session, contactId: reply.contact.id, userId: identity && reply.contact.verified ? identity.userId : this.session.userId }
      } else if (reply.contact.id !== this.session.contactId) {
        const next = emptySession()
        this.session = { ...next, token: reply.token, contactId: reply.contact.id, userId: identity && reply.contact.verified ? identity.userId : null }
      } else this.session = { ...this.session, token: reply.token, ...(identity && reply.contact.verified ? { userId: identity.userId } : {}) }
      writeSession(this.store, this.session)
      if (!this.session.conversationId) {
        const { items } = await this.api.conversations()
        const pick = items.find((c) => c.status !== 'resolved') ?? (this.session.fresh ? undefined : items[0])
        if (pick) this.setConversation(pick.id)
      } else if (this.live?.id !== this.session.conversationId) this.setConversation(this.session.conversationId)
      return reply.token
    })().finally(() => { this.sessionRequest = null })
    return this.sessionRequest
  }

  private async token(): Promise<string> {
    return this.session.token ?? this.resume()
  }

  private async conversation(): Promise<string> {
    if (this.session.conversationId) return this.session.conversationId
    await this.token()
    if (this.session.conversationId) return this.session.conversationId
    this.conversationRequest ??= this.api.createConversation(location.href, this.siteKey, this.locale).then(({ id }) => {
      this.setConversation(id)
      return id
    }).finally(() => { this.conversationRequest = null })
    return this.conversationRequest
  }

  /** A conversation merged into another is only a pointer (issue 13): the widget moves to the survivor, which holds the whole thread. */
  private followMerge(): void {
    const into = this.live?.meta().mergedInto
    if (into && into !== this.live?.id) queueMicrotask(() => { if (this.live?.meta().mergedInto === into) this.setConversation(into) })
  }

  setConversation(id: string | null): void {
    this.live?.destroy()
    this.live = null
    this.list?.clear()
    this.session = { ...this.session, conversationId: id, ...(id ? { fresh: false } : {}) }
    writeSession(this.store, this.session)
    if (id && this.session.token) {
      this.live = new LiveConversation(id, this.base.replace(/^http/, 'ws') + '/sync', this.session.token, {
        changed: () => { this.followMerge(); this.render() },
        message: (message) => this.onMessage(message),
        connection: (open) => { if (open) void this.outbox.flush(); this.render() },
        refused: (reason) => { this.flash = this.t('notAvailable', { reason }); this.render() },
      })
    }
    this.render()
  }

  startNew(): void {
    this.session = { ...this.session, fresh: true, emailLeft: null }
    this.setConversation(null)
    this.view.input.focus()
  }

  // ---- sending ----
  async send(text: string, attachments: OutboxEntry['attachments'] = [], files: PendingFile[] = []): Promise<void> {
    if (!text.trim() && attachments.length === 0 && files.length === 0) return
    await this.outbox.add({ id: createId('m'), text, attachments, createdAt: Date.now(), conversationId: this.session.conversationId, ...(files.length ? { files } : {}) })
  }

  /**
   * Sends one outbox entry: its files first (each upload recorded on the entry, so a retry after
   * a failure or a reload uploads only what is left), then the message with all of them.
   */
  private async deliver(entry: OutboxEntry): Promise<void> {
    await this.token()
    const conversationId = entry.conversationId ?? (await this.conversation())
    let attachments = entry.attachments
    let waiting = entry.files ?? []
    while (waiting.length > 0) {
      const pending = waiting[0]!
      const bytes = await this.files.get(pending.key)
      // Bytes gone (storage cleared, or memory only and the page reloaded): the visitor is told, not left waiting.
      if (!bytes) throw new ApiError(410, 'gone', this.t('fileGone', { name: pending.name }))
      const uploaded = await this.api.upload(conversationId, new File([bytes], pending.name, { type: pending.type }))
      attachments = [...attachments, uploaded]
      waiting = waiting.slice(1)
      this.outbox.update(entry.id, { attachments, files: waiting })
      void this.files.remove(pending.key)
    }
    await this.api.send(conversationId, { id: entry.id, text: entry.text, attachments })
    this.recent.set(entry.id, { ...entry, attachments, files: [], conversationId })
  }

  /**
   * A file the visitor attached goes through the outbox like a message (issue 17): kept on this
   * device, uploaded and sent when there is a connection (at once when there is one), exactly once.
   */
  private async upload(file: File): Promise<void> {
    if (file.size > this.config.maxAttachmentBytes) {
      this.flash = this.t('tooBig', { name: file.name, limit: formatSize(this.config.maxAttachmentBytes, this.formatLocale) })
      return this.render()
    }
    this.flash = null
    const key = await this.files.put(file)
    await this.send('', [], [{ key, name: file.name || 'file', type: file.type || 'application/octet-stream', size: file.size }])
  }

  async submitPrechat(values: Record<string, string>): Promise<string | null> {
    try {
      await this.token()
      await this.api.prechat(this.siteKey, values)
      this.session = { ...this.session, prechatDone: true }
      writeSession(this.store, this.session)
      this.render()
      this.view.input.focus()
      return null
    } catch (error) {
      return error instanceof ApiError ? error.message : this.t('offlineRetry')
    }
  }

  async leaveEmail(email: string): Promise<string | null> {
    try {
      await this.api.leaveEmail(await this.conversation(), email)
      this.session = { ...this.session, emailLeft: email }
      writeSession(this.store, this.session)
      this.render()
      return null
    } catch (error) {
      return error instanceof ApiError ? error.message : this.t('offlineRetry')
    }
  }

  async emailTranscript(email: string): Promise<string | null> {
    if (!this.live) return 'No conversation to send.'
    try { await this.api.transcript(this.live.id, email); return null } catch (error) {
      return error instanceof ApiError ? error.message : 'You seem to be offline; please try again.'
    }
  }

  async rate(rating: number, comment?: string): Promise<string | null> {
    if (!this.live) return this.t('nothingToRate')
    try { await this.api.rate(this.live.id, rating, comment); return null } catch (error) {
      return error instanceof ApiError ? error.message : this.t('offlineRetry')
    }
  }

  private openingTimer: ReturnType<typeof setTimeout> | undefined
  private async refreshAvailability(): Promise<void> {
    try { this.availability = await this.api.availability(this.siteKey); this.render() } catch { /* keep the last answer */ }
    // Closed until a known time: ask again then, so "We're back…" goes when the team is back.
    clearTimeout(this.openingTimer)
    const at = this.availability?.nextOpenAt
    if (at) this.openingTimer = setTimeout(() => void this.refreshAvailability(), Math.min(Math.max(at - Date.now(), 0) + 1000, 2 ** 31 - 1))
  }

  private wireComposer(): void {
    const { compose, input, file } = this.view
    compose.addEventListener('submit', (event) => {
      event.preventDefault()
      const text = input.value
      if (!text.trim()) return
      input.value = ''
      this.stopTyping()
      void this.send(text)
    })
    input.addEventListener('input', () => {
      if (!this.typingTimer) this.live?.sendTyping(true)
      clearTimeout(this.typingTimer)
      this.typingTimer = setTimeout(() => this.stopTyping(), 3000)
    })
    file.addEventListener('change', () => {
      for (const f of [...(file.files ?? [])]) void this.upload(f)
      file.value = ''
    })
  }

  private stopTyping(): void {
    if (this.typingTimer) this.live?.sendTyping(false)
    clearTimeout(this.typingTimer)
    this.typingTimer = undefined
  }

  private onMessage(message: Message): void {
    if (message.author.role !== 'customer' && !this.view.isOpen()) this.unread++
    this.emit('message', message)
  }

  private emit(event: WidgetEvent, payload?: unknown): void {
    for (const listener of this.listeners.get(event) ?? []) {
      try { listener(payload) } catch (error) { console.error('Parley listener failed', error) }
    }
  }

  /** Coalesces many changes (a streaming reply) into one render per tick. */
  render(): void {
    if (this.renderQueued || !this.view) return
    this.renderQueued = true
    queueMicrotask(() => {
      this.renderQueued = false
      renderPanel(this, this.unread)
      if (this.view.isOpen() && document.visibilityState === 'visible') this.live?.sendSeen()
    })
  }

  /** Items for the list: the conversation plus the outbox entries the server does not have yet. */
  items(): MessageItem[] {
    const items = this.live?.items(this.t('assistant')) ?? []
    const online = navigator.onLine && (this.live ? this.live.isOpen : true)
    for (const entry of this.recent.values()) {
      if (this.live?.has(entry.id)) this.recent.delete(entry.id)
      else if (entry.conversationId === this.session.conversationId) {
        items.push({ id: entry.id, role: 'customer', name: this.t('you'), text: entry.text, attachments: entry.attachments, createdAt: entry.createdAt, state: 'sent' })
      }
    }
    for (const entry of this.outbox.entries()) {
      if (this.live?.has(entry.id) || this.recent.has(entry.id)) continue
      if (entry.conversationId && entry.conversationId !== this.session.conversationId) continue
      items.push({
        id: entry.id, role: 'customer', name: this.t('you'), text: entry.text, attachments: entry.attachments, createdAt: entry.createdAt, pendingFiles: entry.files ?? [],
        state: entry.failed ? 'failed' : online ? 'sending' : 'offline', ...(entry.failed ? { error: entry.failed } : {}),
      })
    }
    return items
  }
}
