/** The agent's own document (`agent:<id>`): read markers, synced so unread counts follow the agent across devices. */
import { createSignal, onCleanup } from 'solid-js'
import { formatAgentName, getReadMarkers } from '../../protocol/index.ts'
import type { SyncHub } from '../io/sync.ts'

export type AgentStateStore = ReturnType<typeof createAgentStateStore>

export function createAgentStateStore(hub: SyncHub, agentId: string) {
  const handle = hub.open(formatAgentName(agentId))
  const markers = getReadMarkers(handle.doc)
  const [version, setVersion] = createSignal(0)
  const bump = () => setVersion((v) => v + 1)
  markers.observe(bump)
  onCleanup(() => { markers.unobserve(bump); handle.release() })

  return {
    /** Messages of a conversation this agent has seen. */
    seen(conversationId: string): number {
      version()
      return markers.get(conversationId) ?? 0
    },
    markRead(conversationId: string, count: number): void {
      if ((markers.get(conversationId) ?? 0) < count) markers.set(conversationId, count)
    },
  }
}
