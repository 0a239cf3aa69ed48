/**
 * Persistence with no window of loss. Stock Hocuspocus acknowledges an update as soon as it
 * is applied in memory and stores the document 2–10 s later, so a crash loses acknowledged
 * edits. Here every update a client sends is appended to the log in beforeSync, and its
 * acknowledgement (the SyncStatus message Hocuspocus sends right after applying it) is held
 * back until that row is committed and on disk: a client keeps, and resends after a
 * reconnect, everything not acknowledged.
 *
 * The update itself is applied and delivered to the other peers at once, without waiting for
 * the disk: if the server dies before the commit, the sender still holds the update and sends
 * it again, and a CRDT merges the copy the others already have. (Waiting in beforeSync, as this
 * did first, put a commit and an fsync into every delivery and serialized each connection's
 * messages behind the disk: bench/fan-out.ts.) The server's own writes are logged from
 * onChange and callers await `flush`. Every `compactEvery` updates, the log of a document is
 * folded into its snapshot in one transaction.
 */
import type { Connection, Extension, beforeSyncPayload, beforeUnloadDocumentPayload, onChangePayload, onLoadDocumentPayload } from '@hocuspocus/server'
import * as decoding from 'lib0/decoding'
import * as Y from 'yjs'
import { CloseCode, formatCloseReason } from '../../protocol/index.ts'
import type { Db } from '../../db/database.ts'
import { compactDocument, loadStoredDocument } from '../../db/doc-log.repository.ts'
import { dropPendingState } from '../pending-state.ts'
import type { Logger } from '../log.ts'
import type { Metrics } from '../metrics.ts'
import type { UpdateLog } from '../update-log.ts'
import { inspections, SYNC_STEP_2, SYNC_UPDATE } from './update-guard.ts'

/**
 * Runs `load` with the document's 'update' listeners set aside. Hocuspocus listens from the
 * moment a Document exists, so Yjs re-encoded everything a load applied into an update event
 * that nobody can receive yet (no connection, no hook before the load ends): for a
 * 10,000-message conversation that was ~45 ms of a ~95 ms load (bench/cold-load.ts).
 */
function withoutUpdateEvents(document: Y.Doc, load: () => void): void {
  const observers = (document as unknown as { _observers: Map<string, Set<unknown>> })._observers
  const listeners = observers.get('update')
  observers.delete('update')
  try {
    load()
  } finally {
    if (listeners) observers.set('update', listeners)
  }
}

/** Origin of updates replayed from storage: already durable, never logged again. */
export const REPLAY_ORIGIN = { source: 'local', skipStoreHooks: true, context: { replay: true } } as const

/** The acknowledgement the next SyncStatus waits for: a log append, or nothing (null). */
interface AckGate {
  next: Promise<unknown> | null | undefined
  /** The log row of the update the next ack is for: applied once the ack is sent. */
  row: Promise<number> | undefined
  /** When the update the next ack is for arrived (performance.now()), for the ack-latency histogram. */
  arrived: number
  chain: Promise<unknown>
}

/** A Hocuspocus message: the document address (varString), then its type; SyncStatus is 8. */
function isSyncStatus(message: Uint8Array): boolean {
  const decoder = decoding.createDecoder(message)
  decoding.readVarString(decoder)
  return decoding.readVarUint(decoder) === SYNC_STATUS
}
const SYNC_STATUS = 8

interface DocState {
  version: number
  sinceCompaction: number
  pending: Set<Promise<unknown>>
  compacting: Promise<void> | null
  /**
   * Log rows the document is known to contain: replayed at load, the server's own writes
   * (logged after they were applied), and clients' updates once acknowledged (applied before
   * that). Compaction replays only the rest (another instance's rows): replaying what the
   * document holds decoded every update twice more (for the inbox, 60 ms stalls).
   */
  applied: Set<number>
  /** Set while the state is being stored again after a failed append (see recover). */
  recovery: Promise<void> | null
}

export class DurabilityExtension implements Extension {
  priority = 800
  extensionName = 'parley-durability'
  private docs = new Map<string, DocState>()
  private gates = new WeakMap<Connection, AckGate>()
  skippedEntries = 0
  compactions = 0

  constructor(private readonly db: Db, private readonly updateLog: UpdateLog, private readonly compactEvery: number, private readonly log: Logger, private readonly metrics?: Metrics) {}

