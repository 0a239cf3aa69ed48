/**
 * A light sync client over `ws` that speaks either the Hocuspocus protocol (document name first,
 * token authentication, SyncStatus acknowledgements) or y-websocket's plain y-protocols. Much
 * lighter than the full provider, so one load process can drive thousands of peers.
 * Writers keep a Y.Doc; observers keep none and only decode what arrives.
 */
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import WebSocket from 'ws'
import * as Y from 'yjs'
import type { WireProtocol } from './targets.ts'

/** Hocuspocus message types and sub-types (also used by hostile-socket.ts). */
export const SYNC = 0
export const AUTH = 2
export const SYNC_STATUS = 8
export const CLOSE = 7
export const STEP1 = 0
export const STEP2 = 1
export const UPDATE = 2
export const AUTH_TOKEN = 0
const AUTH_DENIED = 1
const EMPTY_UPDATE = Y.encodeStateAsUpdate(new Y.Doc())
const EMPTY_STATE_VECTOR = Y.encodeStateVector(new Y.Doc())

export interface RawPeerOptions {
  url: string
  protocol: WireProtocol
  name: string
  token?: string
  /** A writer's document; observers leave it out. */
  doc?: Y.Doc
  /** Every update that arrives after the first sync (and the first sync's own, flagged). */
  onUpdate?: (update: Uint8Array, initial: boolean) => void
  /** A SyncStatus acknowledgement of an update this peer sent, with its delay (Hocuspocus protocol only). */
  onAck?: (latencyMs: number, applied: boolean) => void
  onClose?: (code: number, reason: string) => void
  /** The server closed this document's connection (a refused update), the socket staying open. */
  onDocumentClose?: (reason: string) => void
}

/** Marks updates a peer received, so its own `update` handler does not send them back. */
export const REMOTE = Symbol('remote')

export class RawPeer {
  socket: WebSocket | null = null
  synced = false
  private prefix: Uint8Array
  /** Send times of updates not yet acknowledged, oldest first; -1 for sync replies. */
  private awaitingAck: number[] = []
  private syncedResolve: (() => void) | null = null
  private syncedReject: ((error: Error) => void) | null = null

  constructor(readonly options: RawPeerOptions) {
    const encoder = encoding.createEncoder()
    if (options.protocol === 'hocuspocus') encoding.writeVarString(encoder, options.name)
    this.prefix = encoding.toUint8Array(encoder)
    options.doc?.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin !== REMOTE && this.synced) this.sendUpdate(update)
    })
  }

  /** Opens the socket and resolves once the server's state has arrived. */
  connect(): Promise<void> {
    const { options } = this
    this.synced = false
    this.awaitingAck = []
    const url = options.protocol === 'y-websocket' ? `${options.url}/${encodeURIComponent(options.name)}` : options.url
    const socket = new WebSocket(url, { perMessageDeflate: false })
    socket.binaryType = 'nodebuffer'
    this.socket = socket
    const synced = new Promise<void>((resolve, reject) => { this.syncedResolve = resolve; this.syncedReject = reject })
    socket.on('open', () => {
      if (options.protocol === 'hocuspocus') {
        const encoder = this.start(AUTH)
        encoding.writeVarUint(encoder, AUTH_TOKEN)
        encoding.writeVarString(encoder, options.token ?? '')
        this.send(encoder)
      }
      this.sendSync(STEP1, options.doc ? Y.encodeStateVector(options.doc) : EMPTY_STATE_VECTOR)
    })
    socket.on('message', (data: Buffer) => this.receive(new Uint8Array(data.buffer, data.byteOffset, data.byteLength)))
    // A reconnect makes a new socket: events of an old one must not touch the new state.
    socket.on('close', (code, reason) => {
      if (this.socket !== socket) return
      this.synced = false
      this.syncedReject?.(new Error(`closed before sync: ${code} ${reason.toString()}`))
      this.syncedResolve = this.syncedReject = null
      options.onClose?.(code, reason.toString())
    })
    socket.on('error', (error) => {
      if (this.socket !== socket) return
      this.syncedReject?.(error)
      this.syncedResolve = this.syncedReject = null
    })
    return synced
  }

  /** Sends an update of this peer's own making (observers can send, too, in tests). */
  sendUpdate(update: Uint8Array): void {
    if (this.options.protocol === 'hocuspocus') this.awaitingAck.push(performance.now())
    this.sendSync(UPDATE, update)
  }

  isOpen(): boolean {
    return this.socket !== null && this.socket.readyState !== WebSocket.CLOSED
  }

  close(): void {
    this.socket?.close()
  }

  /** Drops the connection without a closing handshake, as a network cut would. */
  cut(): void {
    this.socket?.terminate()
  }

  private start(type: number): encoding.Encoder {
    const encoder = encoding.createEncoder()
    encoding.writeUint8Array(encoder, this.prefix)
    encoding.writeVarUint(encoder, type)
    return encoder
  }

  private sendSync(step: number, payload: Uint8Array): void {
    const encoder = this.start(SYNC)
    encoding.writeVarUint(encoder, step)
    encoding.writeVarUint8Array(encoder, payload)
    this.send(encoder)
  }

  private send(encoder: encoding.Encoder): void {
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(encoding.toUint8Array(encoder))
  }

  private receive(data: Uint8Array): void {
    const decoder = decoding.createDecoder(data)
    if (this.options.protocol === 'hocuspocus') decoding.readVarString(decoder)
    const type = decoding.readVarUint(decoder)
    switch (type) {
      case SYNC: {
        const step = decoding.readVarUint(decoder)
        const payload = decoding.readVarUint8Array(decoder)
        if (step === STEP1) {
          const doc = this.options.doc
          // A sync status answers this step 2 too.
          if (this.options.protocol === 'hocuspocus') this.awaitingAck.push(-1)
          this.sendSync(STEP2, doc ? Y.encodeStateAsUpdate(doc, payload) : EMPTY_UPDATE)
          return
        }
        const initial = step === STEP2 && !this.synced
        if (this.options.doc) Y.applyUpdate(this.options.doc, payload, REMOTE)
        if (initial) {
          this.synced = true
          this.syncedResolve?.()
          this.syncedResolve = this.syncedReject = null
        }
        this.options.onUpdate?.(payload, initial)
        return
      }
      case AUTH: {
        if (decoding.readVarUint(decoder) === AUTH_DENIED) {
          const reason = decoding.readVarString(decoder)
          this.syncedReject?.(new Error(`permission denied: ${reason}`))
          this.syncedResolve = this.syncedReject = null
        }
        return
      }
      case SYNC_STATUS: {
        const applied = decoding.readVarUint(decoder) === 1
        const sentAt = this.awaitingAck.shift()
        if (sentAt !== undefined && sentAt >= 0) this.options.onAck?.(performance.now() - sentAt, applied)
        return
      }
      case CLOSE:
        this.options.onDocumentClose?.(decoder.pos < decoder.arr.length ? decoding.readVarString(decoder) : '')
        return
      default:
        return // awareness, stateless: not used here
    }
  }
}
