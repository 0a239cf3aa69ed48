/**
 * A load generator process (started by bench/lib/load.ts on the load core). It holds the peers of
 * its share of conversations, each peer on its own socket, and on command:
 * - `run`: appends messages at a fixed rate to random conversations (writer picked at random)
 *   and measures delivery (sent → observed by every other peer of that conversation) and, where
 *   the server sends them, acknowledgements;
 * - `serial`: sends one message at a time and waits for its acknowledgement;
 * - `cut`: drops every socket at once and reconnects each after a jittered delay.
 * Every peer of a conversation lives in this process, so send and receive times share one clock.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks'
import * as Y from 'yjs'
import type { Author, Message } from '../../protocol/index.ts'
import { RawPeer } from './raw-peer.ts'
import type { ConversationSpec, PeerRole, WireProtocol } from './targets.ts'
import { startSelfCpuMeter } from './proc.ts'

export interface SetupCommand {
  type: 'setup'
  worker: number
  protocol: WireProtocol
  url: string
  conversations: ConversationSpec[]
  /** Peers to connect in each conversation; writers among them hold a Y.Doc and send. */
  roles: PeerRole[]
  writers: PeerRole[]
  authors: { agent: Author; bot: Author }
  concurrency: number
}
export interface RunCommand { type: 'run'; rate: number; warmupMs: number; durationMs: number; graceMs: number }
export interface SerialCommand { type: 'serial'; count: number }
/** `drop`: this process cuts the sockets; otherwise the server goes away and peers notice. */
export interface CutCommand { type: 'cut'; drop: boolean; jitterMs: number; timeoutMs: number }
export type Command = SetupCommand | RunCommand | SerialCommand | CutCommand | { type: 'close' }

export interface RunResult {
  type: 'result'
  /** Delivery latency per message sent in the measured window, ms (Infinity: not delivered in time). */
  latencies: number[]
  /** Acknowledgement delay per update sent in the measured window, ms. */
  acks: number[]
  sent: number
  expected: number
  cpu: number
  loopDelayP99Ms: number
}

interface Conversation { spec: ConversationSpec; peers: Partial<Record<PeerRole, RawPeer>>; docs: Partial<Record<PeerRole, Y.Doc>> }
interface Pending { sentAt: number; left: number; sender: PeerRole; measured: boolean }

const MESSAGE_TEXT = 'Hi, my order has not arrived yet and the tracking page shows nothing. Can you check?'

let setup: SetupCommand
const conversations: Conversation[] = []
const pending = new Map<string, Pending>()
let latencies: number[] = []
let acks: number[] = []
let measureFrom = Infinity
let measureUntil = Infinity
let sequence = 0
/** Wakes the one-at-a-time loop when a delivery or an ack arrives (no busy waiting that would load this process). */
let wake: (() => void) | null = null

const send = (message: unknown) => process.send!(message)

function observe(update: Uint8Array, role: PeerRole): void {
  if (pending.size === 0) return
  const { structs } = Y.decodeUpdate(update)
  for (const struct of structs) {
    if (!(struct instanceof Y.Item) || !(struct.content instanceof Y.ContentAny)) continue
    for (const value of struct.content.arr as { id?: string }[]) {
      const entry = value?.id ? pending.get(value.id) : undefined
      if (!entry || entry.sender === role) continue
      entry.left -= 1
      if (entry.left === 0) {
        pending.delete(value.id!)
        if (entry.measured) latencies.push(performance.now() - entry.sentAt)
        wake?.()
      }
    }
  }
}

async function connectAll(command: SetupCommand): Promise<void> {
  setup = command
  const connectMs: number[] = []
  const errors: string[] = []
  const jobs: (() => Promise<void>)[] = []
  for (const spec of command.conversations) {
    const conversation: Conversation = { spec, peers: {}, docs: {} }
    conversations.push(conversation)
    for (const role of command.roles) {
      const doc = command.writers.includes(role) ? new Y.Doc() : undefined
      if (doc) conversation.docs[role] = doc
      const peer = new RawPeer({
        url: command.url, protocol: command.protocol, name: spec.name, token: spec.tokens[role], doc,
        onUpdate: (update, initial) => { if (!initial) observe(update, role) },
        onAck: (latency) => {
          const sentAt = performance.now() - latency
          if (sentAt >= measureFrom && sentAt < measureUntil) acks.push(latency)
          wake?.()
        },
      })
      conversation.peers[role] = peer
      jobs.push(async () => {
        const t0 = performance.now()
        try {
          await peer.connect()
          connectMs.push(performance.now() - t0)
        } catch (error) {
          if (errors.length < 5) errors.push((error as Error).message)
        }
      })
    }
  }
  await runLimited(jobs, command.concurrency)
  send({ type: 'ready', connectMs, failed: jobs.length - connectMs.length, errors })
}

async function runLimited(jobs: (() => Promise<void>)[], limit: number): Promise<void> {
  let next = 0
  await Promise.all(Array.from({ length: Math.min(limit, jobs.length) }, async () => {
    while (next < jobs.length) await jobs[next++]!()
  }))
}

