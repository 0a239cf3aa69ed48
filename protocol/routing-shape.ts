/**
 * Routing's parts of the inbox document (issue 12), without the HTTP bodies' schemas (routing.ts,
 * which re-exports this): the agent app's inbox reads them on its first screen, and importing
 * routing.ts there brought valibot and every routing body into the first load (bench/agent-app.ts).
 */
import type * as Y from 'yjs'

export const AVAILABILITIES = ['online', 'away', 'offline'] as const
export type Availability = (typeof AVAILABILITIES)[number]

/** One conversation's routing, in the inbox document's `routing` map (agents only). */
export interface RoutingEntry {
  teamId: string | null
  inboxId: string | null
  /** Why it is in this queue ("routed to Billing: category billing, confidence 0.93"). */
  reason: string | null
  firstResponseDueAt: number | null
  resolutionDueAt: number | null
  firstResponseBreached: boolean
  resolutionBreached: boolean
}

/** One agent's state, in the inbox document's `availability` map. */
export interface AgentAvailability { availability: Availability; since: number }

export const INBOX_ROUTING_ROOT = 'routing'
export const INBOX_AVAILABILITY_ROOT = 'availability'
export const getInboxRouting = (doc: Y.Doc): Y.Map<RoutingEntry> => doc.getMap<RoutingEntry>(INBOX_ROUTING_ROOT)
export const getInboxAvailability = (doc: Y.Doc): Y.Map<AgentAvailability> => doc.getMap<AgentAvailability>(INBOX_AVAILABILITY_ROOT)
