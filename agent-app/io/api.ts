/**
 * The HTTP API as the pages use it, past what the first screen needs (index.ts: the session, the
 * synced documents, and the few calls the inbox and the sidebar make). Only lazily loaded pages
 * and parts import this, so none of it is in the app's first load (bench/agent-app.ts); the
 * service worker precaches it with the rest, so it works offline as before.
 */
import type { AiSettings, AuditPage, EraseResult, KnowledgeImportInput, KnowledgeImportReport, MergeResult, ReportName, ReportReply } from '../../protocol/index.ts'
import { ERASE_CONFIRMATION } from '../../protocol/privacy.ts'
import type {
  Article, AttributeDefinition, AuthOptions, SignUpPending, SignUpPreview, InboxInfo, ContactDetail, ContactInfo, ContactPage, ConversationDetail, ConversationInfo, ConversationPage, EmailDeliveryInfo, EmailSettings,
  InvitationInfo, InvitationPreview, InviteAnswer, Items, MergeAnswer, MergePreview, NotificationSettings, SearchHit, SessionInfo, SignInAnswer, Transcript, Widget, WorkspaceInfo,
} from './api-types.ts'
import { readSeenContacts, rememberContacts } from './contact-cache.ts'
import { http, io } from './index.ts'
import type { ApiKeyInfo, CreatedApiKey, DeliveryDetail, DeliveryInfo, IntegrationAlert, WebhookInfo } from './integration-types.ts'
import { listLocalDocuments, readLocalDocument } from './local-data.ts'

const enc = encodeURIComponent
/** Every contact record fetched is kept on this device, so the Contacts page lists them offline. */
const remember = (contacts: ContactInfo[]): void => { const session = io.session(); if (session) rememberContacts(session.agent.id, contacts) }
const authorization = (): Record<string, string> => { const token = io.session()?.token; return token ? { authorization: `Bearer ${token}` } : {} }

