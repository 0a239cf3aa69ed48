/**
 * cold-load: open a conversation of 100, 1,000 and 10,000 messages that is not in memory (the
 * server was restarted after they were written): time from socket open to synced, the server
 * heap it takes (after a full collection, before and after the open), and its stored size
 * against the same messages as JSON. Messages were appended one update each, alternating two
 * writers, as a real conversation grows. y-websocket's reference server keeps documents in
 * memory only (nothing to load cold), so only Parley and stock Hocuspocus + SQLite are here.
 *
 *   npm run bench -- cold-load          3 repetitions
 *   npm run bench -- cold-load --full   5 repetitions
 */
import path from 'node:path'
import Database from 'better-sqlite3'
import * as Y from 'yjs'
import type { Message } from '../protocol/index.ts'
import { RawPeer } from './lib/raw-peer.ts'
import { sleep } from './lib/proc.ts'
import { fmtBytes, fmtMs, median, printTable, readOptions, writeResults } from './lib/report.ts'
import { TARGET_LABELS, startTarget, type ConversationSpec, type Target, type TargetKind } from './lib/targets.ts'

const options = readOptions()
const SIZES = [100, 1000, 10_000]
const REPS = options.reps ?? (options.full ? 5 : 3)
const kinds = (['parley', 'hocuspocus'] as TargetKind[]).filter((k) => !options.only || options.only.includes(k))
const TEXT = 'Thanks, I checked the order page again and the parcel still shows as pending. What should I do next?'

/** Appends `count` messages, one update each, alternating agent and bot, and waits for every ack. */
async function seed(target: Target, spec: ConversationSpec, count: number): Promise<Message[]> {
  const writers = (['agent', 'bot'] as const).map((role) => {
    const doc = new Y.Doc()
    let acked = 0
    const peer = new RawPeer({ url: target.wsUrl, protocol: target.protocol, name: spec.name, token: spec.tokens[role], doc, onAck: () => { acked += 1 } })
    return { role, doc, peer, acked: () => acked }
  })
  await Promise.all(writers.map((w) => w.peer.connect()))
  const messages: Message[] = []
  for (let i = 0; i < count; i++) {
    const writer = writers[i % 2]!
    const message: Message = { id: `m-${spec.name.slice(-8)}-${i}`, author: target.authors[writer.role], kind: 'message', text: `${TEXT} (${i})`, attachments: [], createdAt: Date.now() }
    messages.push(message)
    writer.doc.getArray<Message>('messages').push([message])
    if (i % 200 === 199) await sleep(1) // let acks flow back
  }
  const deadline = Date.now() + 120_000
  while (writers.reduce((n, w) => n + w.acked(), 0) < count && Date.now() < deadline) await sleep(20)
  for (const w of writers) w.peer.close()
  return messages
}

function storedBytes(target: Target, name: string): number {
  const db = new Database(path.join(target.dataDir, target.kind === 'parley' ? 'parley.sqlite' : 'hocuspocus.sqlite'), { readonly: true })
  try {
    const rows = target.kind === 'parley'
      ? [db.prepare('select coalesce(sum(length(data)), 0) as n from doc_snapshots where doc_name = ?').get(name), db.prepare('select coalesce(sum(length(data)), 0) as n from doc_updates where doc_name = ?').get(name)]
      : [db.prepare('select coalesce(sum(length(data)), 0) as n from documents where name = ?').get(name)]
    return (rows as { n: number }[]).reduce((sum, row) => sum + Number(row.n), 0)
  } finally {
    db.close()
  }
}

interface Cell { target: TargetKind; messages: number; syncedMs: number[]; heapBytes: number[]; storedBytes: number; jsonBytes: number }
const cells: Cell[] = []

for (const kind of kinds) {
  const target = await startTarget(kind)
  try {
    const specs = await target.createConversations(SIZES.length + 1)
    const warmUp = specs.pop()!
    await seed(target, warmUp, 50)
    const jsonBytes: number[] = []
    for (const [i, size] of SIZES.entries()) jsonBytes.push(Buffer.byteLength(JSON.stringify(await seed(target, specs[i]!, size))))
    const byCell = SIZES.map((size, i): Cell => ({ target: kind, messages: size, syncedMs: [], heapBytes: [], storedBytes: 0, jsonBytes: jsonBytes[i]! }))
    for (let rep = 0; rep < REPS; rep++) {
      // A restart guarantees nothing is in memory; a graceful stop stores every document first
      // (Hocuspocus would otherwise lose what its debounce had not stored yet).
      await target.stop(false, true)
      await target.restart()
      // One small conversation first, so the figures are not the server's first-use compilation.
      const warm = new RawPeer({ url: target.wsUrl, protocol: target.protocol, name: warmUp.name, token: warmUp.tokens.customer })
      await warm.connect()
      warm.close()
      for (const [i, size] of SIZES.entries()) {
        const cell = byCell[i]!
        if (rep === 0) cell.storedBytes = storedBytes(target, specs[i]!.name)
        const before = await target.memory()
        let received = 0
        const observer = new RawPeer({ url: target.wsUrl, protocol: target.protocol, name: specs[i]!.name, token: specs[i]!.tokens.customer, onUpdate: (u) => { received += u.length } })
        const t0 = performance.now()
        await observer.connect()
        cell.syncedMs.push(performance.now() - t0)
        const after = await target.memory()
        cell.heapBytes.push(after.heapUsed + after.external - before.heapUsed - before.external)
        observer.close()
        if (received === 0) throw new Error(`${kind}: conversation of ${size} messages arrived empty`)
        process.stderr.write(`  ${kind} ${size} messages rep ${rep + 1}: synced in ${fmtMs(cell.syncedMs.at(-1)!)} ms, heap +${fmtBytes(cell.heapBytes.at(-1)!)}, stored ${fmtBytes(cell.storedBytes)}\n`)
      }
    }
    cells.push(...byCell)
  } finally {
    await target.stop()
  }
}

const summary = cells.map((c) => ({
  target: c.target, messages: c.messages, syncedMs: median(c.syncedMs), heapBytes: median(c.heapBytes), storedBytes: c.storedBytes, jsonBytes: c.jsonBytes,
  storedOverJson: c.storedBytes / c.jsonBytes, runs: { syncedMs: c.syncedMs, heapBytes: c.heapBytes },
}))
printTable(`cold-load: open a conversation not in memory (median of ${REPS}; workload: N messages appended one update each by two alternating writers, then a restart)`, summary.map((s) => ({
  server: TARGET_LABELS[s.target], messages: s.messages, 'open → synced ms': fmtMs(s.syncedMs), 'server heap for it': fmtBytes(s.heapBytes),
  stored: fmtBytes(s.storedBytes), 'as JSON': fmtBytes(s.jsonBytes), 'stored / JSON': s.storedOverJson.toFixed(2) + '×',
})))
writeResults('cold-load', {
  workload: `conversations of ${SIZES.join(' / ')} messages (~110-character texts), each appended as its own update by two alternating writers; the server is killed and restarted before each repetition, then each conversation is opened once by a read-only peer; heap = server heapUsed + external after a full collection, after the open minus before; stored = bytes of the document's rows in the server's SQLite file; ${REPS} repetitions (medians)`,
  cells: summary,
})
