/**
 * Tells each visitor's widget, live, where their conversation stands: its status, its place in
 * the queue and whether any agent is online. Sent as a stateless `status` message when the
 * visitor connects, and again whenever the workspace's inbox changes or an agent comes or goes.
 * Visitors cannot read the inbox document; this sends each one only their own position.
 */
import type { Connection, Extension, Hocuspocus, connectedPayload, onChangePayload, onDisconnectPayload } from '@hocuspocus/server'
import { formatConversationName, parseDocumentName, queuePosition, readMeta, sortQueue, type ConversationStatusReply, type InboxEntry, type StatelessReply } from '../../protocol/index.ts'
import { listOnlineAgents } from '../agent-presence.ts'
import type { InboxWriter } from '../inbox-writer.ts'
import type { Logger } from '../log.ts'
import type { ConnectionContext } from './auth.ts'

/** Coalesces bursts (an agent opening ten documents) into one round of messages. */
const DELAY_MS = 50

export class VisitorStatusExtension implements Extension {
  priority = 100
  extensionName = 'parley-visitor-status'
  private pending = new Map<string, NodeJS.Timeout>()
  private lastSent = new WeakMap<Connection, string>()

  constructor(private readonly getHocuspocus: () => Hocuspocus, private readonly inbox: InboxWriter, private readonly log: Logger) {}

  async connected({ context, connection }: connectedPayload): Promise<void> {
    const { principal, name } = context as ConnectionContext
    if (principal.kind === 'visitor' && name.kind === 'conversation') {
      const doc = this.getHocuspocus().documents.get(formatConversationName(name.id))
      if (doc) this.send(connection, this.statusOf(principal.workspaceId, name.id, readMeta(doc).status, await this.inbox.read(principal.workspaceId)))
    } else if (principal.kind === 'agent') this.schedule(principal.workspaceId)
  }

  async onDisconnect({ context }: onDisconnectPayload): Promise<void> {
    const principal = (context as ConnectionContext | undefined)?.principal
    if (principal?.kind === 'agent') this.schedule(principal.workspaceId)
  }

  async onChange({ documentName }: onChangePayload): Promise<void> {
    if (documentName.startsWith('inbox:')) this.schedule(parseDocumentName(documentName).id)
  }

  /** What a visitor of `conversationId` is told now. */
  async statusFor(workspaceId: string, conversationId: string, status: string): Promise<ConversationStatusReply> {
    return this.statusOf(workspaceId, conversationId, status, await this.inbox.read(workspaceId))
  }

  private statusOf(workspaceId: string, conversationId: string, status: string | undefined, entries: InboxEntry[]): ConversationStatusReply {
    return {
      status: status ?? 'bot',
      queuePosition: status === 'waiting' ? queuePosition(entries, conversationId) : null,
      agentsOnline: listOnlineAgents(this.getHocuspocus(), workspaceId).size > 0,
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
   * One pass over the loaded documents. What every visitor shares (agents online, the queue
   * order) is computed once per pass, not once per document: per document it made each pass
   * cost documents × connections, and under load passes run every DELAY_MS (bench/fan-out.ts).
   */
  private async broadcast(workspaceId: string): Promise<void> {
    const hocuspocus = this.getHocuspocus()
    let shared: { positions: Map<string, number>; agentsOnline: boolean } | null = null
    for (const document of hocuspocus.documents.values()) {
      if (!document.name.startsWith('conversation:')) continue
      const visitors = document.getConnections().filter((c) => {
        const principal = (c.context as ConnectionContext | undefined)?.principal
        return principal?.kind === 'visitor' && principal.workspaceId === workspaceId
      })
      if (visitors.length === 0) continue
      shared ??= {
        positions: new Map(sortQueue(await this.inbox.read(workspaceId)).map((entry, i) => [entry.id, i + 1])),
        agentsOnline: listOnlineAgents(hocuspocus, workspaceId).size > 0,
      }
      const id = parseDocumentName(document.name).id
      const status = readMeta(document).status ?? 'bot'
      const reply: ConversationStatusReply = { status, queuePosition: status === 'waiting' ? shared.positions.get(id) ?? null : null, agentsOnline: shared.agentsOnline }
      for (const connection of visitors) this.send(connection, reply)
    }
  }

  /** Sends a status only when it differs from the last one this connection was sent. */
  private send(connection: Connection, status: ConversationStatusReply): void {
    const payload = JSON.stringify({ type: 'status', ...status } satisfies StatelessReply)
    if (this.lastSent.get(connection) === payload) return
    this.lastSent.set(connection, payload)
    connection.sendStateless(payload)
  }

  close(): void {
    for (const timer of this.pending.values()) clearTimeout(timer)
    this.pending.clear()
  }
}
