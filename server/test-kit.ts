/** Shared by server tests: a real server on port 0 with a temporary database, and real peers. */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider'
import * as encoding from 'lib0/encoding'
import WebSocket from 'ws'
import * as Y from 'yjs'
import { createTestDatabase } from '../db/test-databases.ts'
import { startServer, type ParleyServer, type StartOptions } from './app.ts'
import { bootstrapFirstRun } from './bootstrap.ts'
import { loadConfig } from './config.ts'
import { LIMIT_VARIABLES } from './rate-limits/limit-config.ts'

export interface TestServer {
  server: ParleyServer
  url: string
  wsUrl: string
  ownerToken: string
  workspaceId: string
  siteKey: string
  dataDir: string
  close(): Promise<void>
}

export async function startTestServer(options: { dialect?: 'sqlite' | 'postgres'; env?: Record<string, string>; start?: StartOptions } = {}): Promise<TestServer> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-test-'))
  const database = options.dialect === 'postgres' ? await createTestDatabase('postgres', false) : null
  if (database) await database.db.close()
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'error', ...(database ? { DATABASE_URL: database.url } : {}), ...options.env })
  const server = await startServer(config, options.start)
  const firstRun = await bootstrapFirstRun(server.services.db, { email: 'owner@example.com', password: 'correct horse battery' })
  if (!firstRun) throw new Error('expected a fresh database')
  const signIn = await api(server.url, 'POST', '/api/auth/sign-in', { email: 'owner@example.com', password: 'correct horse battery' })
  return {
    server, url: server.url, wsUrl: server.url.replace('http', 'ws') + '/sync', ownerToken: signIn.body.token, workspaceId: firstRun.workspaceId, siteKey: firstRun.siteKey, dataDir,
    async close() {
      for (const peer of [...openPeers]) peer.destroy()
      await server.close()
      await database?.dispose()
      fs.rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

/** Every widget and sign-in rate limit off: for benchmarks whose load is one address and a few visitors. */
export const LIMITS_OFF: Record<string, string> = Object.fromEntries(LIMIT_VARIABLES.map((name) => [name, 'off']))

export async function api(url: string, method: string, pathname: string, body?: unknown, token?: string): Promise<{ status: number; body: any }> {
  const response = await fetch(url + pathname, {
    method,
    headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
    ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
  })
  const text = await response.text()
  let parsed: any = text
  try { parsed = JSON.parse(text) } catch {}
  return { status: response.status, body: parsed }
}

/** Every peer a test opened; closing the test server destroys the ones still open. */
const openPeers = new Set<Peer>()

export interface Peer {
  doc: Y.Doc
  provider: HocuspocusProvider
  socket: HocuspocusProviderWebsocket
  /** Resolves when synced; rejects with the refusal reason when authentication fails. */
  ready: Promise<void>
  closes: { code?: number; reason?: string }[]
  destroy(): void
}

export function connectPeer(wsUrl: string, name: string, token: string, doc = new Y.Doc()): Peer {
  const socket = new HocuspocusProviderWebsocket({ url: wsUrl, WebSocketPolyfill: WebSocket as any, maxAttempts: 1 })
  const closes: { code?: number; reason?: string }[] = []
  let resolve!: () => void
  let reject!: (e: Error) => void
  const ready = new Promise<void>((res, rej) => { resolve = res; reject = rej })
  ready.catch(() => {})
  const provider = new HocuspocusProvider({
    websocketProvider: socket, name, token, document: doc,
    onSynced: () => resolve(),
    onAuthenticationFailed: ({ reason }) => reject(new Error(reason)),
    onClose: ({ event }) => { closes.push({ code: event.code, reason: event.reason }) },
  })
  provider.attach()
  const peer: Peer = { doc, provider, socket, ready, closes, destroy: () => { openPeers.delete(peer); provider.destroy(); socket.destroy() } }
  openPeers.add(peer)
  return peer
}

export async function waitFor<T>(check: () => T | Promise<T>, timeoutMs = 5000, what = "condition"): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs
  let last: unknown
  for (;;) {
    try {
      const value = await check()
      if (value) return value as NonNullable<T>
    } catch (error) { last = error }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`)
    await new Promise((r) => setTimeout(r, 20))
  }
}

/** A visitor session and a conversation, through the widget API. */
export async function startVisitorConversation(t: TestServer, name = 'Vera Visitor', first?: { id: string; text: string }) {
  const session = await api(t.url, 'POST', '/api/widget/session', { siteKey: t.siteKey, name })
  const created = await api(t.url, 'POST', '/api/widget/conversations', { siteKey: t.siteKey, ...(first ? { message: first } : {}) }, session.body.token)
  if (created.status !== 201) throw new Error(`conversation not created: ${JSON.stringify(created.body)}`)
  return { visitorToken: session.body.token as string, contactId: session.body.contact.id as string, conversationId: created.body.id as string }
}

/** A sync message as the provider frames it: document name, Sync, update, payload (to send bytes a provider would not). */
export function updateFrame(documentName: string, payload: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarString(encoder, documentName)
  encoding.writeVarUint(encoder, 0)
  encoding.writeVarUint(encoder, 2)
  encoding.writeVarUint8Array(encoder, payload)
  return encoding.toUint8Array(encoder)
}
