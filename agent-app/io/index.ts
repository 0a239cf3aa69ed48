/**
 * All I/O of the app goes through here: the HTTP API, synced documents and what this device
 * keeps. Stores and pages never call fetch, IndexedDB or WebSocket themselves. This file holds
 * what the first screen needs (the session, the synced documents, the calls the inbox and the
 * sidebar make); the pages' calls are in api.ts, loaded with them (bench/agent-app.ts).
 */
import type { Attachment, Availability, RoutingSettings, TakeReply } from '../../protocol/index.ts'
import type { AgentInfo, AvailabilityAnswer, TeamInfo, CannedResponse, Items, MeAnswer, SignInAnswer } from './api-types.ts'
import { createHttp } from './http.ts'
import { accountPrefix, readSession, wipeAccount, writeSession, type StoredSession } from './local-data.ts'
import { SyncHub } from './sync.ts'
import { FileOutbox } from './file-outbox.ts'

export { ApiError } from './http.ts'
export type { DocHandle, SocketState } from './sync.ts'
export type { StoredSession } from './local-data.ts'
export * from './api-types.ts'
export type * from './integration-types.ts'

let session: StoredSession | null = readSession()
let hub: SyncHub | null = null
let fileOutbox: FileOutbox | null = null
const unauthenticatedListeners = new Set<() => void>()

/** Shared with api.ts (the pages' calls), which builds on the same session. */
export const http = createHttp(() => session?.token ?? null, () => session?.agent.id ?? null, () => { for (const l of unauthenticatedListeners) l() }, () => session?.workspace.id ?? null)
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
    if (!hub) hub = new SyncHub(`${location.origin.replace(/^http/, 'ws')}/sync`, () => session?.token ?? '', accountPrefix(session.agent.id, session.workspace.id))
    return hub
  },
  /** Replies with files written offline, kept on this device until they are sent. */
  fileOutbox(): FileOutbox {
    if (!session) throw new Error('not signed in')
    fileOutbox ??= new FileOutbox(`${accountPrefix(session.agent.id, session.workspace.id)}outbox:files`)
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
    /**
     * Into another workspace: a new session there; this workspace's local copies stay on the
     * device (they are keyed by workspace) for when the agent comes back.
     */
    async switchWorkspace(workspaceId: string): Promise<SignInAnswer> {
      const answer = await http.request<SignInAnswer>('POST', '/api/auth/switch', { workspaceId })
      hub?.destroy()
      hub = null
      await fileOutbox?.close()
      fileOutbox = null
      return answer
    },
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
  canned: {
    list: () => http.cachedGet<Items<CannedResponse>>('/api/canned-responses'),
    create: (body: Omit<CannedResponse, 'id'>) => http.request<CannedResponse>('POST', '/api/canned-responses', body),
    remove: (id: string) => http.request('DELETE', `/api/canned-responses/${enc(id)}`),
  },
  agents: {
    list: () => http.cachedGet<Items<AgentInfo>>('/api/agents'),
    create: (body: { email: string; name: string; role: string; password: string }) => http.request<AgentInfo>('POST', '/api/agents', body),
    update: (id: string, body: { name?: string; role?: string; active?: boolean }) => http.request<AgentInfo>('PATCH', `/api/agents/${enc(id)}`, body),
    /** Out of this workspace: their open conversations go back to the queue. */
    remove: (id: string) => http.request<{ unassigned: number }>('DELETE', `/api/agents/${enc(id)}`),
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
}

export type Io = typeof io