  async onLoadDocument({ documentName, document }: onLoadDocumentPayload): Promise<void> {
    const started = performance.now()
    const stored = await loadStoredDocument(this.db, documentName)
    withoutUpdateEvents(document, () => {
      if (stored.snapshot) Y.applyUpdate(document, stored.snapshot.data, REPLAY_ORIGIN)
      for (const entry of stored.updates) this.replay(document, entry.id, entry.data)
    })
    // A log written before the guard refused pending state must not poison every load (issue 10):
    // dropped here, it is gone from the store at the next compaction.
    const dropped = dropPendingState(document)
    if (dropped) this.log.warn('dropped pending state found at load', { document: documentName, ...dropped })
    const state: DocState = {
      version: stored.snapshot?.version ?? 0, sinceCompaction: stored.updates.length, pending: new Set(), compacting: null,
      applied: new Set(stored.updates.map((entry) => entry.id)), recovery: null,
    }
    this.docs.set(documentName, state)
    if (state.sinceCompaction >= this.compactEvery) this.scheduleCompaction(document)
    this.metrics?.documentLoad.observe({ kind: documentName.slice(0, documentName.indexOf(':')) || 'other' }, (performance.now() - started) / 1000)
  }

  async beforeSync({ type, payload, connection, document, documentName }: beforeSyncPayload): Promise<void> {
    if ((type !== SYNC_STEP_2 && type !== SYNC_UPDATE) || connection.readOnly) return
    const gate = this.ackGate(connection, documentName)
    gate.arrived = performance.now()
    const recovery = this.docs.get(documentName)?.recovery
    // Nothing new: the sender may be resending an update the document already holds but whose
    // append is still in flight (it reconnected before its ack), so the ack waits for every
    // append of the document in flight now.
    if (inspections.get(payload)?.empty) { gate.next = this.flush(documentName); gate.row = undefined; return }
    const write = this.track(document, this.updateLog.append(documentName, payload))
    write.catch(() => this.recover(document))
    gate.next = recovery ? Promise.all([write, recovery]) : write
    gate.row = write
  }

  /**
   * Counts a log append toward the next compaction once it is committed (counting it earlier,
   * a compaction that ran while appends were in flight forgot the rows they added, and they
   * stayed in the log), and keeps it pending until then (unloading waits for it).
   */
  private track(document: Y.Doc & { name: string }, write: Promise<number>): Promise<number> {
    const state = this.docs.get(document.name)
    if (!state) return write
    state.pending.add(write)
    void write.then(() => this.count(document), () => {}).finally(() => state.pending.delete(write))
    return write
  }

  /**
   * After a failed append the document holds an update the log does not (it was applied before
   * its write failed), and its sender's resend will be a no-op against it. So the whole state is
   * appended as one row, retried until it is stored; until then nothing on the document is
   * acknowledged, and server writes do not report success.
   */
  private recover(document: Y.Doc & { name: string }): void {
    const state = this.docs.get(document.name)
    if (!state || state.recovery) return
    state.recovery = (async () => {
      for (let attempt = 1; ; attempt++) {
        try {
          await this.updateLog.append(document.name, Y.encodeStateAsUpdate(document))
          this.log.info('the document state is stored again after a failed write', { document: document.name, attempts: attempt })
          return
        } catch (error) {
          if (!this.docs.has(document.name)) throw error
          this.log.error('storing the document state after a failed write failed; retrying', { document: document.name, error })
          await new Promise((resolve) => setTimeout(resolve, Math.min(10_000, 250 * attempt)))
        }
      }
    })().finally(() => { state.recovery = null })
    state.recovery.catch(() => {})
  }

  /**
   * Holds back a connection's acknowledgements until the updates they acknowledge are durable,
   * in order. Hocuspocus handles one message of a connection at a time and sends its ack right
   * after applying it, so the ack that follows a beforeSync is that update's.
   */
  private ackGate(connection: Connection, documentName: string): AckGate {
    let gate = this.gates.get(connection)
    if (gate) return gate
    const send = connection.send.bind(connection)
    const created: AckGate = { next: undefined, row: undefined, arrived: 0, chain: Promise.resolve() }
    connection.send = (message: Uint8Array) => {
      if (created.next === undefined || !isSyncStatus(message)) return send(message)
      const durable = created.next
      created.next = undefined
      // Hocuspocus acknowledges only an update it applied: from here the document holds that
      // row, and compaction need not replay it.
      const row = created.row
      created.row = undefined
      if (row) void row.then((id) => this.docs.get(documentName)?.applied.add(id), () => {})
      const arrived = created.arrived
      // Hocuspocus broadcasts an update to the document's other connections (and publishes it to
      // Redis) while applying it, before this status goes out: what peers wait for, before durability.
      if (row) this.metrics?.deliveryLatency.observe((performance.now() - arrived) / 1000)
      const acknowledge = () => {
        send(message)
        this.metrics?.ackLatency.observe((performance.now() - arrived) / 1000)
      }
      if (durable === null) { created.chain = created.chain.then(acknowledge); return }
      created.chain = created.chain.then(() => durable).then(acknowledge, (error) => {
        this.log.error('update log append failed; the update is not acknowledged and the connection is closed (the client sends it again)', { document: documentName, error })
        connection.close({ code: CloseCode.storageFailed.code, reason: formatCloseReason(CloseCode.storageFailed, 'the update was not stored; it will be sent again') })
        // Nothing after a failed write is acknowledged on this connection.
        created.chain = new Promise(() => {})
      })
    }
    this.gates.set(connection, created)
    return created
  }

