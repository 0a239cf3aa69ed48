/**
 * One socket that sends updates to one document, each on its own document connection: it
 * authenticates, sends the update, and waits for the answer (an ack, the document's connection
 * closed, or the whole socket closed), authenticating again after a refusal, on the same socket
 * while the server keeps it open. What an attacker retrying bad updates does (issue 10).
 */
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import WebSocket from 'ws'
import { AUTH, AUTH_TOKEN, CLOSE, SYNC, SYNC_STATUS, UPDATE as SYNC_UPDATE } from './raw-peer.ts'


export type Outcome = { kind: 'ack' } | { kind: 'refused'; reason: string } | { kind: 'socket-closed'; code: number }

export class HostileSocket {
  private socket: WebSocket | null = null
  private authenticated = false
  private answer: ((outcome: Outcome) => void) | null = null
  private readonly prefix: Uint8Array

  constructor(private readonly url: string, private readonly name: string, private readonly token: string) {
    const e = encoding.createEncoder()
    encoding.writeVarString(e, name)
    this.prefix = encoding.toUint8Array(e)
  }

  /** Opens a new socket (also after the server closed the last one). */
  open(): Promise<void> {
    this.authenticated = false
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(this.url, { perMessageDeflate: false })
      socket.binaryType = 'nodebuffer'
      this.socket = socket
      socket.on('open', () => resolve())
      socket.on('error', reject)
      socket.on('close', (code) => { if (this.socket === socket) { this.socket = null; this.answer?.({ kind: 'socket-closed', code }) } })
      socket.on('message', (data: Buffer) => {
        const decoder = decoding.createDecoder(new Uint8Array(data.buffer, data.byteOffset, data.byteLength))
        decoding.readVarString(decoder)
        const type = decoding.readVarUint(decoder)
        if (type === SYNC_STATUS) this.answer?.({ kind: 'ack' })
        else if (type === CLOSE) this.answer?.({ kind: 'refused', reason: decoder.pos < decoder.arr.length ? decoding.readVarString(decoder) : '' })
      })
    })
  }

  isOpen(): boolean { return this.socket !== null }

  /** Sends one update (authenticating first when needed) and resolves with what the server answered. */
  send(update: Uint8Array): Promise<Outcome> {
    const socket = this.socket
    if (!socket) return Promise.resolve({ kind: 'socket-closed', code: 0 })
    return new Promise<Outcome>((resolve) => {
      this.answer = (outcome) => {
        this.answer = null
        this.authenticated = outcome.kind === 'ack'
        resolve(outcome)
      }
      if (!this.authenticated) socket.send(this.message((e) => { encoding.writeVarUint(e, AUTH); encoding.writeVarUint(e, AUTH_TOKEN); encoding.writeVarString(e, this.token) }))
      socket.send(this.message((e) => { encoding.writeVarUint(e, SYNC); encoding.writeVarUint(e, SYNC_UPDATE); encoding.writeVarUint8Array(e, update) }))
    })
  }

  close(): void { this.socket?.close() }

  private message(write: (e: encoding.Encoder) => void): Uint8Array {
    const e = encoding.createEncoder()
    encoding.writeUint8Array(e, this.prefix)
    write(e)
    return encoding.toUint8Array(e)
  }
}
