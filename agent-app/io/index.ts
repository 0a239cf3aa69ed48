/**
 * All I/O of the app goes through here: the HTTP API, synced documents and what this device
 * keeps. Stores and pages never call fetch, IndexedDB or WebSocket themselves.
 */
import type { AiSettings, Attachment, Availability, ReportName, ReportReply, RoutingSettings, TakeReply } from '../../protocol/index.ts'
import type {
  AgentInfo, Article, AvailabilityAnswer, CannedResponse, InboxInfo, TeamInfo, ContactDetail, ConversationDetail, Items, MeAnswer, SearchHit, SignInAnswer, Widget,
} from './api-types.ts'
import { createHttp } from './http.ts'
import { accountPrefix, listLocalDocuments, readLocalDocument, readSession, wipeAccount, writeSession, type StoredSession } from './local-data.ts'
import { SyncHub } from './sync.ts'
import { FileOutbox } from './file-outbox.ts'

export { ApiError } from './http.ts'
export type { DocHandle, SocketState } from './sync.ts'
export type { StoredSession } from './local-data.ts'
export * from './api-types.ts'

let session: StoredSession | null = readSession()
let hub: SyncHub | null = null
let fileOutbox: FileOutbox | null = null
const unauthenticatedListeners = new Set<() => void>()

const http = createHttp(() => session?.token ?? null, () => session?.agent.id ?? null, () => { for (const l of unauthenticatedListeners) l() })
const enc = encodeURIComponent

export const io = {
  session: () => session,
  onUnauthenticated(listener: () => void): () => void {
    unauthenticatedListeners.add(listener)
    return () => unauthenticatedListeners.delete(listener)
  },
  saveSession(next: StoredSession): void {
    session = next
    writeSession(next)
  },

  /** The synced documents of the signed-in account (one socket, one IndexedDB copy per document). */
  hub(): SyncHub {
    if (!session) throw new Error('not signed in')
    if (!hub) hub = new SyncHub(`${location.origin.replace(/^http/, 'ws')}/sync`, () => session?.token ?? '', accountPrefix(session.agent.id))
    return hub
  },

  /** Replies with files written offline, kept on this device until they are sent. */
  fileOutbox(): FileOutbox {
    if (!session) throw new Error('not signed in')
    fileOutbox ??= new FileOutbox(`${accountPrefix(session.agent.id)}outbox:files`)
    return fileOutbox
  },

  auth: {
    signIn: (email: string, password: string) => http.request<SignInAnswer>('POST', '/api/auth/sign-in', { email, password }),
    me: () => http.request<MeAnswer>('GET', '/api/auth/me'),
    /** Revokes the token (when online) and wipes everything this device holds for the account. */
    async signOut(): Promise<void> {
      const current = session
      if (!current) return
      await http.request('POST', '/api/auth/sign-out').catch(() => {})
      hub?.destroy()
      hub = null
      await fileOutbox?.close()
      fileOutbox = null
      session = null
      await wipeAccount(current.agent.id)
    },
  },

  conversations: {
    get: (id: string) => http.cachedGet<ConversationDetail>(`/api/conversations/${enc(id)}`),
    contact: (id: string) => http.cachedGet<ContactDetail>(`/api/contacts/${enc(id)}`),
    search: (q: string) => http.request<Items<SearchHit>>('GET', `/api/search?q=${enc(q)}`),
    /** Asks the bot for a suggested reply; it arrives in the conversation's AI draft. */
    suggest: (id: string) => http.request<{ queued: boolean }>('POST', `/api/conversations/${enc(id)}/suggest`, {}),
  },

  attachments: {
    /** The same upload path, size limit (the widget's maxAttachmentBytes) and access check as the widget's. */
    upload: (conversationId: string, file: File) => http.upload<Attachment>(`/api/widget/conversations/${enc(conversationId)}/attachments?name=${enc(file.name || 'file')}`, file),
    /** An attachment's bytes as an object URL; kept in this account's cache once seen, so it shows offline too (sign-out wipes it). */
    async objectUrl(conversationId: string, attachment: Attachment): Promise<string> {
      const path = attachment.url ?? `/api/widget/conversations/${enc(conversationId)}/attachments/${enc(attachment.id)}`
      return URL.createObjectURL(await http.blob(path))
    },
  },

  local: {
    documents: () => (session ? listLocalDocuments(session.agent.id) : Promise.resolve([])),
    read: (name: string) => readLocalDocument(session!.agent.id, name),
  },

  canned: {
    list: () => http.cachedGet<Items<CannedResponse>>('/api/canned-responses'),
    create: (body: Omit<CannedResponse, 'id'>) => http.request<CannedResponse>('POST', '/api/canned-responses', body),
    remove: (id: string) => http.request('DELETE', `/api/canned-responses/${enc(id)}`),
  },
  agents: {
    list: () => http.cachedGet<Items<AgentInfo>>('/api/agents'),
    create: (body: { email: string; name: string; role: string; password: string }) => http.request<AgentInfo>('POST', '/api/agents', body),
    update: (id: string, body: { name?: string; role?: string; active?: boolean }) => http.request<AgentInfo>('PATCH', `/api/agents/${enc(id)}`, body),
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
  },
  reports: {
    get: <N extends ReportName>(name: N, query: string) => http.request<ReportReply<N>>('GET', `/api/reports/${name}?${query}`),
    /** A report's table as the server's CSV (the same numbers as on screen), as a file to save. */
    async csv(name: ReportName, query: string, table: string): Promise<Blob> {
      const response = await fetch(`/api/reports/${name}?${query}&format=csv&table=${enc(table)}`, { headers: session ? { authorization: `Bearer ${session.token}` } : {} })
      if (!response.ok) throw new Error(`CSV export failed (HTTP ${response.status})`)
      return response.blob()
    },
  },
  routing: {
    /** The server decides who gets it; `taken: false` names who has it. */
    take: (conversationId: string) => http.request<TakeReply>('POST', `/api/conversations/${enc(conversationId)}/take`, {}),
    transfer: (conversationId: string, body: { agentId?: string | null; teamId?: string | null; note?: string }) => http.request<{ assignee: string | null; teamId: string | null }>('POST', `/api/conversations/${enc(conversationId)}/transfer`, body),
    availability: () => http.request<AvailabilityAnswer>('GET', '/api/availability'),
    setAvailability: (availability: Availability) => http.request<{ chosen: Availability; availability: Availability }>('PUT', '/api/me/availability', { availability }),
    activity: () => http.request('POST', '/api/me/activity', {}),
    myTeams: () => http.cachedGet<{ teamIds: string[] }>('/api/me/teams'),
    settings: () => http.request<RoutingSettings>('GET', '/api/settings/routing'),
    saveSettings: (body: Partial<RoutingSettings>) => http.request<RoutingSettings>('PUT', '/api/settings/routing', body),
    setCapacity: (agentId: string, capacity: number) => http.request('PUT', `/api/agents/${enc(agentId)}/capacity`, { capacity }),
  },
  teams: {
    list: () => http.cachedGet<Items<TeamInfo>>('/api/teams'),
    create: (body: { name: string; members?: string[]; categories?: string[]; capacity?: number | null }) => http.request<TeamInfo>('POST', '/api/teams', body),
    update: (id: string, body: Partial<Omit<TeamInfo, 'id' | 'createdAt'>>) => http.request<TeamInfo>('PATCH', `/api/teams/${enc(id)}`, body),
    remove: (id: string) => http.request('DELETE', `/api/teams/${enc(id)}`),
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

export type Io = typeof io
