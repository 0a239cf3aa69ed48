/**
 * Merging two conversations of one contact (issue 13): the merged-away conversation's messages and
 * notes join the survivor's documents as Yjs items, by time (merge-documents.ts); the merged-away
 * conversation stays, resolved, as a pointer (`meta.mergedInto`, `conversations.merged_into`),
 * which agents and the widget follow. What is written to it after the merge (a reply an agent
 * had queued offline, a customer message that raced the merge) is carried over by `forward`, so
 * nothing is lost, and carried once, so nothing is doubled.
 */
import type { DirectConnection, Hocuspocus } from '@hocuspocus/server'
import * as Y from 'yjs'
import {
  INTERNAL_ROOT, ParleyError, ROOT, formatConversationName, formatInternalName, getMessages, readMeta, updateMeta,
  type ConversationMeta, type MergeResult,
} from '../../protocol/index.ts'
import type { Db } from '../../db/database.ts'
import { getConversation } from '../../db/conversation.repository.ts'
import { insertEvents } from '../../db/conversation-event.repository.ts'
import { claimMerge, insertAudit } from '../../db/privacy.repository.ts'
import { SERVER_ORIGIN } from '../conversation-service.ts'
import type { DurabilityExtension } from '../extensions/durability.ts'
import type { Logger } from '../log.ts'
import { planArrayMerge, repairOrder } from './merge-documents.ts'

export interface MergeActor { agentId: string; workspaceId: string }

/** How long after a merge the survivor's order is checked as peers that had not seen it write (see repairOrder). */
const REPAIR_WINDOW_MS = 60_000

export class ConversationMerge {
  /** Survivor document → until when its order is watched (repairOrder) after a merge. */
  private readonly watched = new Map<string, number>()
  private readonly forwarding = new Map<string, Promise<unknown>>()

  constructor(private readonly db: Db, private readonly hocuspocus: Hocuspocus, private readonly durability: DurabilityExtension, private readonly log: Logger) {}

  async merge(actor: MergeActor, fromId: string, intoId: string): Promise<MergeResult> {
    if (fromId === intoId) throw new ParleyError('bad-request', 'into: a conversation cannot be merged into itself', 'into')
    const [from, into] = await Promise.all([getConversation(this.db, fromId), getConversation(this.db, intoId)])
    if (!from || from.workspace_id !== actor.workspaceId) throw new ParleyError('not-found', 'no such conversation')
    if (!into || into.workspace_id !== actor.workspaceId) throw new ParleyError('not-found', 'into: no such conversation', 'into')
    if (from.contact_id !== into.contact_id) throw new ParleyError('conflict', 'into: only two conversations of one contact can be merged (merge the contacts first)', 'into')
    const claimed = await claimMerge(this.db, fromId, intoId)
    // A retry (or a merge that stopped half-way) finishes the same way: every step is idempotent.
    const moved = await this.run(fromId, intoId)
    if (claimed) {
      const at = Date.now()
      const event = (conversationId: string, other: string) => ({
        id: `${conversationId}:merged:${other}`, workspace_id: actor.workspaceId, conversation_id: conversationId, kind: 'merged' as const, at,
        actor_id: actor.agentId, assignee_id: null, from_assignee_id: null, priority: null, reason: `${fromId} into ${intoId}`, rating: null, comment: null, until_at: null,
      })
      await insertEvents(this.db, [event(fromId, intoId), event(intoId, fromId)])
      await insertAudit(this.db, { workspace_id: actor.workspaceId, action: 'conversations-merged', actor_id: actor.agentId, contact_id: from.contact_id, conversation_id: intoId, detail: { from: fromId, into: intoId, ...moved } })
    }
    return { survivorId: intoId, mergedId: fromId, ...moved, alreadyMerged: !claimed }
  }

  /** Carries over what the merged-away conversation holds that its survivor does not (idempotent). */
  async forward(fromId: string): Promise<void> {
    const row = await getConversation(this.db, fromId)
    if (!row?.merged_into) return
    await this.run(fromId, row.merged_into)
  }

  /** One pass at a time per merged-away conversation; a pass asked for meanwhile runs after it. */
  private run(fromId: string, intoId: string): Promise<{ messages: number; notes: number }> {
    const previous = this.forwarding.get(fromId) ?? Promise.resolve()
    const next = previous.catch(() => {}).then(() => this.pass(fromId, intoId))
    this.forwarding.set(fromId, next)
    void next.finally(() => { if (this.forwarding.get(fromId) === next) this.forwarding.delete(fromId) }).catch(() => {})
    return next
  }

