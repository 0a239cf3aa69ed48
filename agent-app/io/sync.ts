/**
 * Documents for the app: one shared WebSocket to /sync, and per document a Y.Doc loaded from
 * IndexedDB (y-indexeddb) before it syncs, so everything opened once works offline. Local
 * actions are counted in a ledger kept in localStorage until the server acknowledges them, so
 * "N changes waiting" is true across reloads and documents with unsent changes are reopened.
 */
import { HocuspocusProvider, HocuspocusProviderWebsocket, WebSocketStatus } from '@hocuspocus/provider'
import { IndexeddbPersistence, storeState } from 'y-indexeddb'
import * as Y from 'yjs'
import { dropErasedContent, touchesMessages } from './erased-content.ts'
import { INBOX_ERASED_AT, INBOX_PRIVACY_ROOT } from '../../protocol/inbox.ts'

export type SocketState = 'connected' | 'connecting' | 'disconnected'

export interface DocHandle {
  name: string
  doc: Y.Doc
  provider: HocuspocusProvider
  /** Resolves once the copy on this device is loaded (immediately usable offline). */
  loaded: Promise<void>
  /** True once the server's state has been merged in this session. */
  synced(): boolean
  release(): void
}

export interface SyncEvents {
  socket: (state: SocketState) => void
  pending: (total: number) => void
  synced: (name: string) => void
  refused: (name: string, reason: string) => void
  authFailed: (reason: string) => void
  opened: (handle: DocHandle) => void
  closed: (name: string) => void
}

interface Entry { handle: DocHandle; persistence: IndexeddbPersistence; refs: number; idleSince: number }

const KEEP_IDLE = 12

export const dbNameFor = (prefix: string, docName: string): string => `${prefix}${docName}`

export class SyncHub {
  readonly socket: HocuspocusProviderWebsocket
  private entries = new Map<string, Entry>()
  private listeners: { [K in keyof SyncEvents]: Set<SyncEvents[K]> } = {
    socket: new Set(), pending: new Set(), synced: new Set(), refused: new Set(), authFailed: new Set(), opened: new Set(), closed: new Set(),
  }
  private ledger: Record<string, LedgerEntry>
  private readonly ledgerKey: string
  state: SocketState = 'connecting'
  private onOnline = () => { if (this.socket.status !== WebSocketStatus.Connected) void this.socket.connect() }
  /**
   * The browser lost its network: a WebSocket over a dead link can look open until the provider's
   * 30 s message timeout, so the status line said "Online" long after the drop (issue 17). Close it
   * now, the way the provider's own timeout does (close code 4408): every document goes unsynced
   * and the provider keeps retrying, so the first attempt after the network returns reconnects.
   */
  private onOffline = () => {
    if (this.socket.status === WebSocketStatus.Disconnected) return
    this.socket.onClose({ event: { code: 4408, reason: 'the browser is offline' } as CloseEvent })
  }

  constructor(url: string, private readonly token: () => string, private readonly prefix: string) {
    this.ledgerKey = `${prefix}pending`
    this.ledger = readLedger(this.ledgerKey)
    this.socket = new HocuspocusProviderWebsocket({ url, delay: 1000, minDelay: 500, factor: 1.5, maxDelay: 5000, maxAttempts: 0, jitter: true })
    this.socket.on('status', ({ status }: { status: WebSocketStatus }) => {
      this.state = status === WebSocketStatus.Connected ? 'connected' : status === WebSocketStatus.Connecting ? 'connecting' : 'disconnected'
      this.emit('socket', this.state)
    })
    window.addEventListener('online', this.onOnline)
    window.addEventListener('offline', this.onOffline)
    // Documents with changes not yet acknowledged are opened so they sync, whatever is on screen.
    for (const name of Object.keys(this.ledger)) this.flushWhenSynced(name)
  }

  on<K extends keyof SyncEvents>(event: K, listener: SyncEvents[K]): () => void {
    this.listeners[event].add(listener)
    return () => this.listeners[event].delete(listener)
  }

  private emit<K extends keyof SyncEvents>(event: K, ...args: Parameters<SyncEvents[K]>): void {
    for (const listener of this.listeners[event]) (listener as (...a: Parameters<SyncEvents[K]>) => void)(...args)
  }

  pendingTotal(): number { return Object.values(this.ledger).reduce((sum, e) => sum + e.count, 0) }
  pendingDocs(): string[] { return Object.keys(this.ledger) }

  /** Records one local action on a document (and the message it sent), until the server acknowledges it. */
  notePending(name: string, messageId?: string): void {
    const entry = this.ledger[name] ?? { count: 0, ids: [] }
    entry.count += 1
    if (messageId) entry.ids.push(messageId)
    this.ledger[name] = entry
    this.saveLedger()
  }

  /** Ids of messages sent on this device that the server has not acknowledged yet. */
  unsentMessages(name: string): readonly string[] { return [...(this.ledger[name]?.ids ?? [])] }

