/**
 * Wire messages: every HTTP body and stateless message, as schemas that give both the
 * TypeScript type and the runtime check. Client and server import the same definitions.
 */
import * as v from 'valibot'
import { AttachmentSchema, MAX_MESSAGE_LENGTH, PRIORITIES, CONVERSATION_STATUSES } from './conversation.ts'
import { ParleyError } from './errors.ts'
import { UI_LOCALES } from './i18n.ts'
import { LANGUAGES } from './messages.ts'

const text = (min: number, max: number) => v.pipe(v.string(), v.trim(), v.minLength(min, `must not be empty`), v.maxLength(max, `must be at most ${max} characters`))
const email = v.pipe(v.string(), v.trim(), v.toLowerCase(), v.email('must be an email address'), v.maxLength(320))
const messageId = v.pipe(v.string(), v.regex(/^[A-Za-z0-9_:.-]{8,80}$/, 'must be 8–80 letters, digits, _ : . or -'))

export const ROLES = ['owner', 'admin', 'agent', 'viewer'] as const
export type Role = (typeof ROLES)[number]

export const SignInBody = v.strictObject({ email, password: v.pipe(v.string(), v.minLength(1, 'must not be empty'), v.maxLength(1000)) })
export const ChangePasswordBody = v.strictObject({
  currentPassword: v.pipe(v.string(), v.minLength(1, 'must not be empty'), v.maxLength(1000)),
  newPassword: v.pipe(v.string(), v.minLength(10, 'must be at least 10 characters'), v.maxLength(1000)),
})
export const CreateAgentBody = v.strictObject({
  email,
  name: text(1, 200),
  role: v.picklist(ROLES.filter((r) => r !== 'owner') as ['admin', 'agent', 'viewer']),
  password: v.pipe(v.string(), v.minLength(10, 'must be at least 10 characters'), v.maxLength(1000)),
})
export const UpdateAgentBody = v.strictObject({
  name: v.optional(text(1, 200)),
  role: v.optional(v.picklist(['admin', 'agent', 'viewer'])),
  active: v.optional(v.boolean()),
})

const colour = v.pipe(v.string(), v.regex(/^#[0-9a-fA-F]{6}$/, 'must be a colour like #1f6feb'))
const PrechatField = v.strictObject({
  name: v.pipe(v.string(), v.regex(/^[a-z][a-z0-9_]{0,39}$/, 'must be a lower-case identifier')),
  label: text(1, 100),
  type: v.picklist(['text', 'email']),
  required: v.boolean(),
})
export const WidgetBody = v.strictObject({
  name: text(1, 200),
  title: v.optional(text(1, 100)),
  welcomeMessage: v.optional(v.pipe(v.string(), v.maxLength(1000))),
  primaryColor: v.optional(colour),
  position: v.optional(v.picklist(['left', 'right'])),
  businessName: v.optional(v.pipe(v.string(), v.maxLength(200))),
  avatarUrl: v.optional(v.pipe(v.string(), v.maxLength(2048))),
  prechat: v.optional(v.strictObject({ enabled: v.boolean(), fields: v.pipe(v.array(PrechatField), v.maxLength(10)) })),
  allowedOrigins: v.optional(v.pipe(v.array(v.pipe(v.string(), v.maxLength(300))), v.maxLength(50))),
  maxAttachmentBytes: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(100 * 1024 * 1024))),
  /** The widget's language: 'auto' follows the visitor's browser; a language code forces it. */
  language: v.optional(v.picklist(['auto', ...UI_LOCALES], 'must be auto or one of ' + UI_LOCALES.join(', '))),
})
export const WidgetPatchBody = v.partial(WidgetBody)
export type WidgetConfig = Required<Omit<v.InferOutput<typeof WidgetBody>, 'allowedOrigins'>> & { siteKey: string }

export const VisitorSessionBody = v.strictObject({
  siteKey: v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{8,64}$/, 'must be a site key')),
  /** A visitor token this browser already holds: resumes that visitor instead of making a new one. */
  resumeToken: v.optional(v.pipe(v.string(), v.maxLength(200))),
  userId: v.optional(text(1, 200)),
  userHash: v.optional(v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/, 'must be a hex HMAC-SHA256'))),
  name: v.optional(text(1, 200)),
  email: v.optional(email),
  fields: v.optional(v.record(v.pipe(v.string(), v.maxLength(40)), v.pipe(v.string(), v.maxLength(1000)))),
  /** Custom attributes from `Parley.identify` (issue 13), checked against the workspace's definitions. */
  attributes: v.optional(v.record(v.pipe(v.string(), v.maxLength(40)), v.nullable(v.union([v.string(), v.number(), v.boolean()])))),
  page: v.optional(v.pipe(v.string(), v.maxLength(2048))),
})

