/**
 * Keeps SQL rows and the inbox document current as conversation documents change. Work is
 * batched across documents: after a delay that grows with the load, the changed conversations
 * are projected in chunks, one transaction and one inbox change per workspace each (one commit
 * per document per message cost two fsyncs and an inbox update per message; see
 * bench/fan-out.ts). Only the messages from the first changed place on are written.
 */
import type { Extension, afterLoadDocumentPayload, afterUnloadDocumentPayload, onChangePayload } from '@hocuspocus/server'
import * as Y from 'yjs'
import { getMessages, getMeta, getNotes, getTriage, parseDocumentName, readClassification, readMeta, type InboxEntry, type Message } from '../../protocol/index.ts'
import { insertMessages } from '../../db/message.repository.ts'
import type { Db } from '../../db/database.ts'
import { getConversation } from '../../db/conversation.repository.ts'
import type { InboxWriter } from '../inbox-writer.ts'
import type { Logger } from '../log.ts'
import type { Metrics } from '../metrics.ts'
import type { ConversationEvent } from '../../db/tables.ts'
import { deriveTransitions, stateOfMeta, type TrackedState } from '../events/derive-events.ts'
import { announceDeliveries } from '../webhooks/webhook-events.ts'
import { planProjection, projectClassification, toMessageRow, transitionBaseline, writeProjections, type ConversationProjection } from '../projection.ts'

/** Conversations projected per transaction; the event loop is yielded between them. */
const CHUNK = 50

/** Notes sort after the messages of their conversation in SQL listings; the documents keep the true order. */
const NOTE_SEQ_BASE = 1_000_000

/**
 * `from`: the lowest index of the messages array changed since the last projection (every row
 * from there on is written again: a message inserted concurrently before others moves them, and
 * the SQL order must stay the document's); `added`: how many messages arrived, for the metrics.
 */
interface Tracked { id: string; doc: Y.Doc; from: number | null; added: number; full: boolean; state: TrackedState | null; events: ConversationEvent[]; unobserve: () => void }
interface Pending { tracked: Tracked; from: number | null; added: number; full: boolean; events: ConversationEvent[] }

/** The meta keys whose changes are events (derive-events.ts); other changes are not compared. */
const EVENT_KEYS = ['status', 'assignee', 'csat']

export class ProjectionExtension implements Extension {
  priority = 500
  extensionName = 'parley-projection'
  private tracked = new Map<string, Tracked>()
  private dirty = new Set<Tracked>()
  private timer: NodeJS.Timeout | null = null
  private running: Promise<void> | null = null
  private lastBatchSize = 0
  private noteObservers = new Map<string, () => void>()
  /** conversationId → the AI's category, which lives in the internal document. */
  private categories = new Map<string, string | null>()

  /**
   * Told of each batch once it is committed (agent notification emails). Awaited, so a flush
   * means its notifications were decided; it does nothing for most batches (no assignment, no
   * customer reply in an assigned conversation) and its errors never fail the projection.
   */
  afterWrite: ((projections: ConversationProjection[]) => Promise<void>) | null = null
  /** Told after each chunk is written, per workspace, with its entries and events (routing pulls the next conversation from here). */
  onProjected: (workspaceId: string, entries: InboxEntry[], events: ConversationEvent[]) => void = () => {}

  constructor(private readonly db: Db, private readonly inbox: InboxWriter, private readonly metrics: Metrics, private readonly log: Logger, private readonly delayMs = 25) {}