  open(name: string): DocHandle {
    const existing = this.entries.get(name)
    if (existing) {
      existing.refs += 1
      return existing.handle
    }
    // Conversation and internal documents keep deleted content (gc off): a value this device set
    // offline that lost to another writer is then still sent as what it was (a plain value, a
    // Y.Text), which the server's update guard can check, not as a "deleted" placeholder it refuses.
    const doc = new Y.Doc({ gc: !/^(conversation|internal):/.test(name) })
    const persistence = new IndexeddbPersistence(dbNameFor(this.prefix, name), doc)
    let isSynced = false
    // An erase on the server (issue 13) arrives as deleted messages: their content goes from
    // memory and the device's copy is stored again without it.
    // In the inbox, an erase overwrites entries: the marker says so, and the copy is stored afresh.
    const erasedKey = `${this.prefix}erased:${name}`
    const purge = () => {
      if (doc.isDestroyed) return
      if (dropErasedContent(doc)) void storeState(persistence, true)
      const erasedAt = name.startsWith('inbox:') ? String(doc.getMap(INBOX_PRIVACY_ROOT).get(INBOX_ERASED_AT) ?? '') : ''
      if (erasedAt && localStorage.getItem(erasedKey) !== erasedAt) {
        void storeState(persistence, true).then(() => localStorage.setItem(erasedKey, erasedAt))
      }
    }
    doc.on('afterTransaction', (transaction: Y.Transaction) => {
      if (transaction.local) return
      if (touchesMessages(doc, transaction) || (name.startsWith('inbox:') && [...transaction.changed.keys()].some((type) => type === doc.share.get(INBOX_PRIVACY_ROOT)))) queueMicrotask(purge)
    })
    const provider = new HocuspocusProvider({
      websocketProvider: this.socket, name, document: doc, token: this.token,
      onSynced: () => { isSynced = true; this.emit('synced', name); queueMicrotask(purge) },
      onUnsyncedChanges: ({ number }) => { if (number === 0 && this.state === 'connected' && this.ledger[name]) { delete this.ledger[name]; this.saveLedger() } },
      onAuthenticationFailed: ({ reason }) => this.emit('authFailed', reason),
      onClose: ({ event }) => { if (event.code >= 4000 && event.code !== 4408) this.emit('refused', name, event.reason || String(event.code)) },
      onDisconnect: () => { isSynced = false },
    })
    // Attach after the local copy is in: what IndexedDB holds is then in the first sync step.
    const loaded = persistence.whenSynced.then(() => { if (this.entries.get(name)?.persistence === persistence) provider.attach() })
    const entry: Entry = {
      persistence, refs: 1, idleSince: 0,
      handle: { name, doc, provider, loaded, synced: () => isSynced, release: () => this.release(name) },
    }
    this.entries.set(name, entry)
    this.emit('opened', entry.handle)
    return entry.handle
  }

  /** Every document open right now (on screen, kept warm, or holding unsent changes). */
  openHandles(): DocHandle[] { return [...this.entries.values()].map((e) => e.handle) }

  hasPending(name: string): boolean { return Boolean(this.ledger[name]) }

  private release(name: string): void {
    const entry = this.entries.get(name)
    if (!entry) return
    entry.refs = Math.max(0, entry.refs - 1)
    if (entry.refs > 0) return
    entry.idleSince = Date.now()
    const idle = [...this.entries.entries()].filter(([, e]) => e.refs === 0 && !this.ledger[e.handle.name]).sort((a, b) => a[1].idleSince - b[1].idleSince)
    for (const [key, e] of idle.slice(0, Math.max(0, idle.length - KEEP_IDLE))) this.close(key, e)
  }

  private close(name: string, entry: Entry): void {
    this.entries.delete(name)
    this.emit('closed', name)
    entry.handle.provider.destroy()
    void entry.persistence.destroy()
    entry.handle.doc.destroy()
  }

  /**
   * Drops a document from this device: closed if open (whatever its references), its local copy
   * deleted. For documents the server has replaced (an inbox that moved to a new generation).
   */
  async forget(name: string): Promise<void> {
    const entry = this.entries.get(name)
    if (entry) this.close(name, entry)
    await entry?.persistence.clearData().catch(() => {})
    await new Promise<void>((resolve) => {
      const request = indexedDB.deleteDatabase(dbNameFor(this.prefix, name))
      request.onsuccess = request.onerror = request.onblocked = () => resolve()
    })
  }

  /** This account's key prefix for what it keeps on this device (localStorage, IndexedDB). */
  get storagePrefix(): string { return this.prefix }

  /** Opens a document with unsent changes and lets it go once they are acknowledged. */
  private flushWhenSynced(name: string): void {
    const handle = this.open(name)
    const stop = this.on('pending', () => { if (!this.ledger[name]) { stop(); handle.release() } })
  }

  /** After a new sign-in with the same account: reconnect with the new token. */
  reconnect(): void {
    this.socket.disconnect()
    void this.socket.connect()
  }

  private saveLedger(): void {
    localStorage.setItem(this.ledgerKey, JSON.stringify(this.ledger))
    this.emit('pending', this.pendingTotal())
  }

  destroy(): void {
    window.removeEventListener('online', this.onOnline)
    window.removeEventListener('offline', this.onOffline)
    for (const [name, entry] of [...this.entries]) this.close(name, entry)
    this.socket.destroy()
  }
}

interface LedgerEntry { count: number; ids: string[] }

function readLedger(key: string): Record<string, LedgerEntry> {
  try {
    const value = JSON.parse(localStorage.getItem(key) ?? '{}') as Record<string, LedgerEntry> | null
    if (!value || typeof value !== 'object') return {}
    return Object.fromEntries(Object.entries(value).filter(([, e]) => typeof e?.count === 'number' && Array.isArray(e.ids)))
  } catch { return {} }
}
