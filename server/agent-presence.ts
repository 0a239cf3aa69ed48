/**
 * "Is anyone there?": the agents of a workspace with a live connection to this server (the
 * agent app keeps the inbox document open while it runs). Viewers do not answer, so they do not count.
 * With REDIS_URL, agents connected to another instance are not seen here (see README).
 *
 * Kept as counts updated on connect and disconnect: it is asked on every visitor-status pass and
 * availability request, and walking every connection each time cost a pass documents × connections.
 */
import type { Extension, connectedPayload, onDisconnectPayload } from '@hocuspocus/server'
import type { ConnectionContext } from './extensions/auth.ts'

export class AgentPresence implements Extension {
  priority = 150
  extensionName = 'parley-agent-presence'
  /** workspace → agent → open connections. */
  private counts = new Map<string, Map<string, number>>()

  /** Whether any agent of the workspace is connected (a workspace with none has no entry). */
  anyOnline(workspaceId: string): boolean {
    return this.counts.has(workspaceId)
  }

  /** Whether this agent has a live connection to this server. */
  isOnline(workspaceId: string, agentId: string): boolean {
    return (this.counts.get(workspaceId)?.get(agentId) ?? 0) > 0
  }

  async connected({ context }: connectedPayload): Promise<void> {
    const principal = (context as ConnectionContext | undefined)?.principal
    if (principal?.kind !== 'agent' || principal.role === 'viewer') return
    let agents = this.counts.get(principal.workspaceId)
    if (!agents) this.counts.set(principal.workspaceId, (agents = new Map()))
    agents.set(principal.agentId, (agents.get(principal.agentId) ?? 0) + 1)
  }

  async onDisconnect({ context }: onDisconnectPayload): Promise<void> {
    const principal = (context as ConnectionContext | undefined)?.principal
    if (principal?.kind !== 'agent' || principal.role === 'viewer') return
    const agents = this.counts.get(principal.workspaceId)
    const left = (agents?.get(principal.agentId) ?? 0) - 1
    if (left > 0) agents!.set(principal.agentId, left)
    else agents?.delete(principal.agentId)
    if (agents?.size === 0) this.counts.delete(principal.workspaceId)
  }
}