  async onChange({ documentName, document, update, transactionOrigin }: onChangePayload): Promise<void> {
    const origin = transactionOrigin as { source?: string; context?: { replay?: boolean } } | undefined
    // A client's update was logged in beforeSync. One from another instance (through Redis) is
    // logged here too: that instance delivers before its commit, and may die before it.
    if (origin?.source === 'connection' || origin?.context?.replay) return
    const state = this.docs.get(documentName)
    const write = this.track(document, this.updateLog.append(documentName, update))
    if (state) void write.then((id) => state.applied.add(id), () => {})
    write.catch((error) => {
      this.log.error('update log append failed for a server write', { document: documentName, error })
      this.recover(document)
    })
  }

  /** Resolves once every change made so far to the document is committed; rejects if one failed. */
  async flush(documentName: string): Promise<void> {
    const state = this.docs.get(documentName)
    if (state) await Promise.all([...state.pending])
    if (state?.recovery) await state.recovery
  }

  async beforeUnloadDocument({ documentName, document }: beforeUnloadDocumentPayload): Promise<void> {
    const state = this.docs.get(documentName)
    if (!state) return
    await this.flush(documentName)
    if (state.compacting) await state.compacting
    // A document at rest is one snapshot: the next cold load reads one row.
    if (state.sinceCompaction > 0) await this.compact(document)
  }

  async afterUnloadDocument({ documentName }: { documentName: string }): Promise<void> {
    this.docs.delete(documentName)
  }

  private count(document: Y.Doc & { name: string }): void {
    const state = this.docs.get(document.name)
    if (!state) return
    state.sinceCompaction += 1
    if (state.sinceCompaction >= this.compactEvery) this.scheduleCompaction(document)
  }

  private scheduleCompaction(document: Y.Doc & { name: string }): void {
    const state = this.docs.get(document.name)
    if (!state || state.compacting) return
    state.compacting = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => this.compact(document))
      .catch((error) => this.log.error('compaction failed; the log is kept', { document: document.name, error }))
      .finally(() => { state.compacting = null })
  }

  /** Folds the log into the snapshot. The merge reapplies what it reads (a no-op for what the document has). */
  async compact(document: Y.Doc & { name: string }): Promise<void> {
    const state = this.docs.get(document.name)
    if (!state) return
    const counted = state.sinceCompaction
    const result = await compactDocument(this.db, document.name, (stored) => {
      if (stored.snapshot && stored.snapshot.version !== state.version) Y.applyUpdate(document, stored.snapshot.data, REPLAY_ORIGIN)
      for (const entry of stored.updates) if (!state.applied.has(entry.id)) this.replay(document, entry.id, entry.data)
      // Rows read are gone after this; an id marked applied late (between commit and fsync) is
      // dropped too, up to the highest id read (a lower id not read yet is merely replayed).
      const highest = stored.updates.reduce((max, entry) => Math.max(max, entry.id), 0)
      for (const id of state.applied) if (id <= highest) state.applied.delete(id)
      return Y.encodeStateAsUpdate(document)
    })
    state.version = result.version
    state.sinceCompaction = Math.max(0, state.sinceCompaction - counted)
    this.compactions += 1
  }

  /** A torn or unreadable log entry is skipped, not fatal: everything before and after it still loads. */
  private replay(document: Y.Doc, id: number, data: Uint8Array): void {
    try {
      Y.decodeUpdate(data)
      Y.applyUpdate(document, data, REPLAY_ORIGIN)
    } catch (error) {
      this.skippedEntries += 1
      this.log.warn('skipping an unreadable update-log entry', { id, bytes: data.length, error: (error as Error).message })
    }
  }
}