function sendOne(conversation: Conversation, role: PeerRole, measured: boolean): string {
  const doc = conversation.docs[role]!
  const id = `b${setup.worker}-${++sequence}`
  const author = role === 'bot' ? setup.authors.bot : setup.authors.agent
  const message: Message = { id, author, kind: 'message', text: MESSAGE_TEXT, attachments: [], createdAt: Date.now() }
  pending.set(id, { sentAt: performance.now(), left: setup.roles.length - 1, sender: role, measured })
  doc.getArray<Message>('messages').push([message])
  return id
}

const pick = <T>(items: T[]): T => items[Math.floor(Math.random() * items.length)]!

async function run(command: RunCommand): Promise<void> {
  latencies = []
  acks = []
  const start = performance.now()
  measureFrom = start + command.warmupMs
  measureUntil = measureFrom + command.durationMs
  let sent = 0
  let measuredSent = 0
  let cpu: (() => number) | null = null
  const loop = monitorEventLoopDelay({ resolution: 5 })
  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = performance.now()
      if (!cpu && now >= measureFrom) { cpu = startSelfCpuMeter(); loop.enable() }
      const due = Math.floor(((Math.min(now, measureUntil) - start) / 1000) * command.rate) - sent
      for (let i = 0; i < due; i++) {
        const measured = now >= measureFrom
        sendOne(pick(conversations), pick(setup.writers), measured)
        sent += 1
        if (measured) measuredSent += 1
      }
      if (now >= measureUntil) resolve()
      else setTimeout(tick, 1)
    }
    tick()
  })
  const cpuUsed = cpu ? (cpu as () => number)() : 0
  loop.disable()
  const graceEnd = performance.now() + command.graceMs
  while (performance.now() < graceEnd && [...pending.values()].some((p) => p.measured)) await new Promise((r) => setTimeout(r, 10))
  for (const [id, entry] of pending) {
    if (entry.measured) latencies.push(Infinity)
    pending.delete(id)
  }
  const result: RunResult = {
    type: 'result', latencies, acks, sent: measuredSent, expected: Math.round((command.durationMs / 1000) * command.rate),
    cpu: cpuUsed, loopDelayP99Ms: loop.percentile(99) / 1e6,
  }
  measureFrom = measureUntil = Infinity
  send(result)
}

/** One message at a time: send, wait for its acknowledgement, next. */
async function serial(command: SerialCommand): Promise<void> {
  latencies = []
  acks = []
  const cpu = startSelfCpuMeter()
  measureFrom = 0
  measureUntil = Infinity
  for (let i = 0; i < command.count; i++) {
    const conversation = conversations[i % conversations.length]!
    const role = setup.writers[i % setup.writers.length]!
    const before = acks.length
    const id = sendOne(conversation, role, true)
    const deadline = performance.now() + 5000
    const acked = () => setup.protocol !== 'hocuspocus' || acks.length > before
    while ((!acked() || pending.has(id)) && performance.now() < deadline) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 50)
        wake = () => { clearTimeout(timer); wake = null; resolve() }
      })
    }
  }
  const result: RunResult = { type: 'result', latencies, acks, sent: command.count, expected: command.count, cpu: cpu(), loopDelayP99Ms: 0 }
  measureFrom = measureUntil = Infinity
  pending.clear()
  send(result)
}

/** Every peer reconnects, after a random delay, once its socket is gone; as providers do. */
async function cut(command: CutCommand): Promise<void> {
  const peers = conversations.flatMap((c) => Object.values(c.peers))
  const t0 = performance.now()
  const cpu = startSelfCpuMeter()
  if (command.drop) for (const peer of peers) peer.cut()
  const syncedAt: number[] = []
  let failed = 0
  const deadline = t0 + command.timeoutMs
  await Promise.all(peers.map(async (peer) => {
    while (peer.isOpen() && performance.now() < deadline) await new Promise((r) => setTimeout(r, 5))
    await new Promise((r) => setTimeout(r, Math.random() * command.jitterMs))
    for (;;) {
      try {
        await peer.connect()
        syncedAt.push(performance.now() - t0)
        return
      } catch {
        if (performance.now() > deadline) { failed += 1; return }
        await new Promise((r) => setTimeout(r, 200 + Math.random() * 300))
      }
    }
  }))
  send({ type: 'reconnected', syncedAt, failed, cpu: cpu() })
}

process.on('message', (command: Command) => {
  const handle = async () => {
    switch (command.type) {
      case 'setup': return connectAll(command)
      case 'run': return run(command)
      case 'serial': return serial(command)
      case 'cut': return cut(command)
      case 'close':
        for (const conversation of conversations) for (const peer of Object.values(conversation.peers)) peer.close()
        setTimeout(() => process.exit(0), 200)
    }
  }
  handle().catch((error) => { send({ type: 'error', message: (error as Error).stack ?? String(error) }); process.exit(1) })
})
