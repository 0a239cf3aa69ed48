/** All HTTP the widget does, against the Parley server that served widget.js. */
import type { CustomerMessage, WidgetAvailability, WidgetConfig } from '../protocol/wire.ts'
import type { EmailCapability } from '../protocol/accounts.ts'
import type { Attachment, Message } from '../protocol/conversation.ts'

/** A refusal from the server (a 4xx/5xx with Parley's error body); a network failure stays a TypeError. */
export class ApiError extends Error {
  /** `retryAfterSeconds`: when a rate limit (429) says trying again will work. */
  constructor(readonly status: number, readonly code: string, message: string, readonly field?: string, readonly retryAfterSeconds?: number) { super(message) }
  /** Worth retrying later: the server is down or busy, not refusing this input. */
  get transient(): boolean { return this.status >= 500 || this.status === 429 || this.status === 408 }
}

export interface SessionReply { token: string; contact: { id: string; name: string | null; email: string | null; verified: boolean }; widget: WidgetConfig }
export interface ConversationSummary { id: string; status: string; preview: string; lastActivityAt: number; createdAt: number }

export class ApiClient {
  constructor(readonly base: string, private readonly token: () => string | null) {}

  private async call<T>(method: string, path: string, body?: unknown, raw?: { data: Blob; type: string }): Promise<T> {
    const headers: Record<string, string> = {}
    const token = this.token()
    if (token) headers.authorization = `Bearer ${token}`
    if (body !== undefined) headers['content-type'] = 'application/json'
    if (raw) headers['content-type'] = raw.type || 'application/octet-stream'
    const response = await fetch(this.base + path, { method, headers, body: raw ? raw.data : body === undefined ? null : JSON.stringify(body) })
    const parsed = await response.json().catch(() => null) as { error?: { code: string; message: string; field?: string; retryAfterSeconds?: number } } | null
    if (!response.ok) throw new ApiError(response.status, parsed?.error?.code ?? 'internal', parsed?.error?.message ?? `HTTP ${response.status}`, parsed?.error?.field, parsed?.error?.retryAfterSeconds)
    return parsed as T
  }

  /** The widget's look and behaviour, and whether this server can send email at all. */
  config = (siteKey: string) => this.call<WidgetConfig & EmailCapability>('GET', `/api/public/widgets/${siteKey}`)
  availability = (siteKey: string) => this.call<WidgetAvailability>('GET', `/api/public/widgets/${siteKey}/availability`)
  session = (body: { siteKey: string; resumeToken?: string; userId?: string; userHash?: string; name?: string; email?: string; page?: string; attributes?: Record<string, string | number | boolean | null> }) =>
    this.call<SessionReply>('POST', '/api/widget/session', body)
  prechat = (siteKey: string, values: Record<string, string>) => this.call<unknown>('POST', '/api/widget/prechat', { siteKey, values })
  conversations = () => this.call<{ items: ConversationSummary[] }>('GET', '/api/widget/conversations')
  createConversation = (page: string, siteKey: string, language: string) => this.call<{ id: string }>('POST', '/api/widget/conversations', { page: page.slice(0, 2048), siteKey, language })
  send = (conversationId: string, message: CustomerMessage) =>
    this.call<{ message: Message; duplicate: boolean }>('POST', `/api/widget/conversations/${conversationId}/messages`, message)
  rate = (conversationId: string, rating: number, comment?: string) =>
    this.call<unknown>('POST', `/api/widget/conversations/${conversationId}/csat`, comment ? { rating, comment } : { rating })
  /** The conversation's transcript by email (only offered when the server sends email). */
  transcript = (conversationId: string, email: string) => this.call<{ to: string }>('POST', `/api/widget/conversations/${conversationId}/transcript`, email ? { email } : {})
  leaveEmail = (conversationId: string, email: string) => this.call<unknown>('POST', `/api/widget/conversations/${conversationId}/contact`, { email })
  upload = (conversationId: string, file: File) =>
    this.call<Attachment>('POST', `/api/widget/conversations/${conversationId}/attachments?name=${encodeURIComponent(file.name || 'file')}`, undefined, { data: file, type: file.type })

  /** An attachment's bytes as an object URL (attachments need the bearer token, so no plain <img src>). */
  async attachmentUrl(conversationId: string, attachmentId: string): Promise<string> {
    const token = this.token()
    const response = await fetch(`${this.base}/api/widget/conversations/${conversationId}/attachments/${encodeURIComponent(attachmentId)}`, { headers: token ? { authorization: `Bearer ${token}` } : {} })
    if (!response.ok) throw new ApiError(response.status, 'not-found', 'attachment unavailable')
    return URL.createObjectURL(await response.blob())
  }
}
