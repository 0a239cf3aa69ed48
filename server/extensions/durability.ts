/**
 * Persistence with no window of loss. Stock Hocuspocus acknowledges an update as soon as it
 * is applied in memory and stores the document 2–10 s later, so a crash loses acknowledged
 * edits. Here, beforeSync (which Hocuspocus awaits before it applies and acknowledges) appends
 * the update to the log and waits for the commit; the server's own writes are logged from
 * onChange and callers await `flush`. Every `compactEvery` updates, the log of a document is
 * folded into its snapshot in one transaction.
 */
import type { Extension, beforeSyncPayload, beforeUnloadDocumentPayload, onChangePayload, onLoadDocumentPayload } from '@hocuspocus/server'
import * as Y from 'yjs'
import { CloseCode, formatCloseReason } from '../../protocol/index.ts'
import type { Db } from '../../db/database.ts'
import { compactDocument, loadStoredDocument } from '../../db/doc-log.repository.ts'
import type { Logger } from '../log.ts'
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

interface DocState {
  version: number
  sinceCompaction: number
  pending: Set<Promise<unknown>>
  compacting: Promise<void> | null
  /**
   * Log rows the document is known to contain: replayed at load, or the server's own writes
   * (logged after they were applied). Compaction does not replay them: for the inbox, written
   * only by the server, replaying 300 rows of ~50 entries each was a 60 ms stall.
   */
  applied: Set<number>
}

export class DurabilityExtension implements Extension {
  priority = 800
  extensionName = 'parley-durability'
  private docs = new Map<string, DocState>()
  skippedEntries = 0
  compactions = 0

  constructor(private readonly db: Db, private readonly updateLog: UpdateLog, private readonly compactEvery: number, private readonly log: Logger) {}

  async onLoadDocument({ documentName, document }: onLoadDocumentPayload): Promise<void> {
    const stored = await loadStoredDocument(this.db, documentName)
    withoutUpdateEvents(document, () => {
      if (stored.snapshot) Y.applyUpdate(document, stored.snapshot.data, REPLAY_ORIGIN)
      for (const entry of stored.updates) this.replay(document, entry.id, entry.data)
    })
    const state: DocState = {
      version: stored.snapshot?.version ?? 0, sinceCompaction: stored.updates.length, pending: new Set(), compacting: null,
      applied: new Set(stored.updates.map((entry) => entry.id)),
    }
    this.docs.set(documentName, state)
    if (state.sinceCompaction >= this.compactEvery) this.scheduleCompaction(document)
  }

  async beforeSync({ type, payload, connection, document, documentName }: beforeSyncPayload): Promise<void> {
    if ((type !== SYNC_STEP_2 && type !== SYNC_UPDATE) || connection.readOnly) return
    if (inspections.get(payload)?.empty) return
    try {
      await this.updateLog.append(documentName, payload)
    } catch (error) {
      this.log.error('update log append failed; the update is refused and not acknowledged', { document: documentName, error })
      throw { code: CloseCode.storageFailed.code, reason: formatCloseReason(CloseCode.storageFailed, 'the update was not stored; it will be sent again') }
    }
    this.count(document)
  }

  async onChange({ documentName, document, update, transactionOrigin }: onChangePayload): Promise<void> {
    const origin = transactionOrigin as { source?: string; context?: { replay?: boolean } } | undefined
    if (origin?.source === 'connection' || origin?.source === 'redis' || origin?.context?.replay) return
    const state = this.docs.get(documentName)
    const write = this.updateLog.append(documentName, update)
    if (state) {
      state.pending.add(write)
      void write.then((id) => state.applied.add(id), () => {}).finally(() => state.pending.delete(write))
    }
    write.catch((error) => this.log.error('update log append failed for a server write', { document: documentName, error }))
    this.count(document)
  }

  /** Resolves once every server-side change made so far to the document is committed; rejects if one failed. */
  async flush(documentName: string): Promise<void> {
    const state = this.docs.get(documentName)
    if (state) await Promise.all([...state.pending])
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
      for (const entry of stored.updates) state.applied.delete(entry.id)
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
