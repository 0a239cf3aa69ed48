/**
 * Tells each visitor's widget, live, where their conversation stands: its status, its place in
 * the queue and whether any agent is online. Sent as a stateless `status` message when the
 * visitor connects, and again whenever the workspace's inbox changes or an agent comes or goes.
 * Visitors cannot read the inbox document; this sends each one only their own position.
 */
import type { Connection, Extension, Hocuspocus, connectedPayload, onChangePayload, onDisconnectPayload } from '@hocuspocus/server'
import { formatConversationName, parseDocumentName, queuePosition, readMeta, type ConversationStatusReply, type InboxEntry, type StatelessReply } from '../../protocol/index.ts'
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

  private async broadcast(workspaceId: string): Promise<void> {
    const hocuspocus = this.getHocuspocus()
    let entries: InboxEntry[] | null = null
    for (const document of hocuspocus.documents.values()) {
      if (!document.name.startsWith('conversation:')) continue
      const visitors = document.getConnections().filter((c) => {
        const principal = (c.context as ConnectionContext | undefined)?.principal
        return principal?.kind === 'visitor' && principal.workspaceId === workspaceId
      })
      if (visitors.length === 0) continue
      entries ??= await this.inbox.read(workspaceId)
      const status = this.statusOf(workspaceId, parseDocumentName(document.name).id, readMeta(document).status, entries)
      for (const connection of visitors) this.send(connection, status)
    }
  }

  private send(connection: Connection, status: ConversationStatusReply): void {
    connection.sendStateless(JSON.stringify({ type: 'status', ...status } satisfies StatelessReply))
  }

  close(): void {
    for (const timer of this.pending.values()) clearTimeout(timer)
    this.pending.clear()
  }
}
