/**
 * Integrations (issue 16): API keys, the REST writes other systems make, webhook subscriptions
 * and the events they receive. The schemas validate the requests and describe them in
 * /api/openapi.json (server/openapi), so the description is never written twice.
 */
import * as v from 'valibot'
import { MAX_MESSAGE_LENGTH, PRIORITIES } from './conversation.ts'

const text = (min: number, max: number) => v.pipe(v.string(), v.trim(), v.minLength(min, 'must not be empty'), v.maxLength(max, `must be at most ${max} characters`))
/** The idempotency key a client gives: a retry with the same id changes nothing and answers the same. */
const clientId = v.pipe(v.string(), v.regex(/^[A-Za-z0-9_:.-]{8,80}$/, 'must be 8–80 letters, digits, _ : . or -'))
const agentId = v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{1,80}$/, 'must be an agent id'))

export const API_KEY_SCOPES = ['read', 'write', 'admin'] as const
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number]
/** A key's token starts so: the server tells it from a session token without a lookup. */
export const API_KEY_PREFIX = 'pk_'

export const CreateApiKeyBody = v.strictObject({
  name: text(1, 100),
  scope: v.picklist(API_KEY_SCOPES, 'must be read, write or admin'),
})

/** Every event a webhook can subscribe to. */
export const WEBHOOK_EVENTS = [
  'conversation.created', 'message.created', 'conversation.escalated', 'conversation.assigned', 'conversation.unassigned',
  'conversation.snoozed', 'conversation.resolved', 'conversation.reopened', 'conversation.csat', 'contact.created', 'contact.updated',
] as const
export type WebhookEventType = (typeof WEBHOOK_EVENTS)[number]
/** The version of the body's shape; a receiver checks it before reading `data`. */
export const WEBHOOK_PAYLOAD_VERSION = 1
export const SIGNATURE_HEADER = 'parley-signature'
/** The event of a test delivery an admin asks for (POST /api/webhooks/:id/ping); never subscribed to, always sent. */
export const WEBHOOK_PING_EVENT = 'webhook.ping'

const webhookUrl = v.pipe(v.string(), v.trim(), v.maxLength(2048), v.url('must be a URL'), v.regex(/^https?:\/\//, 'must be an http or https URL'))

export const CreateWebhookBody = v.strictObject({
  name: text(1, 100),
  url: webhookUrl,
  events: v.pipe(v.array(v.picklist(WEBHOOK_EVENTS, `must be one of ${WEBHOOK_EVENTS.join(', ')}`)), v.minLength(1, 'must name at least one event')),
})

export const UpdateWebhookBody = v.strictObject({
  name: v.optional(text(1, 100)),
  url: v.optional(webhookUrl),
  events: v.optional(v.pipe(v.array(v.picklist(WEBHOOK_EVENTS, `must be one of ${WEBHOOK_EVENTS.join(', ')}`)), v.minLength(1, 'must name at least one event'))),
  /** true re-enables a webhook that was disabled after failing; its waiting deliveries go out. */
  active: v.optional(v.boolean()),
})

/** Rolls a webhook's signing secret; the old one keeps signing beside the new one for `keepPreviousHours` (24 by default, 0 ends it at once) while receivers are updated. */
export const RotateWebhookSecretBody = v.strictObject({
  keepPreviousHours: v.optional(v.pipe(v.number(), v.integer('must be a whole number of hours'), v.minValue(0, 'must be 0 to 168'), v.maxValue(168, 'must be 0 to 168'))),
})

export const DeliveryLogQuery = v.strictObject({
  webhookId: v.optional(v.pipe(v.string(), v.maxLength(80))),
  event: v.optional(v.picklist([...WEBHOOK_EVENTS, WEBHOOK_PING_EVENT])),
  status: v.optional(v.picklist(['pending', 'succeeded', 'failed'])),
  /** Milliseconds since the epoch, inclusive. */
  from: v.optional(v.pipe(v.string(), v.transform(Number), v.integer('must be a time in ms'), v.minValue(0))),
  to: v.optional(v.pipe(v.string(), v.transform(Number), v.integer('must be a time in ms'), v.minValue(0))),
  limit: v.optional(v.pipe(v.string(), v.transform(Number), v.integer('must be an integer'), v.minValue(1), v.maxValue(200))),
  /** The `seq` of the last delivery of the previous page. */
  before: v.optional(v.pipe(v.string(), v.transform(Number), v.integer('must be an integer'))),
})

/** REST writes into a conversation (server/http/conversation-writes.routes.ts). */
const entityId = v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{8,64}$/, 'must be 8–64 letters, digits, _ or -'))

export const ApiCreateConversationBody = v.strictObject({
  /** Becomes the conversation's id: creating it again with the same id answers the same conversation. */
  id: entityId,
  contactId: v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{1,80}$/, 'must be a contact id')),
  /** A first message from the team, optional. */
  message: v.optional(v.strictObject({ text: text(1, MAX_MESSAGE_LENGTH) })),
  subject: v.optional(text(1, 300)),
})

export const ApiMessageBody = v.strictObject({
  id: clientId,
  text: text(1, MAX_MESSAGE_LENGTH),
  /** `note`: private, into the internal document the customer never receives. */
  kind: v.optional(v.picklist(['message', 'note'])),
  /** Writes as this agent of the workspace; by default the agent who made the key (or is signed in). */
  agentId: v.optional(agentId),
})

/** Each action carries the client's id for it: a retry of the same id answers as the first time and changes nothing. */
export const ApiAssignBody = v.strictObject({ id: clientId, assignee: v.nullable(agentId) })
export const ApiPriorityBody = v.strictObject({ id: clientId, priority: v.picklist(PRIORITIES) })
export const ApiLabelsBody = v.strictObject({ id: clientId, labels: v.pipe(v.array(text(1, 50)), v.maxLength(50)) })
export const ApiStatusBody = v.strictObject({ id: clientId, status: v.picklist(['open', 'waiting', 'resolved']) })
export const ApiSnoozeBody = v.strictObject({ id: clientId, until: v.pipe(v.number(), v.integer('must be a time in ms'), v.minValue(0)) })
export const ApiResolveBody = v.strictObject({ id: clientId })

/** The body of every webhook request. */
export interface WebhookPayload {
  version: typeof WEBHOOK_PAYLOAD_VERSION
  /** Unique per event: a receiver that sees an id twice (at least once) ignores the second. */
  id: string
  type: WebhookEventType
  workspaceId: string
  /** When it happened (ms since the epoch). */
  occurredAt: number
  data: Record<string, unknown>
}
