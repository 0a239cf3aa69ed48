/**
 * Routing's shared vocabulary (issue 12): teams, inboxes, policies, availability, the bodies of
 * their HTTP API, and the parts of the inbox document the server writes for it (`routing`: each
 * conversation's team, reason and SLA due times; `availability`: each agent's state). Both parts
 * live in the inbox document, which only agents read: the customer never sees a routing reason.
 * The inbox document's parts are in routing-shape.ts (re-exported here), without valibot.
 */
import * as v from 'valibot'
import { AVAILABILITIES } from './routing-shape.ts'

export * from './routing-shape.ts'

export const POLICIES = ['manual', 'round-robin', 'least-loaded'] as const
export type Policy = (typeof POLICIES)[number]

const name = v.pipe(v.string(), v.trim(), v.minLength(1, 'must not be empty'), v.maxLength(100, 'must be at most 100 characters'))
const id = v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{1,80}$/, 'must be an id'))
const category = v.pipe(v.string(), v.trim(), v.toLowerCase(), v.minLength(1, 'must not be empty'), v.maxLength(100, 'must be at most 100 characters'))
const capacity = v.pipe(v.number('must be a number'), v.integer('must be a whole number'), v.minValue(0, 'must be 0 or more'), v.maxValue(100, 'must be at most 100'))
const minutes = v.nullable(v.pipe(v.number('must be a number'), v.integer('must be a whole number'), v.minValue(1, 'must be at least 1 minute'), v.maxValue(60 * 24 * 60, 'must be at most 60 days')))

export const TeamBody = v.strictObject({
  name,
  members: v.optional(v.pipe(v.array(id), v.maxLength(500, 'must list at most 500 agents')), []),
  /** AI categories this team handles (AI routing sends them here). */
  categories: v.optional(v.pipe(v.array(category), v.maxLength(50, 'must list at most 50 categories')), []),
  /** Overrides each member's own capacity while working this team's conversations; null: their own. */
  capacity: v.optional(v.nullable(capacity), null),
})
export const TeamPatchBody = v.strictObject({
  name: v.optional(name),
  members: v.optional(v.pipe(v.array(id), v.maxLength(500, 'must list at most 500 agents'))),
  categories: v.optional(v.pipe(v.array(category), v.maxLength(50, 'must list at most 50 categories'))),
  capacity: v.optional(v.nullable(capacity)),
})
export const InboxBody = v.strictObject({
  name,
  /** null: routes to everyone in the workspace. */
  teamId: v.optional(v.nullable(id), null),
  policy: v.optional(v.picklist(POLICIES, `must be one of ${POLICIES.join(', ')}`), 'manual'),
  firstResponseMinutes: v.optional(minutes, null),
  resolutionMinutes: v.optional(minutes, null),
  /** Widgets that belong to this inbox. */
  widgetIds: v.optional(v.pipe(v.array(id), v.maxLength(100)), []),
  isDefault: v.optional(v.boolean('must be true or false'), false),
})
export const InboxPatchBody = v.strictObject({
  name: v.optional(name),
  teamId: v.optional(v.nullable(id)),
  policy: v.optional(v.picklist(POLICIES, `must be one of ${POLICIES.join(', ')}`)),
  firstResponseMinutes: v.optional(minutes),
  resolutionMinutes: v.optional(minutes),
  widgetIds: v.optional(v.pipe(v.array(id), v.maxLength(100))),
  isDefault: v.optional(v.literal(true, 'can only be set to true (make another inbox the default instead)')),
})
export const SLA_WARNING_MAX_MINUTES = 24 * 60
export const RoutingSettingsBody = v.strictObject({
  /** AI routing: a classification at least this confident goes straight to its category's team. */
  confidenceThreshold: v.optional(v.pipe(v.number('must be a number'), v.minValue(0, 'must be from 0 to 1'), v.maxValue(1, 'must be from 0 to 1'))),
  /** An online agent with no activity for this long counts as Away. */
  autoAwayMinutes: v.optional(v.pipe(v.number('must be a number'), v.integer('must be a whole number'), v.minValue(1, 'must be at least 1'), v.maxValue(24 * 60, 'must be at most 1440'))),
  /**
   * "SLA about to breach" emails go out this long before a due time, or at this share of the
   * target when that is sooner (a 30-minute target warns 6 minutes before it, not at once).
   */
  slaWarningMinutes: v.optional(v.pipe(v.number('must be a number'), v.integer('must be a whole number'), v.minValue(1, 'must be at least 1'), v.maxValue(SLA_WARNING_MAX_MINUTES, `must be at most ${SLA_WARNING_MAX_MINUTES}`))),
  slaWarningPercent: v.optional(v.pipe(v.number('must be a number'), v.integer('must be a whole number'), v.minValue(1, 'must be from 1 to 100'), v.maxValue(100, 'must be from 1 to 100'))),
})
export type RoutingSettings = Required<v.InferOutput<typeof RoutingSettingsBody>>
export const DEFAULT_ROUTING_SETTINGS: RoutingSettings = { confidenceThreshold: 0.85, autoAwayMinutes: 10, slaWarningMinutes: 15, slaWarningPercent: 20 }