  private async pass(fromId: string, intoId: string): Promise<{ messages: number; notes: number }> {
    const open = (name: string) => this.hocuspocus.openDirectConnection(name, { internal: 'merge' })
    const connections: DirectConnection[] = []
    try {
      const [source, target, sourceNotes, targetNotes] = await Promise.all([
        open(formatConversationName(fromId)), open(formatConversationName(intoId)), open(formatInternalName(fromId)), open(formatInternalName(intoId)),
      ])
      connections.push(source, target, sourceNotes, targetNotes)
      // The pointer first: from here the send path writes to the survivor, and what still reaches
      // the merged-away document is carried over by the next pass.
      let before: Partial<ConversationMeta> = {}
      await source.transact((doc) => {
        before = readMeta(doc)
        if (before.mergedInto !== intoId) updateMeta(doc, { mergedInto: intoId, status: 'resolved', waitingSince: null, snoozedUntil: null, updatedAt: Date.now() }, SERVER_ORIGIN)
      })
      const messages = await this.bring(target, source, ROOT.messages, (doc) => {
        const meta = readMeta(doc)
        const patch: Partial<ConversationMeta> = {}
        if (!(meta.mergedFrom ?? []).includes(fromId)) patch.mergedFrom = [...(meta.mergedFrom ?? []), fromId]
        // A resolved survivor of a live conversation takes over its state: the customer is still waiting.
        if (meta.status === 'resolved' && before.status && before.status !== 'resolved' && before.mergedInto !== intoId) {
          Object.assign(patch, { status: before.status, waitingSince: before.waitingSince ?? null, ...(meta.assignee ? {} : { assignee: before.assignee ?? null }) })
        }
        if (Object.keys(patch).length > 0) updateMeta(doc, { ...patch, updatedAt: Date.now() }, SERVER_ORIGIN)
      })
      const notes = await this.bring(targetNotes, sourceNotes, INTERNAL_ROOT.notes)
      await Promise.all(connections.map((c) => this.durability.flush(documentOf(c).name)))
      return { messages, notes }
    } finally {
      for (const connection of connections) await connection.disconnect({ unloadImmediately: false }).catch(() => {})
    }
  }

  /** Applies the planned Yjs merge of one array in one transaction of the survivor. */
  private async bring(target: DirectConnection, source: DirectConnection, name: string, alsoInTarget?: (doc: Y.Doc) => void): Promise<number> {
    let count = 0
    // The Yjs merge in a transaction of its own: Yjs marks a transaction that applies an update as
    // remote, and one that also wrote with the document's own client id would make it think another
    // peer uses that id (it then changes it).
    await target.transact((doc) => {
      const plan = planArrayMerge(doc, documentOf(source), name)
      if (!plan) return
      Y.applyUpdate(doc, plan.update, SERVER_ORIGIN)
      count = plan.count
    })
    await target.transact((doc) => {
      doc.transact(() => {
        if (name === ROOT.messages) repairOrder(getMessages(doc))
        alsoInTarget?.(doc)
      }, SERVER_ORIGIN)
    })
    if (name === ROOT.messages) this.watched.set(documentOf(target).name, Date.now() + REPAIR_WINDOW_MS)
    return count
  }

  /**
   * After a change of a conversation document: a merged-away one is forwarded again; a survivor
   * merged moments ago has its order checked (a peer that had not seen the merge may have written
   * next to a merged message).
   */
  noticeChange(documentName: string, document: Y.Doc): void {
    if (documentName.startsWith('internal:')) {
      // A note written to a merged-away conversation: its meta lives in the conversation document.
      const id = documentName.slice('internal:'.length)
      const conversation = this.hocuspocus.documents.get(formatConversationName(id))
      if (conversation?.getMap(ROOT.meta).get('mergedInto')) this.scheduleForward(id)
      return
    }
    if (documentName.startsWith('conversation:')) {
      const meta = document.getMap(ROOT.meta)
      if (meta.get('mergedInto')) this.scheduleForward(documentName.slice('conversation:'.length))
      const until = this.watched.get(documentName)
      if (until !== undefined) {
        if (until < Date.now()) this.watched.delete(documentName)
        else this.scheduleRepair(documentName)
      }
    }
  }

  private readonly scheduled = new Set<string>()

  scheduleForward(fromId: string): void {
    const key = `forward:${fromId}`
    if (this.scheduled.has(key)) return
    this.scheduled.add(key)
    setImmediate(() => {
      this.scheduled.delete(key)
      this.forward(fromId).catch((error) => this.log.error('carrying a merged conversation over failed; the next change retries', { conversation: fromId, error }))
    })
  }

  private scheduleRepair(documentName: string): void {
    const key = `repair:${documentName}`
    if (this.scheduled.has(key)) return
    this.scheduled.add(key)
    setImmediate(async () => {
      this.scheduled.delete(key)
      try {
        const connection = await this.hocuspocus.openDirectConnection(documentName, { internal: 'merge' })
        try {
          await connection.transact((doc) => { repairOrder(getMessages(doc)) })
        } finally {
          await connection.disconnect()
        }
      } catch (error) {
        this.log.error('putting merged messages in order failed', { document: documentName, error })
      }
    })
  }
}

/** The document a direct connection holds (Hocuspocus' exported interface leaves it out). */
const documentOf = (connection: DirectConnection): Y.Doc & { name: string } => (connection as unknown as { document: Y.Doc & { name: string } }).document