  async afterLoadDocument({ documentName, document }: afterLoadDocumentPayload): Promise<void> {
    if (documentName.startsWith('internal:')) return this.trackInternal(documentName, document)
    if (!documentName.startsWith('conversation:')) return
    const id = parseDocumentName(documentName).id
    const messages = getMessages(document)
    // The event's delta says where the new messages went, so projecting never walks the whole array.
    const observer = (event: Y.YArrayEvent<Message>) => {
      const entry = this.tracked.get(documentName)
      if (!entry) return
      let index = 0
      for (const op of event.delta) {
        if (op.retain) index += op.retain
        else if (op.insert) {
          entry.from = Math.min(entry.from ?? index, index)
          entry.added += (op.insert as Message[]).length
          this.metrics.messagesArrived(op.insert as Message[])
          index += (op.insert as Message[]).length
        }
      }
    }
    // Each transaction's change of status, assignee or rating is an event, compared with the state
    // before it: comparing only at projection time would merge the changes of one batch.
    const onMeta = (event: Y.YMapEvent<unknown>) => {
      const entry = this.tracked.get(documentName)
      if (!entry || !EVENT_KEYS.some((key) => event.keysChanged.has(key))) return
      const meta = readMeta(document)
      entry.events.push(...deriveTransitions(id, entry.state, meta))
      entry.state = stateOfMeta(meta)
    }
    messages.observe(observer)
    getMeta(document).observe(onMeta)
    const row = await getConversation(this.db, id)
    if (!this.categories.has(id)) this.categories.set(id, row?.category ?? null)
    const baseline = await transitionBaseline(this.db, id)
    const meta = readMeta(document)
    const tracked: Tracked = {
      id, doc: document, from: null, added: 0, full: row?.message_count !== messages.length,
      // What changed while no one projected (the row lags the document after a crash) is recorded now.
      state: stateOfMeta(meta), events: deriveTransitions(id, baseline, meta),
      unobserve: () => { messages.unobserve(observer); getMeta(document).unobserve(onMeta) },
    }
    this.tracked.set(documentName, tracked)
    if (tracked.full || tracked.events.length > 0) this.schedule(tracked)
  }

  async onChange({ documentName }: onChangePayload): Promise<void> {
    const tracked = this.tracked.get(documentName)
    if (tracked) this.schedule(tracked)
  }

  /**
   * The internal document: notes are searchable like messages (each projected once, as a row of
   * kind 'note'); the classification goes to the conversation row and, as its category, to the inbox.
   */
  private async trackInternal(documentName: string, document: Y.Doc): Promise<void> {
    const id = parseDocumentName(documentName).id
    const row = await getConversation(this.db, id)
    if (!row) return
    const notes = getNotes(document)
    const write = (list: Message[]) => insertMessages(this.db, list.map((note) => toMessageRow(id, row.workspace_id, note, NOTE_SEQ_BASE + notes.toArray().indexOf(note))))
      .catch((error) => this.log.error('projecting notes failed', { conversation: id, error }))
    const observer = (event: Y.YArrayEvent<Message>) => {
      const added: Message[] = []
      for (const item of event.changes.added) added.push(...(item.content.getContent() as Message[]))
      void write(added)
    }
    notes.observe(observer)
    void write(notes.toArray())
    const triage = getTriage(document)
    let projected = JSON.stringify({ category: row.category, sentiment: row.sentiment, language: row.language })
    const onTriage = () => {
      const classification = readClassification(document)
      if (!classification) return
      const columns = JSON.stringify({ category: classification.category, sentiment: classification.sentiment, language: classification.language })
      if (columns === projected) return
      projected = columns
      this.categories.set(id, classification.category)
      projectClassification(this.db, id, classification).catch((error) => this.log.error('projecting the classification failed', { conversation: id, error }))
      const tracked = this.tracked.get(`conversation:${id}`)
      if (tracked) this.schedule(tracked)
    }
    triage.observe(onTriage)
    onTriage()
    this.noteObservers.set(documentName, () => { notes.unobserve(observer); triage.unobserve(onTriage) })
  }

  async afterUnloadDocument({ documentName }: afterUnloadDocumentPayload): Promise<void> {
    this.noteObservers.get(documentName)?.()
    this.noteObservers.delete(documentName)
    const tracked = this.tracked.get(documentName)
    if (!tracked) return
    tracked.unobserve()
    if (this.dirty.has(tracked)) await this.runDirty()
    if (this.running) await this.running
    this.tracked.delete(documentName)
    this.categories.delete(tracked.id)
  }