/** How long before a due time its warning goes out: the smaller of the minutes and the share of the target. */
export const slaWarningLeadMs = (settings: Pick<RoutingSettings, 'slaWarningMinutes' | 'slaWarningPercent'>, targetMs: number): number =>
  Math.min(settings.slaWarningMinutes * 60_000, Math.max(0, targetMs) * settings.slaWarningPercent / 100)

export const AvailabilityBody = v.strictObject({ availability: v.picklist(AVAILABILITIES, `must be one of ${AVAILABILITIES.join(', ')}`) })
export const AgentCapacityBody = v.strictObject({ capacity })
export const TransferBody = v.pipe(v.strictObject({
  agentId: v.optional(v.nullable(id)),
  teamId: v.optional(v.nullable(id)),
  note: v.optional(v.pipe(v.string(), v.trim(), v.maxLength(5000, 'must be at most 5000 characters'))),
}), v.check((b) => !(b.agentId && b.teamId) && (b.agentId !== undefined || b.teamId !== undefined), 'name an agentId or a teamId (agentId null: back to its queue, unassigned)'))

/** The server's answer to a Take: `taken: false` names who has it (the button becomes "Taken by …"). */
export interface TakeReply { taken: boolean; assignee: { id: string; name: string } | null }

/** The transcript's system events (kind 'event'), worded once for the server and the apps. */
export const routingEventText = {
  joined: (agent: string) => `${agent} joined the conversation`,
  nowTalkingWith: (agent: string) => `You are now talking with ${agent}`,
  resolved: () => 'This conversation was resolved',
  taken: (agent: string) => `${agent} took the conversation`,
  assigned: (agent: string, by: string) => `${by} assigned the conversation to ${agent}`,
  autoAssigned: (agent: string, policy: string, queue: string) => `Assigned to ${agent} by ${policy} (${queue})`,
  transferredToAgent: (agent: string, by: string) => `${by} transferred the conversation to ${agent}`,
  transferredToTeam: (team: string, by: string) => `${by} transferred the conversation to ${team}`,
  priority: (priority: string, by: string) => `${by} changed the priority to ${priority}`,
  resolvedBy: (by: string) => `${by} resolved the conversation`,
  reopened: (by: string) => `${by} reopened the conversation`,
  reopenedByCustomer: (customer: string) => `${customer} wrote again and reopened the conversation`,
  /** Who the bot's events are named after (its messages' author is "Assistant"). */
  botName: () => 'The assistant',
  routed: (team: string, category: string, confidence: number) => `routed to ${team}: category ${category}, confidence ${confidence.toFixed(2)}`,
} as const