export const CustomerMessageBody = v.strictObject({
  id: messageId,
  text: v.pipe(v.string(), v.maxLength(MAX_MESSAGE_LENGTH, `must be at most ${MAX_MESSAGE_LENGTH} characters`)),
  attachments: v.optional(v.pipe(v.array(AttachmentSchema), v.maxLength(10))),
})
export type CustomerMessage = v.InferOutput<typeof CustomerMessageBody>

export const CreateConversationBody = v.strictObject({
  /** The first message, optional: a conversation can be opened before the visitor types. */
  message: v.optional(CustomerMessageBody),
  page: v.optional(v.pipe(v.string(), v.maxLength(2048))),
  /** The widget it was opened from (shown to agents); must belong to the visitor's workspace. */
  siteKey: v.optional(v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{8,64}$/, 'must be a site key'))),
  /** The language the widget speaks to this visitor: the bot's language until they write. */
  language: v.optional(v.picklist(LANGUAGES, 'must be a language code Parley knows')),
})

export const ConversationListQuery = v.strictObject({
  status: v.optional(v.picklist(CONVERSATION_STATUSES)),
  assignee: v.optional(v.pipe(v.string(), v.maxLength(80))),
  priority: v.optional(v.picklist(PRIORITIES)),
  q: v.optional(v.pipe(v.string(), v.maxLength(500))),
  cursor: v.optional(v.pipe(v.string(), v.maxLength(200))),
  limit: v.optional(v.pipe(v.string(), v.transform(Number), v.integer('must be an integer'), v.minValue(1), v.maxValue(200))),
})


export const ArticleBody = v.strictObject({ title: text(1, 300), body: text(1, 100_000), tags: v.optional(v.array(text(1, 50))) })
export const CannedBody = v.strictObject({ shortcut: v.pipe(v.string(), v.regex(/^[a-z0-9_-]{1,40}$/, 'must be lower-case letters, digits, _ or -')), title: text(1, 200), body: text(1, 10_000) })

/** Stateless messages on a conversation document (`provider.sendStateless(JSON.stringify(msg))`). */
export const StatelessMessage = v.variant('type', [
  v.strictObject({ type: v.literal('customer-message'), message: CustomerMessageBody }),
  v.strictObject({ type: v.literal('typing'), typing: v.boolean() }),
  v.strictObject({ type: v.literal('seen'), count: v.pipe(v.number(), v.integer(), v.minValue(0)) }),
])
export type StatelessMessage = v.InferOutput<typeof StatelessMessage>

/** Server → client stateless replies. */
export type StatelessReply =
  | { type: 'customer-message-result'; id: string; ok: true; duplicate: boolean }
  | { type: 'customer-message-result'; id: string; ok: false; error: { code: string; message: string; field?: string; retryAfterSeconds?: number } }
  | { type: 'typing'; role: 'customer' | 'agent' | 'bot'; name: string; typing: boolean }
  | { type: 'seen'; role: 'customer' | 'agent' | 'bot'; name: string; count: number }
  | ({ type: 'status' } & ConversationStatusReply)
  /** On the inbox, to agents: this instance's link to the other instances (Redis) is down, or back. */
  | { type: 'server-link'; state: 'ok' | 'degraded' }

/** Widget: a visitor's one-click rating of a resolved conversation (`POST /api/widget/conversations/:id/csat`). */
export const CsatBody = v.strictObject({
  rating: v.pipe(v.number(), v.integer('must be a whole number'), v.minValue(1, 'must be from 1 to 5'), v.maxValue(5, 'must be from 1 to 5')),
  comment: v.optional(v.pipe(v.string(), v.trim(), v.maxLength(2000, 'must be at most 2000 characters'))),
})

/** Widget: "leave a message" when nobody is there (`POST /api/widget/conversations/:id/contact`). */
export const LeaveEmailBody = v.strictObject({ email, name: v.optional(text(1, 200)) })

/** Widget: the pre-chat form's values, checked against the widget's fields (`POST /api/widget/prechat`). */
export const PrechatBody = v.strictObject({
  siteKey: v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{8,64}$/, 'must be a site key')),
  values: v.record(v.pipe(v.string(), v.maxLength(40)), v.pipe(v.string(), v.maxLength(1000))),
})

/** Whether anyone can answer now: `GET /api/public/widgets/:siteKey/availability`. */
/** nextOpenAt: when business hours next begin (epoch ms), null while open or with no hours set. */
/** `typicalWaitMinutes`: the median wait for a person over the last week ("a person usually answers in N min"); null when unknown. */
export interface WidgetAvailability { agentsOnline: boolean; botEnabled: boolean; withinBusinessHours: boolean; nextOpenAt: number | null; typicalWaitMinutes?: number | null }

