/** Per-agent document (`agent:<id>`): read markers and preferences, synced so they work offline. */
import * as Y from 'yjs'

export const AGENT_ROOT = { readMarkers: 'readMarkers', preferences: 'preferences' } as const

/** conversationId → number of messages the agent has seen. */
export const getReadMarkers = (doc: Y.Doc): Y.Map<number> => doc.getMap<number>(AGENT_ROOT.readMarkers)
export const getPreferences = (doc: Y.Doc): Y.Map<unknown> => doc.getMap(AGENT_ROOT.preferences)
