/**
 * Tells each visitor's widget, live, where their conversation stands: its status, its place in
 * the queue and whether any agent is online. Sent as a stateless `status` message when the
 * visitor connects, and again whenever the workspace's inbox changes or an agent comes or goes.
 * Visitors cannot read the inbox document; this sends each one only their own position.
 */
import type { Connection, Extension, Hocuspocus, connectedPayload, onChangePayload, onDisconnectPayload } from '@hocuspocus/server'
import { formatConversationName, metaField, parseDocumentName, type ConversationStatusReply, type StatelessReply } from '../../protocol/index.ts'
import type { InboxWriter } from '../inbox-writer.ts'
import type { Logger } from '../log.ts'
import type { ConnectionContext } from './auth.ts'

/** Coalesces bursts (an agent opening ten documents) into one round of messages. */
const DELAY_MS = 50

export class VisitorStatusExtension implements Extension {
  priority = 100
  extensionName = 'parley-visitor-status'
  private pending = new Map<string, NodeJS.Timeout>()
  private lastSent = new WeakMap<Connection, ConversationStatusReply>()
  /** workspace → its visitors' connections (by their context, which onDisconnect is given), with the conversation each watches. */
  private visitors = new Map<string, Map<object, { connection: Connection; conversationId: string }>>()

  constructor(private readonly getHocuspocus: () => Hocuspocus, private readonly inbox: InboxWriter, private readonly presence: { anyOnline(workspaceId: string): boolean }, private readonly log: Logger) {}

  async connected({ context, connection }: connectedPayload): Promise<void> {
    const { principal, name } = context as ConnectionContext
    if (principal.kind === 'visitor' && name.kind === 'conversation') {
      let watching = this.visitors.get(principal.workspaceId)
      if (!watching) this.visitors.set(principal.workspaceId, (watching = new Map()))
      watching.set(context as object, { connection, conversationId: name.id })
      const doc = this.getHocuspocus().documents.get(formatConversationName(name.id))
      if (doc) this.send(connection, this.statusOf(principal.workspaceId, name.id, metaField(doc, 'status'), await this.inbox.queuePositions(principal.workspaceId)))
    } else if (principal.kind === 'agent') this.schedule(principal.workspaceId)
  }

  async onDisconnect({ context }: onDisconnectPayload): Promise<void> {
    const principal = (context as ConnectionContext | undefined)?.principal
    if (principal?.kind === 'agent') this.schedule(principal.workspaceId)
    if (principal?.kind === 'visitor') {
      const watching = this.visitors.get(principal.workspaceId)
      watching?.delete(context as object)
      if (watching?.size === 0) this.visitors.delete(principal.workspaceId)
    }
  }

  async onChange({ documentName }: onChangePayload): Promise<void> {
    if (documentName.startsWith('inbox:')) this.schedule(parseDocumentName(documentName).id)
  }

  /** What a visitor of `conversationId` is told now. */
  async statusFor(workspaceId: string, conversationId: string, status: string): Promise<ConversationStatusReply> {
    return this.statusOf(workspaceId, conversationId, status, await this.inbox.queuePositions(workspaceId))
  }

  private statusOf(workspaceId: string, conversationId: string, status: string | undefined, positions: Map<string, number>): ConversationStatusReply {
    return {
      status: status ?? 'bot',
      queuePosition: status === 'waiting' ? positions.get(conversationId) ?? null : null,
      agentsOnline: this.presence.anyOnline(workspaceId),
    }
  }

  private schedule(workspaceId: string): void {
    if (this.pending.has(workspaceId)) return
    const timer = setTimeout(() => {
      this.pending.delete(workspaceId)
      this.broadcast(workspaceId).catch((error) => this.log.warn('visitor status broadcast failed', { workspaceId, error }))
    }, DELAY_MS)
    timer.unref()
    this.pending.set(workspaceId, timer)
  }

  /**
   * One pass over the workspace's visitors (not over every loaded document: under load a pass
   * runs every DELAY_MS, bench/fan-out.ts). The queue order they share is read once per pass.
   */
  private async broadcast(workspaceId: string): Promise<void> {
    const watching = this.visitors.get(workspaceId)
    if (!watching || watching.size === 0) return
    const hocuspocus = this.getHocuspocus()
    const positions = await this.inbox.queuePositions(workspaceId)
    for (const { connection, conversationId } of watching.values()) {
      const document = hocuspocus.documents.get(formatConversationName(conversationId))
      if (document) this.send(connection, this.statusOf(workspaceId, conversationId, metaField(document, 'status'), positions))
    }
  }

  /** Sends a status only when it differs from the last one this connection was sent. */
  private send(connection: Connection, status: ConversationStatusReply): void {
    const last = this.lastSent.get(connection)
    if (last && last.status === status.status && last.queuePosition === status.queuePosition && last.agentsOnline === status.agentsOnline) return
    this.lastSent.set(connection, status)
    connection.sendStateless(JSON.stringify({ type: 'status', ...status } satisfies StatelessReply))
  }

  close(): void {
    for (const timer of this.pending.values()) clearTimeout(timer)
    this.pending.clear()
    this.visitors.clear()
  }
}