/** A visitor's view of their conversation's place: pushed as a stateless `status`, or `GET …/status`. */
export interface ConversationStatusReply { status: string; queuePosition: number | null; agentsOnline: boolean }

/** Parses untrusted input with a schema; a failure is a `bad-request` naming the first bad field. */
export function parseInput<S extends v.GenericSchema>(schema: S, value: unknown): v.InferOutput<S> {
  // valibot's object schemas accept arrays (typeof [] is 'object'); a body must be a JSON object.
  if (Array.isArray(value) && /object/.test((schema as { type: string }).type)) throw new ParleyError('bad-request', '(body): must be a JSON object', '(body)')
  const result = v.safeParse(schema, value)
  if (result.success) return result.output
  const issue = result.issues[0]
  const path = v.getDotPath(issue) ?? (issue.kind === 'schema' && issue.received !== 'Object' ? '(body)' : undefined)
  const field = path ?? unknownKey(issue) ?? '(body)'
  throw new ParleyError('bad-request', `${field}: ${issue.message}`, field)
}

function unknownKey(issue: v.BaseIssue<unknown>): string | undefined {
  return issue.path?.map((item) => String(item.key)).join('.')
}

/** The categories a conversation is classified into unless the workspace sets its own. */
export const DEFAULT_CATEGORIES = ['technical', 'billing', 'account', 'sales', 'general', 'sensitive'] as const
export const MAX_CATEGORIES = 30
const Category = v.pipe(v.string(), v.trim(), v.toLowerCase(), v.minLength(1, 'must not be empty'), v.maxLength(40, 'must be at most 40 characters'),
  v.regex(/^[\p{L}\p{N}][\p{L}\p{N} _&-]*$/u, 'must be letters, digits, spaces, _ & or -'))
export const CategoriesSchema = v.pipe(
  v.array(Category),
  v.minLength(1, 'must have at least one category'),
  v.maxLength(MAX_CATEGORIES, `must have at most ${MAX_CATEGORIES} categories`),
  v.check((list) => new Set(list).size === list.length, 'must not name a category twice'),
)

const hhmm = v.pipe(v.string(), v.regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time like 09:00'))
/** Per-workspace AI settings (`GET`/`PUT /api/settings/ai`). */
export const AiSettingsBody = v.strictObject({
  enabled: v.boolean(),
  /** The persona / system prompt the model is given. */
  persona: v.pipe(v.string(), v.maxLength(4000)),
  /** Sent by the bot when a conversation starts; empty for none. */
  greeting: v.pipe(v.string(), v.maxLength(1000)),
  /** Below this confidence the bot escalates instead of answering. */
  confidenceThreshold: v.pipe(v.number(), v.minValue(0), v.maxValue(1)),
  /** A pause before the bot answers, for a natural feel (0 or absent: none). */
  responseDelayMs: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(10_000))),
  /** What the classifier (built-in or model) files a conversation under; absent: DEFAULT_CATEGORIES. */
  categories: v.optional(CategoriesSchema),
  /** When humans are around; outside these hours the widget offers to take an email. Null: always. */
  businessHours: v.nullable(v.strictObject({
    timezone: v.pipe(v.string(), v.maxLength(64), v.check((tz) => { try { new Intl.DateTimeFormat('en', { timeZone: tz }); return true } catch { return false } }, 'must be an IANA time zone')),
    // A day that closes before it opens is refused when saved (settings.routes.ts), not here:
    // stored settings from before that rule must still read.
    days: v.record(v.picklist(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']), v.strictObject({ open: hhmm, close: hhmm })),
    /** Days closed whatever the weekday says (public holidays, a team day), in the workspace's zone. */
    holidays: v.optional(v.pipe(v.array(v.strictObject({
      date: v.pipe(v.string(), v.isoDate('must be a date like 2026-12-25')),
      name: v.optional(v.pipe(v.string(), v.trim(), v.maxLength(100))),
    })), v.maxLength(100, 'at most 100 holidays'))),
  })),
})
export type AiSettings = v.InferOutput<typeof AiSettingsBody>

export const DEFAULT_AI_SETTINGS: AiSettings = {
  enabled: true,
  persona: 'You are a friendly, concise support assistant. Answer only from the knowledge base; when unsure, hand over to a human.',
  greeting: 'Hi! I am the support assistant. Ask me anything, or ask for a person at any time.',
  confidenceThreshold: 0.5,
  categories: [...DEFAULT_CATEGORIES],
  businessHours: null,
}