  /** Projects everything pending now; tests and the rebuild command use it. */
  async flush(): Promise<void> {
    if (this.timer) { clearTimeout(this.timer); this.timer = null }
    await this.runDirty()
    if (this.running) await this.running
  }

  /**
   * Quiet, a change is projected within `delayMs`. Busy, the wait grows with the last batch
   * (5 ms per conversation, at most a second), so a batch carries several messages of each
   * conversation and the per-batch costs (a transaction, an inbox change, its log row) are
   * shared: at 2,000 messages/s over 1,000 conversations projecting every 25 ms was a fifth of
   * the server's time (bench/ack.ts). Conversation documents are live either way; only the SQL
   * rows and the inbox list lag, by at most a second under such load.
   */
  private schedule(tracked: Tracked): void {
    this.dirty.add(tracked)
    if (this.timer) return
    const delay = Math.min(1000, Math.max(this.delayMs, this.lastBatchSize * 5))
    this.timer = setTimeout(() => { this.timer = null; void this.runDirty() }, delay)
  }

  private async runDirty(): Promise<void> {
    if (this.running) { await this.running; return this.runDirty() }
    if (this.dirty.size === 0) return
    const batch: Pending[] = [...this.dirty].map((tracked) => ({ tracked, from: tracked.from, added: tracked.added, full: tracked.full, events: tracked.events }))
    for (const tracked of this.dirty) { tracked.from = null; tracked.added = 0; tracked.events = [] }
    this.lastBatchSize = batch.length
    this.dirty.clear()
    for (const { tracked } of batch) tracked.full = false
    // In chunks, resting as long as each took before the next: a second's batch in one go
    // blocked the event loop for tens of milliseconds, and every ack and delivery waited behind it.
    this.running = (async () => {
      let rest = 0
      for (let i = 0; i < batch.length; i += CHUNK) {
        if (i > 0) await new Promise((resolve) => setTimeout(resolve, rest))
        const started = performance.now()
        await this.projectChunk(batch.slice(i, i + CHUNK))
        const took = performance.now() - started
        this.metrics.projectionBatch.observe(took / 1000)
        rest = Math.min(50, took)
      }
    })().finally(() => { this.running = null })
    await this.running
  }

  private async projectChunk(batch: Pending[]): Promise<void> {
    try {
      const projections: ConversationProjection[] = []
      for (const { tracked, from, full, events } of batch) {
        const projection = planProjection(tracked.id, tracked.doc, full ? 0 : from, this.categories.get(tracked.id) ?? null, events)
        if (projection) projections.push(projection)
      }
      const streams = await this.db.kysely.transaction().execute((trx) => writeProjections({ ...this.db, kysely: trx }, projections))
      if (streams.length > 0) announceDeliveries(streams)
      if (this.afterWrite) await this.afterWrite(projections).catch((error) => this.log.warn('after-projection hook failed', { error }))
      for (const { added } of batch) for (let i = 0; i < added; i++) this.metrics.recordMessage()
      const byWorkspace = new Map<string, InboxEntry[]>()
      for (const { workspaceId, entry } of projections) byWorkspace.set(workspaceId, [...(byWorkspace.get(workspaceId) ?? []), entry])
      for (const [workspaceId, list] of byWorkspace) await this.inbox.setMany(workspaceId, list)
      for (const [workspaceId, list] of byWorkspace) this.onProjected(workspaceId, list, projections.filter((p) => p.workspaceId === workspaceId).flatMap((p) => p.events))
    } catch (error) {
      // Keep what was not written and try again on the next change.
      for (const { tracked, from, added, full, events } of batch) {
        if (from !== null) tracked.from = Math.min(tracked.from ?? from, from)
        tracked.events = [...events, ...tracked.events]
        tracked.added += added
        tracked.full ||= full
        if (this.tracked.has(`conversation:${tracked.id}`)) this.dirty.add(tracked)
      }
      this.log.error('projection failed; will retry', { conversations: batch.length, error })
    }
  }
}
