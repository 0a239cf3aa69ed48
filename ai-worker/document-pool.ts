/**
 * The bot's open documents: one WebSocket per worker, multiplexing a bounded pool of
 * Hocuspocus providers authenticated with the service token. Idle documents close after a
 * while; when the pool is full the least recently used idle one makes room. A document the
 * server closes (a refused update, a lost connection) is dropped with its Y.Doc, so the
 * refused change is never sent again: the next use opens a fresh copy.
 */
import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider'
import WebSocket from 'ws'
import * as Y from 'yjs'

export interface OpenDocument {
  name: string
  doc: Y.Doc
  provider: HocuspocusProvider
  /** Set when the server closed this document's connection; the reason it gave. */
  closedReason: string | null
}

/** The server closed the document (it refused an update, or the connection dropped). */
export class DocumentClosedError extends Error {
  constructor(readonly documentName: string, readonly reason: string) {
    super(`${documentName} was closed by the server: ${reason}`)
    this.name = 'DocumentClosedError'
  }
}

export interface DocumentPoolOptions {
  /** Base WebSocket URL of the server's /sync endpoint; a function when it is known only later. */
  url: string | (() => string)
  token: string
  maxOpen?: number
  idleMs?: number
  syncTimeoutMs?: number
  /** Batches the updates of fast writers (streaming tokens) into one message per interval. */
  flushDelayMs?: number
}

interface Entry { open: OpenDocument; users: number; lastUsed: number; ready: Promise<void>; idleTimer: NodeJS.Timeout | null }

export class DocumentPool {
  private socket: HocuspocusProviderWebsocket | null = null
  private entries = new Map<string, Entry>()
  private closed = false

  constructor(private readonly options: DocumentPoolOptions) {}

  get size(): number { return this.entries.size }

  /** Runs `use` with the synced document open; the document stays pooled afterwards. */
  async use<T>(name: string, use: (open: OpenDocument) => Promise<T>): Promise<T> {
    const entry = this.acquire(name)
    try {
      await entry.ready
      return await use(entry.open)
    } finally {
      this.release(entry)
    }
  }

  /** Resolves once the server has acknowledged (durably stored) every local change. */
  async flush(open: OpenDocument, timeoutMs = 10_000): Promise<void> {
    const check = () => {
      if (open.closedReason !== null) throw new DocumentClosedError(open.name, open.closedReason)
      return open.provider.unsyncedChanges === 0
    }
    if (check()) return
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => done(new Error(`${open.name}: no acknowledgement within ${timeoutMs} ms`)), timeoutMs)
      const onChange = () => { try { if (check()) done() } catch (error) { done(error as Error) } }
      const done = (error?: Error) => {
        clearTimeout(timer)
        open.provider.off('unsyncedChanges', onChange)
        open.provider.off('close', onChange)
        if (error) reject(error); else resolve()
      }
      open.provider.on('unsyncedChanges', onChange)
      open.provider.on('close', onChange)
    })
  }

  async close(): Promise<void> {
    this.closed = true
    for (const entry of [...this.entries.values()]) this.drop(entry)
    this.socket?.destroy()
    this.socket = null
  }

  private acquire(name: string): Entry {
    if (this.closed) throw new Error('document pool closed')
    let entry = this.entries.get(name)
    if (!entry || entry.open.closedReason !== null) {
      if (entry) this.drop(entry)
      this.makeRoom()
      entry = this.openEntry(name)
      this.entries.set(name, entry)
    }
    entry.users += 1
    entry.lastUsed = Date.now()
    if (entry.idleTimer) { clearTimeout(entry.idleTimer); entry.idleTimer = null }
    return entry
  }

  private release(entry: Entry): void {
    entry.users -= 1
    entry.lastUsed = Date.now()
    if (entry.open.closedReason !== null) { if (entry.users === 0) this.drop(entry); return }
    if (entry.users === 0) {
      entry.idleTimer = setTimeout(() => { if (entry.users === 0) this.drop(entry) }, this.options.idleMs ?? 30_000)
      entry.idleTimer.unref?.()
    }
  }

  private makeRoom(): void {
    const max = this.options.maxOpen ?? 64
    if (this.entries.size < max) return
    // Only idle documents are evicted: one in use may briefly push the pool over its bound.
    const idle = [...this.entries.values()].filter((e) => e.users === 0).sort((a, b) => a.lastUsed - b.lastUsed)
    for (const entry of idle.slice(0, this.entries.size - max + 1)) this.drop(entry)
  }

  private drop(entry: Entry): void {
    if (entry.idleTimer) clearTimeout(entry.idleTimer)
    if (this.entries.get(entry.open.name) === entry) this.entries.delete(entry.open.name)
    // The server already closed this document's connection: a "close" from us would reach the
    // server after the next copy of the same document has attached, and close that one instead.
    if (entry.open.closedReason !== null && this.socket) this.socket.configuration.providerMap.delete(entry.open.name)
    entry.open.provider.destroy()
    entry.open.doc.destroy()
  }

  private getSocket(): HocuspocusProviderWebsocket {
    if (!this.socket) {
      const url = typeof this.options.url === 'function' ? this.options.url() : this.options.url
      this.socket = new HocuspocusProviderWebsocket({ url, WebSocketPolyfill: WebSocket as never })
    }
    return this.socket
  }

  private openEntry(name: string): Entry {
    const doc = new Y.Doc()
    let settle!: (error?: Error) => void
    const ready = new Promise<void>((resolve, reject) => { settle = (error) => (error ? reject(error) : resolve()) })
    ready.catch(() => {})
    const provider = new HocuspocusProvider({
      websocketProvider: this.getSocket(), name, token: this.options.token, document: doc,
      ...(this.options.flushDelayMs ? { flushDelay: this.options.flushDelayMs } : {}),
      onSynced: () => settle(),
      onAuthenticationFailed: ({ reason }) => { open.closedReason = `authentication failed: ${reason}`; settle(new DocumentClosedError(name, open.closedReason)) },
      onClose: ({ event }) => { open.closedReason ??= event.reason || `closed (${event.code})`; settle(new DocumentClosedError(name, open.closedReason)) },
    })
    const open: OpenDocument = { name, doc, provider, closedReason: null }
    provider.attach()
    const timeoutMs = this.options.syncTimeoutMs ?? 10_000
    const timer = setTimeout(() => settle(new Error(`${name}: not synced within ${timeoutMs} ms`)), timeoutMs)
    void ready.finally(() => clearTimeout(timer)).catch(() => {})
    const entry: Entry = { open, users: 0, lastUsed: Date.now(), ready, idleTimer: null }
    ready.catch(() => { open.closedReason ??= 'did not sync' })
    return entry
  }
}
