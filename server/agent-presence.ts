/**
 * "Is anyone there?": the agents of a workspace with a live connection to this server (the
 * agent app keeps the inbox document open while it runs). Viewers do not answer, so they do not count.
 * With REDIS_URL, agents connected to another instance are not seen here (see README).
 */
import type { Hocuspocus } from '@hocuspocus/server'
import type { ConnectionContext } from './extensions/auth.ts'

export function listOnlineAgents(hocuspocus: Hocuspocus, workspaceId: string): Set<string> {
  const agents = new Set<string>()
  for (const document of hocuspocus.documents.values()) {
    for (const connection of document.getConnections()) {
      const principal = (connection.context as ConnectionContext | undefined)?.principal
      if (principal?.kind === 'agent' && principal.workspaceId === workspaceId && principal.role !== 'viewer') agents.add(principal.agentId)
    }
  }
  return agents
}
