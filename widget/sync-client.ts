/**
 * A read-only Yjs peer of one document over a plain WebSocket, speaking Hocuspocus' framing by
 * hand (read from @hocuspocus/provider 4.8: every frame is `varString documentName, varUint type,
 * payload`; auth is `Auth, Token=0, varString token, varString version`). The full provider costs
 * more than the widget's whole size budget; this is the subset a read-only visitor needs.
 */
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import { messageYjsSyncStep2, readSyncMessage, writeSyncStep1 } from 'y-protocols/sync'
import type * as Y from 'yjs'

const MessageType = { Sync: 0, Awareness: 1, Auth: 2, Stateless: 5, Close: 7 } as const
const AuthType = { Token: 0, PermissionDenied: 1 } as const
/** Hocuspocus closes a socket that sends nothing for 60 s; a sync step 1 keeps it open and resyncs. */
const KEEPALIVE_MS = 25_000
const PROVIDER_VERSION = 'parley-widget'

export interface SyncHandlers {
  synced(): void
  stateless(payload: string): void
  awareness(update: Uint8Array): void
  connection(open: boolean): void
  /** The server refused the token or the document; the client stops reconnecting. */
  refused(reason: string): void
}

export class SyncClient {
  private socket: WebSocket | null = null
  private attempts = 0
  private retryTimer: ReturnType<typeof setTimeout> | undefined
  private keepalive: ReturnType<typeof setInterval> | undefined
  private stopped = false
  isOpen = false

  constructor(private readonly url: string, private readonly name: string, private readonly token: string, private readonly doc: Y.Doc, private readonly on: SyncHandlers) {
    addEventListener('online', this.reconnectNow)
    this.connect()
  }

  /** Sends a stateless message; false when the socket is not open (the caller falls back to HTTP). */
  sendStateless(payload: string): boolean {
    return this.send((e) => { encoding.writeVarUint(e, MessageType.Stateless); encoding.writeVarString(e, payload) })
  }

  destroy(): void {
    this.stopped = true
    removeEventListener('online', this.reconnectNow)
    clearTimeout(this.retryTimer)
    clearInterval(this.keepalive)
    this.socket?.close()
  }

  private reconnectNow = (): void => {
    if (this.stopped || this.socket) return
    clearTimeout(this.retryTimer)
    this.connect()
  }

  private connect(): void {
    const socket = new WebSocket(this.url)
    socket.binaryType = 'arraybuffer'
    this.socket = socket
    socket.onopen = () => {
      this.send((e) => { encoding.writeVarUint(e, MessageType.Auth); encoding.writeVarUint(e, AuthType.Token); encoding.writeVarString(e, this.token); encoding.writeVarString(e, PROVIDER_VERSION) })
      this.sendStep1()
      this.keepalive = setInterval(() => this.sendStep1(), KEEPALIVE_MS)
    }
    socket.onmessage = (event) => this.receive(new Uint8Array(event.data as ArrayBuffer))
    socket.onclose = () => {
      clearInterval(this.keepalive)
      this.socket = null
      if (this.isOpen) { this.isOpen = false; this.on.connection(false) }
      if (this.stopped) return
      // Backoff with jitter, capped at 15 s; an 'online' event retries at once.
      const delay = Math.min(15_000, 500 * 2 ** this.attempts++) * (0.5 + Math.random() / 2)
      this.retryTimer = setTimeout(() => this.connect(), delay)
    }
  }

  private sendStep1(): void {
    this.send((e) => { encoding.writeVarUint(e, MessageType.Sync); writeSyncStep1(e, this.doc) })
  }

  private send(write: (encoder: encoding.Encoder) => void): boolean {
    if (this.socket?.readyState !== WebSocket.OPEN) return false
    const encoder = encoding.createEncoder()
    encoding.writeVarString(encoder, this.name)
    write(encoder)
    this.socket.send(encoding.toUint8Array(encoder))
    return true
  }

  private receive(data: Uint8Array): void {
    const decoder = decoding.createDecoder(data)
    if (decoding.readVarString(decoder) !== this.name) return
    switch (decoding.readVarUint(decoder)) {
      case MessageType.Sync: {
        const reply = encoding.createEncoder()
        encoding.writeVarString(reply, this.name)
        encoding.writeVarUint(reply, MessageType.Sync)
        const prefix = encoding.length(reply)
        const kind = readSyncMessage(decoder, reply, this.doc, this)
        // A server sync step 1 is answered with our step 2 (empty: a visitor never writes).
        if (encoding.length(reply) > prefix) this.socket?.send(encoding.toUint8Array(reply))
        if (kind === messageYjsSyncStep2) {
          this.attempts = 0
          if (!this.isOpen) { this.isOpen = true; this.on.connection(true) }
          this.on.synced()
        }
        break
      }
      case MessageType.Awareness:
        this.on.awareness(decoding.readVarUint8Array(decoder))
        break
      case MessageType.Auth:
        if (decoding.readVarUint(decoder) === AuthType.PermissionDenied) {
          this.stopped = true
          this.on.refused(decoding.readVarString(decoder))
          this.socket?.close()
        }
        break
      case MessageType.Stateless:
        this.on.stateless(decoding.readVarString(decoder))
        break
      case MessageType.Close:
        this.socket?.close()
        break
    }
  }
}

/** Reads a y-protocols awareness update into (client id → state, null when the client left). */
export function readAwarenessUpdate(update: Uint8Array): Map<number, Record<string, unknown> | null> {
  const decoder = decoding.createDecoder(update)
  const states = new Map<number, Record<string, unknown> | null>()
  const count = decoding.readVarUint(decoder)
  for (let i = 0; i < count; i++) {
    const clientId = decoding.readVarUint(decoder)
    decoding.readVarUint(decoder) // clock
    states.set(clientId, JSON.parse(decoding.readVarString(decoder)) as Record<string, unknown> | null)
  }
  return states
}