export const api = {
  /** Workspaces, invitations, passwords, sessions and notification choices (server/accounts/). */
  account: {
    options: () => http.request<AuthOptions>('GET', '/api/auth/options'),
    signUp: (body: { email: string; name: string; password?: string; workspaceName: string }) => http.request<SignInAnswer | SignUpPending>('POST', '/api/auth/sign-up', body),
    signUpLink: (token: string) => http.request<SignUpPreview>('GET', `/api/auth/sign-up/verify?token=${enc(token)}`),
    completeSignUp: (token: string, password: string) => http.request<SignInAnswer>('POST', '/api/auth/sign-up/verify', { token, password }),
    invitation: (token: string) => http.request<InvitationPreview>('GET', `/api/auth/invitation?token=${enc(token)}`),
    acceptInvitation: (body: { token: string; name?: string; password?: string }) => http.request<SignInAnswer>('POST', '/api/auth/invitation/accept', body),
    requestReset: (email: string) => http.request<{ message: string }>('POST', '/api/auth/password-reset', { email }),
    completeReset: (token: string, password: string) => http.request('POST', '/api/auth/password-reset/complete', { token, password }),
    changePassword: (currentPassword: string, newPassword: string) => http.request('POST', '/api/auth/password', { currentPassword, newPassword }),
    sessions: () => http.request<Items<SessionInfo>>('GET', '/api/auth/sessions'),
    signOutOthers: () => http.request<{ ended: number }>('POST', '/api/auth/sessions/sign-out-others', {}),
    endSession: (id: string) => http.request('DELETE', `/api/auth/sessions/${enc(id)}`),
    notifications: () => http.request<NotificationSettings>('GET', '/api/me/notifications'),
    saveNotifications: (body: Partial<NotificationSettings>) => http.request<NotificationSettings>('PUT', '/api/me/notifications', body),
    workspaces: () => http.cachedGet<{ items: WorkspaceInfo[]; mayCreate: boolean }>('/api/workspaces'),
    createWorkspace: (name: string) => http.request<{ id: string; name: string }>('POST', '/api/workspaces', { name }),
  },
  invitations: {
    list: () => http.request<Items<InvitationInfo>>('GET', '/api/invitations'),
    create: (email: string, role: string) => http.request<InviteAnswer>('POST', '/api/invitations', { email, role }),
    resend: (id: string) => http.request<InviteAnswer>('POST', `/api/invitations/${enc(id)}/resend`, {}),
    revoke: (id: string) => http.request('DELETE', `/api/invitations/${enc(id)}`),
  },
  email: {
    settings: () => http.request<EmailSettings>('GET', '/api/settings/email'),
    makeInboundToken: () => http.request<{ token: string; url: string }>('POST', '/api/settings/email/inbound-token', {}),
    deliveries: (query = '') => http.request<Items<EmailDeliveryInfo>>('GET', `/api/email/deliveries${query}`),
    retry: (id: string) => http.request<EmailDeliveryInfo>('POST', `/api/email/deliveries/${enc(id)}/retry`, {}),
    reply: (conversationId: string, messageId: string) => http.request<EmailDeliveryInfo>('POST', `/api/conversations/${enc(conversationId)}/email-reply`, { messageId }),
  },
  conversations: {
    get: (id: string) => http.cachedGet<ConversationDetail>(`/api/conversations/${enc(id)}`),
    contact: (id: string) => http.cachedGet<ContactDetail>(`/api/contacts/${enc(id)}`),
    search: (q: string) => http.request<Items<SearchHit>>('GET', `/api/search?q=${enc(q)}`),
    /** Asks the bot for a suggested reply; it arrives in the conversation's AI draft. */
    suggest: (id: string) => http.request<{ queued: boolean }>('POST', `/api/conversations/${enc(id)}/suggest`, {}),
    /** A page of conversations from the tables (what has left the inbox's working set); cached for offline reading. */
    list: (filter: { status?: string; cursor?: string | null; limit?: number }) => {
      const query = new URLSearchParams({ ...(filter.status ? { status: filter.status } : {}), ...(filter.cursor ? { cursor: filter.cursor } : {}), limit: String(filter.limit ?? 50) })
      return http.cachedGet<ConversationPage>(`/api/conversations?${query}`)
    },
  },
  /** Merging conversations, and a contact's GDPR export and erase (issue 13). */
  privacy: {
    /** Merges conversation `id` into `into`, which survives. */
    merge: (id: string, into: string) => http.request<MergeResult>('POST', `/api/conversations/${enc(id)}/merge`, { into }),
    exportContact: (contactId: string) => http.download(`/api/contacts/${enc(contactId)}/export`),
    eraseContact: (contactId: string) => http.request<EraseResult>('POST', `/api/contacts/${enc(contactId)}/erase`, { confirm: ERASE_CONFIRMATION }),
    /** The workspace's retention policy: resolved conversations erased `days` after their last activity; null keeps them. */
    retention: () => http.request<{ days: number | null }>('GET', '/api/settings/retention'),
    saveRetention: (days: number | null) => http.request<{ days: number | null }>('PUT', '/api/settings/retention', { days }),
  },
  /** Contacts (issue 13). Every record fetched is kept on this device, so the list works offline for them. */
  contacts: {
    async list(query: string): Promise<ContactPage> {
      const page = await http.request<ContactPage>('GET', `/api/contacts?${query}`)
      remember(page.items)
      return page
    },
    /** The contacts this device has seen, for the list when offline. */
    seen: (): ContactInfo[] => { const session = io.session(); return session ? readSeenContacts(session.agent.id) : [] },
    async get(id: string): Promise<ContactDetail> {
      const contact = await http.cachedGet<ContactDetail>(`/api/contacts/${enc(id)}`)
      remember([contact])
      return contact
    },
    async update(id: string, body: Record<string, unknown>): Promise<ContactInfo> {
      const contact = await http.request<ContactInfo>('PATCH', `/api/contacts/${enc(id)}`, body)
      remember([contact])
      return contact
    },
    conversations: (id: string, cursor?: string) => http.request<{ items: ConversationInfo[]; nextCursor: string | null }>('GET', `/api/contacts/${enc(id)}/conversations${cursor ? `?cursor=${enc(cursor)}` : ''}`),
    attributes: () => http.cachedGet<Items<AttributeDefinition>>('/api/contact-attributes'),
    defineAttribute: (body: { key: string; label: string; type: string; options?: string[] }) => http.request<AttributeDefinition>('POST', '/api/contact-attributes', body),
    removeAttribute: (key: string) => http.request<{ deleted: true; removedFromContacts: number }>('DELETE', `/api/contact-attributes/${enc(key)}`),
    mergePreview: (id: string, sourceId: string) => http.request<MergePreview>('GET', `/api/contacts/${enc(id)}/merge-preview?sourceId=${enc(sourceId)}`),
    merge: (id: string, sourceId: string, resolution: Record<string, 'source' | 'target'>) => http.request<MergeAnswer>('POST', `/api/contacts/${enc(id)}/merge`, { sourceId, resolution }),
    /** An earlier conversation's messages, for the conversation view's history (kept for offline once read). */
    transcript: (conversationId: string) => http.cachedGet<Transcript>(`/api/conversations/${enc(conversationId)}/transcript`),
  },
  local: {
    documents: () => { const session = io.session(); return session ? listLocalDocuments(session.agent.id, session.workspace.id) : Promise.resolve([]) },
    read: (name: string) => { const session = io.session()!; return readLocalDocument(session.agent.id, session.workspace.id, name) },
  },
  widgets: {
    list: () => http.cachedGet<Items<Widget>>('/api/widgets'),
    create: (body: Partial<Widget> & { name: string }) => http.request<Widget>('POST', '/api/widgets', body),
    update: (id: string, body: Partial<Widget>) => http.request<Widget>('PATCH', `/api/widgets/${enc(id)}`, body),
  },
  articles: {
    list: () => http.request<Items<Article>>('GET', '/api/articles'),
    create: (body: { title: string; body: string; tags?: string[] }) => http.request<Article>('POST', '/api/articles', body),
    update: (id: string, body: { title?: string; body?: string; tags?: string[] }) => http.request<Article>('PATCH', `/api/articles/${enc(id)}`, body),
    remove: (id: string) => http.request('DELETE', `/api/articles/${enc(id)}`),
    /** All or nothing; a refused import throws an ApiError whose `body.report` says which files and why. */
    import: (files: KnowledgeImportInput['files']) => http.request<KnowledgeImportReport>('POST', '/api/knowledge-base/import', { files }),
  },
  audit: {
    list: (query: string) => http.request<AuditPage>('GET', `/api/audit${query ? `?${query}` : ''}`),
  },
  reports: {
    get: <N extends ReportName>(name: N, query: string) => http.request<ReportReply<N>>('GET', `/api/reports/${name}?${query}`),
    /** A report's table as the server's CSV (the same numbers as on screen), as a file to save. */
    async csv(name: ReportName, query: string, table: string): Promise<Blob> {
      const response = await fetch(`/api/reports/${name}?${query}&format=csv&table=${enc(table)}`, { headers: authorization() })
      if (!response.ok) throw new Error(`CSV export failed (HTTP ${response.status})`)
      return response.blob()
    },
  },
  /** Settings → Integrations: API keys, webhooks, their deliveries and alerts (owners and admins). */
  integrations: {
    keys: () => http.request<Items<ApiKeyInfo>>('GET', '/api/api-keys'),
    createKey: (body: { name: string; scope: string }) => http.request<CreatedApiKey>('POST', '/api/api-keys', body),
    revokeKey: (id: string) => http.request<ApiKeyInfo>('DELETE', `/api/api-keys/${enc(id)}`),
    webhooks: () => http.request<Items<WebhookInfo>>('GET', '/api/webhooks'),
    createWebhook: (body: { name: string; url: string; events: string[] }) => http.request<WebhookInfo>('POST', '/api/webhooks', body),
    updateWebhook: (id: string, body: { active?: boolean; url?: string; events?: string[]; name?: string }) => http.request<WebhookInfo>('PATCH', `/api/webhooks/${enc(id)}`, body),
    removeWebhook: (id: string) => http.request('DELETE', `/api/webhooks/${enc(id)}`),
    pingWebhook: (id: string) => http.request<DeliveryInfo>('POST', `/api/webhooks/${enc(id)}/ping`),
    rotateWebhookSecret: (id: string, keepPreviousHours = 24) => http.request<WebhookInfo>('POST', `/api/webhooks/${enc(id)}/rotate-secret`, { keepPreviousHours }),
    webhookSecret: (id: string) => http.request<WebhookInfo>('GET', `/api/webhooks/${enc(id)}`).then((w) => w.secret ?? ''),
    deliveries: (query: string) => http.request<Items<DeliveryInfo> & { nextBefore: number | null }>('GET', `/api/webhook-deliveries?${query}`),
    delivery: (id: string) => http.request<DeliveryDetail>('GET', `/api/webhook-deliveries/${enc(id)}`),
    redeliver: (id: string) => http.request<DeliveryInfo>('POST', `/api/webhook-deliveries/${enc(id)}/redeliver`),
    alerts: () => http.request<Items<IntegrationAlert>>('GET', '/api/integrations/alerts'),
  },
  inboxes: {
    list: () => http.cachedGet<Items<InboxInfo>>('/api/inboxes'),
    create: (body: Partial<Omit<InboxInfo, 'id' | 'createdAt'>> & { name: string }) => http.request<InboxInfo>('POST', '/api/inboxes', body),
    update: (id: string, body: Partial<Omit<InboxInfo, 'id' | 'createdAt'>>) => http.request<InboxInfo>('PATCH', `/api/inboxes/${enc(id)}`, body),
    remove: (id: string) => http.request('DELETE', `/api/inboxes/${enc(id)}`),
  },
  settings: {
    ai: () => http.request<AiSettings>('GET', '/api/settings/ai'),
    saveAi: (body: AiSettings) => http.request<AiSettings>('PUT', '/api/settings/ai', body),
  },
}
