/**
 * The agent's own document (`agent:<id>`): read markers, synced so unread counts follow the agent
 * across devices, and preferences (language, sound) that follow them the same way.
 */
import { createSignal, onCleanup } from 'solid-js'
import { getPreferences, getReadMarkers } from '../../protocol/agent-state.ts'
import { formatAgentName } from '../../protocol/document-name.ts'
import type { SyncHub } from '../io/sync.ts'

export type AgentStateStore = ReturnType<typeof createAgentStateStore>

/** What an agent chooses for themselves; absent keys take the defaults. */
export interface AgentPreferences {
  /** 'auto' (the browser's) or a UI language. */
  language: string
  /** A short sound when a conversation starts waiting or a customer writes in one of mine. */
  sound: boolean
}
const DEFAULTS: AgentPreferences = { language: 'auto', sound: false }

export function createAgentStateStore(hub: SyncHub, agentId: string) {
  const handle = hub.open(formatAgentName(agentId))
  const markers = getReadMarkers(handle.doc)
  const preferences = getPreferences(handle.doc)
  const [version, setVersion] = createSignal(0)
  const bump = () => setVersion((v) => v + 1)
  markers.observe(bump)
  preferences.observe(bump)
  onCleanup(() => { markers.unobserve(bump); preferences.unobserve(bump); handle.release() })

  return {
    /** Resolves once the local copy (IndexedDB) is read: preferences from before are known then. */
    loaded: handle.loaded,
    /** Messages of a conversation this agent has seen. */
    seen(conversationId: string): number {
      version()
      return markers.get(conversationId) ?? 0
    },
    markRead(conversationId: string, count: number): void {
      if ((markers.get(conversationId) ?? 0) < count) markers.set(conversationId, count)
    },
    preference<K extends keyof AgentPreferences>(key: K): AgentPreferences[K] {
      version()
      const value = preferences.get(key)
      return typeof value === typeof DEFAULTS[key] ? (value as AgentPreferences[K]) : DEFAULTS[key]
    },
    /** What the document holds for a preference; undefined when the agent never chose. */
    chosen<K extends keyof AgentPreferences>(key: K): AgentPreferences[K] | undefined {
      version()
      const value = preferences.get(key)
      return typeof value === typeof DEFAULTS[key] ? (value as AgentPreferences[K]) : undefined
    },
    setPreference<K extends keyof AgentPreferences>(key: K, value: AgentPreferences[K]): void {
      if (preferences.get(key) !== value) preferences.set(key, value)
    },
  }
}
