/** Row types of every table. Timestamps are milliseconds since the epoch; JSON columns hold text. */
import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely'

export interface WorkspaceTable {
  id: string
  name: string
  /** JSON: per-workspace AI settings (see ai-worker). */
  ai_settings: string
  /** JSON: routing settings (AI routing threshold, idle time before Away; protocol/routing.ts). */
  routing_settings: ColumnType<string, string | undefined, string>
  created_at: number
  /** The inbox document's generation (0: `inbox:<id>`); raised by a conditional write when the inbox is rotated. */
  inbox_generation: Generated<number>
  /** sha256 of the token a mail server posts inbound email with; null until an admin makes one. */
  inbound_token_hash: string | null
  /** Resolved conversations are erased this many days after their last activity; null: kept (server/housekeeping/retention.ts). */
  retention_days: ColumnType<number | null, number | null | undefined, number | null>
  /** When an instance last claimed the retention run (a conditional write: one instance at a time). */
  retention_claimed_at: ColumnType<number | null, number | null | undefined, number | null>
}

export interface AgentTable {
  id: string
  workspace_id: string
  email: string
  name: string
  role: 'owner' | 'admin' | 'agent' | 'viewer'
  password_hash: string
  active: number
  created_at: number
  /** Open conversations at once (routing); a team may override it. */
  capacity: ColumnType<number, number | undefined, number>
  /** What the agent chose: online, away or offline (the effective state also needs a connected device). */
  availability: ColumnType<string, string | undefined, string>
  last_active_at: ColumnType<number | null, number | null | undefined, number | null>
}

export interface SessionTable {
  /** sha256 of the opaque token: a stolen database does not yield usable tokens. */
  token_hash: string
  kind: 'agent' | 'visitor' | 'service'
  workspace_id: string
  agent_id: string | null
  contact_id: string | null
  created_at: number
  expires_at: number
  revoked_at: number | null
  /** The device it was made on (User-Agent, client address), listed under the agent's sessions. */
  user_agent: string | null
  ip: string | null
  /** The device's language (Accept-Language at sign-in): an agent's emails when their app follows the browser. */
  language: ColumnType<string | null, string | null | undefined, string | null>
}

/** An agent's place in one workspace: their role there, and their email notification choices. */
export interface WorkspaceMemberTable {
  workspace_id: string
  agent_id: string
  role: 'owner' | 'admin' | 'agent' | 'viewer'
  active: number
  /** JSON: which notification emails the agent gets (server/email/notifications.ts). */
  notify: string
  created_at: number
  /** Removed from the workspace: kept so their history stays attributed. */
  removed_at: number | null
}

/** An invitation or a password reset: only the hash of its link's token is kept. */
export interface AccountTokenTable {
  token_hash: string
  id: string
  /** `signup`: a pending open sign-up; its workspace_id is the workspace it will make. */
  kind: 'invite' | 'reset' | 'signup'
  workspace_id: string
  agent_id: string | null
  email: string
  role: 'admin' | 'agent' | 'viewer' | null
  created_by: string | null
  created_at: number
  expires_at: number
  used_at: number | null
  revoked_at: number | null
  /** JSON: what a pending sign-up asked for (`{ name, workspaceName }`); null for the other kinds. */
  details: ColumnType<string | null, string | null | undefined, string | null>
}

export type EmailStatus = 'queued' | 'sending' | 'sent' | 'retrying' | 'failed'

/** The email delivery log: what was sent to whom, rendered, and how its delivery went. */
export interface EmailDeliveryTable {
  id: string
  workspace_id: string
  kind: string
  recipient: string
  subject: string
  html: string
  text: string
  /** Ours, stable across retries: `<…@host>`. A reply's In-Reply-To names it. */
  message_id: string
  in_reply_to: string | null
  references: string | null
  conversation_id: string | null
  agent_id: string | null
  status: EmailStatus
  attempts: number
  last_error: string | null
  created_at: number
  updated_at: number
  sent_at: number | null
}

export interface InboundEmailTable {
  workspace_id: string
  message_id: string
  conversation_id: string
  created_at: number
}

export interface WidgetTable {
  id: string
  workspace_id: string
  site_key: string
  name: string
  /** JSON of the widget's look and behaviour. */
  config: string
  /** HMAC key for identity verification; never sent to browsers. */
  secret: string
  created_at: number
  updated_at: number
  /** The inbox it belongs to; null: the workspace's default inbox. */
  inbox_id: string | null
}

export interface ContactTable {
  id: string
  workspace_id: string
  name: string | null
  email: string | null
  external_id: string | null
  /** JSON object of free-form values (pre-chat fields no attribute is defined for). */
  fields: string
  created_at: number
  last_seen_at: number
  phone: string | null
  company: string | null
  avatar_url: string | null
  notes: Generated<string>
  /** JSON array of strings. */
  tags: Generated<string>
  /** JSON object of custom attribute values (protocol/contacts.ts). */
  attributes: Generated<string>
  /** Derived (db/contact-profile.ts): what full text and the list's name sort read. */
  search_text: Generated<string>
  sort_name: Generated<string>
  phone_rev: Generated<string>
  /** Set once this contact was merged into another: a tombstone that points on. */
  merged_into: string | null
  updated_at: Generated<number>
}

export interface ContactAttributeTable {
  id: string
  workspace_id: string
  key: string
  label: string
  type: string
  /** JSON array: a list attribute's values. */
  options: string
  created_at: number
  updated_at: number
}

export interface ContactAttributeValueTable {
  workspace_id: string
  contact_id: string
  key: string
  value_text: string
  value_num: number | null
}

export interface ContactMergeTable {
  source_id: string
  workspace_id: string
  target_id: string
  actor_id: string | null
  resolution: string
  source_snapshot: string
  conversations: number
  sessions: number
  at: number
}

export interface ConversationTable {
  id: string
  workspace_id: string
  contact_id: string
  widget_id: string | null
  status: string
  priority: string
  assignee_id: string | null
  subject: string
  preview: string
  labels: string
  category: string | null
  sentiment: string | null
  language: string | null
  escalation_reason: string | null
  csat_rating: number | null
  csat_comment: string | null
  message_count: number
  waiting_since: number | null
  /** Set while status is 'snoozed': when it comes back. */
  snoozed_until: number | null
  created_at: number
  updated_at: number
  last_activity_at: number
  /** Set when this conversation was merged into another (its survivor); it is then only a pointer. */
  merged_into: ColumnType<string | null, string | null | undefined, string | null>
  /** When retention erased it (server/housekeeping/retention.ts); null while it is kept. */
  retention_erased_at: ColumnType<number | null, number | null | undefined, number | null>
}

export interface MessageTable {
  conversation_id: string
  id: string
  workspace_id: string
  seq: number
  author_role: string
  author_id: string
  author_name: string
  kind: string
  text: string
  attachments: string
  created_at: number
}

export interface DocUpdateTable {
  id: Generated<number>
  doc_name: string
  data: Uint8Array
  created_at: number
}

export interface DocSnapshotTable {
  doc_name: string
  data: Uint8Array
  /** Bumped on every compaction, so an instance can tell another one wrote it. */
  version: number
  updated_at: number
}

export interface ArticleTable {
  id: string
  workspace_id: string
  title: string
  body: string
  tags: string
  /** Where an imported article came from (`zendesk:123`, `file:billing/refunds`); null when written in the app. */
  source_key: ColumnType<string | null, string | null | undefined, string | null>
  /** The article's public address in the help center it was imported from. */
  source_url: ColumnType<string | null, string | null | undefined, string | null>
  created_at: number
  updated_at: number
}

export interface CannedResponseTable {
  id: string
  workspace_id: string
  shortcut: string
  title: string
  body: string
  created_at: number
}

export const CONVERSATION_EVENT_KINDS = ['created', 'bot_replied', 'escalated', 'assigned', 'unassigned', 'first_human_reply', 'human_reply', 'resolved', 'reopened', 'snoozed', 'csat', 'contact_merged', 'merged', 'erased', 'sla_breached'] as const
export type ConversationEventKind = (typeof CONVERSATION_EVENT_KINDS)[number]

/** The event log (db/conversation-event.repository.ts): one row per thing that happened. */
export interface ConversationEventTable {
  /** Deterministic: `<conversation>:<kind>[:<what tells two apart>]`. */
  id: string
  workspace_id: string
  conversation_id: string
  kind: ConversationEventKind
  at: number
  /** Who did it, when the document says (a reply's author); null when it does not (a status change). */
  actor_id: string | null
  /** assigned: to whom; other kinds: the assignee at the time. */
  assignee_id: string | null
  /** assigned: from whom (a transfer); null when it was unassigned. */
  from_assignee_id: string | null
  priority: string | null
  /** escalated: the bot's reason. */
  reason: string | null
  rating: number | null
  comment: string | null
  /** snoozed: until when. */
  until_at: number | null
}

/** The audit trail of exports, erasures and merges (db/privacy.repository.ts). */
export interface PrivacyAuditTable {
  id: string
  workspace_id: string
  action: 'contact-exported' | 'contact-erased' | 'conversations-merged' | 'retention-erased' | 'retention-changed'
  actor_id: string
  contact_id: string | null
  conversation_id: string | null
  /** JSON: ids and counts, never the data itself. */
  detail: string
  at: number
}

export type ApiKeyScope = 'read' | 'write' | 'admin'

/** An API key (issue 16): only the sha256 of its token is kept; `prefix` is what the monitor shows. */
export interface ApiKeyTable {
  id: string
  workspace_id: string
  name: string
  scope: ApiKeyScope
  token_hash: string
  prefix: string
  /** The owner or admin who made it; the key writes as them unless a request names another agent. */
  created_by: string
  created_at: number
  last_used_at: number | null
  revoked_at: number | null
}

export interface ApiKeyRequestTable {
  id: Generated<number>
  key_id: string
  at: number
  method: string
  /** The route pattern, never the raw URL. */
  route: string
  status: number
  duration_ms: number
}

export interface WebhookSubscriptionTable {
  id: string
  workspace_id: string
  name: string
  url: string
  /** JSON array of event types. */
  events: string
  /** The HMAC key; shown to owners and admins, never to others. */
  secret: string
  /** The secret before the last rotation, still signing beside the new one until `previous_secret_until`. */
  previous_secret: string | null
  previous_secret_until: number | null
  active: number
  disabled_reason: string | null
  consecutive_failures: number
  /** When the current run of failed attempts began; null while the endpoint answers. */
  failing_since: number | null
  created_by: string
  created_at: number
  updated_at: number
}

export type WebhookDeliveryStatus = 'pending' | 'succeeded' | 'failed'

/** One event for one subscription: the outbox row, its state and its last outcome. */
export interface WebhookDeliveryTable {
  seq: Generated<number>
  id: string
  subscription_id: string
  workspace_id: string
  event_id: string
  event_type: string
  /** Deliveries of one stream (a conversation's or a contact's events) go out one at a time, in seq order. */
  stream_key: string
  /** The JSON body sent, exactly. */
  payload: string
  status: WebhookDeliveryStatus
  attempts: number
  next_attempt_at: number
  /** Set while an instance is sending it (a conditional write: one sender at a time). */
  lease_until: number | null
  last_error: string | null
  response_status: number | null
  duration_ms: number | null
  /** A redelivery asked for from the log names the delivery it repeats. */
  redelivery_of: string | null
  created_at: number
  delivered_at: number | null
}

export interface WebhookAttemptTable {
  seq: Generated<number>
  delivery_id: string
  subscription_id: string
  at: number
  ok: number
  response_status: number | null
  duration_ms: number
  error: string | null
  /** JSON of the headers sent (the signature among them). */
  request_headers: string
  /** The receiver's answer, cut to a few KB. */
  response_body: string | null
}

export interface IntegrationAlertTable {
  seq: Generated<number>
  workspace_id: string
  subject_kind: 'webhook' | 'api-key'
  subject_id: string
  level: 'warning' | 'error' | 'info'
  message: string
  created_at: number
}

/** A REST action by its client-given id: `key` is workspace and id; `response` is set once it is done. */
export interface ApiActionTable {
  key: string
  workspace_id: string
  action: string
  /** JSON of the request, to tell a retry from a different action reusing the id. */
  request: string
  response: string | null
  created_at: number
}

export interface TeamTable {
  id: string
  workspace_id: string
  name: string
  /** JSON array of the AI categories this team handles (AI routing sends them here). */
  categories: string
  /** Per-team capacity override; null: each member's own. */
  capacity: number | null
  created_at: number
}

export interface TeamMemberTable { team_id: string; agent_id: string; workspace_id: string }

export interface InboxTable {
  id: string
  workspace_id: string
  name: string
  /** null: routes to everyone in the workspace. */
  team_id: string | null
  policy: string
  first_response_minutes: number | null
  resolution_minutes: number | null
  is_default: number
  last_assigned_agent_id: string | null
  created_at: number
}

/** Routing state of one conversation; `assignee_id` is the authority on who has it (db/routing.repository.ts). */
export interface ConversationRoutingTable {
  conversation_id: string
  workspace_id: string
  inbox_id: string | null
  team_id: string | null
  assignee_id: string | null
  version: number
  assigned_at: number | null
  reason: string | null
  category: string | null
  confidence: number | null
  queued_at: number | null
  /** When the current SLA cycle started: the first queueing, then each reopen (server/routing/sla.ts). */
  sla_started_at: number | null
  first_response_due_at: number | null
  resolution_due_at: number | null
  first_response_at: number | null
  resolved_at: number | null
  first_response_breached_at: number | null
  resolution_breached_at: number | null
  /** When the "SLA about to breach" email of each target was claimed (sent once; server/routing/sla-warnings.ts). */
  first_response_warned_at: ColumnType<number | null, number | null | undefined, number | null>
  resolution_warned_at: ColumnType<number | null, number | null | undefined, number | null>
}

export interface Database {
  workspaces: WorkspaceTable
  agents: AgentTable
  sessions: SessionTable
  widgets: WidgetTable
  contacts: ContactTable
  contact_attributes: ContactAttributeTable
  contact_attribute_values: ContactAttributeValueTable
  contact_merges: ContactMergeTable
  conversations: ConversationTable
  messages: MessageTable
  doc_updates: DocUpdateTable
  doc_snapshots: DocSnapshotTable
  articles: ArticleTable
  canned_responses: CannedResponseTable
  conversation_events: ConversationEventTable
  privacy_audit: PrivacyAuditTable
  workspace_members: WorkspaceMemberTable
  account_tokens: AccountTokenTable
  email_deliveries: EmailDeliveryTable
  inbound_emails: InboundEmailTable
  api_keys: ApiKeyTable
  api_key_requests: ApiKeyRequestTable
  webhook_subscriptions: WebhookSubscriptionTable
  webhook_deliveries: WebhookDeliveryTable
  webhook_attempts: WebhookAttemptTable
  integration_alerts: IntegrationAlertTable
  api_actions: ApiActionTable
  teams: TeamTable
  team_members: TeamMemberTable
  inboxes: InboxTable
  conversation_routing: ConversationRoutingTable
}

export type Workspace = Selectable<WorkspaceTable>
export type Agent = Selectable<AgentTable>
export type Session = Selectable<SessionTable>
export type Widget = Selectable<WidgetTable>
export type Contact = Selectable<ContactTable>
export type ContactAttribute = Selectable<ContactAttributeTable>
export type ContactMerge = Selectable<ContactMergeTable>
export type Conversation = Selectable<ConversationTable>
export type ConversationRow = Insertable<ConversationTable>
export type ConversationUpdate = Updateable<ConversationTable>
export type MessageRow = Selectable<MessageTable>
export type Article = Selectable<ArticleTable>
export type CannedResponse = Selectable<CannedResponseTable>
export type ConversationEvent = Selectable<ConversationEventTable>
export type PrivacyAudit = Selectable<PrivacyAuditTable>
export type WorkspaceMember = Selectable<WorkspaceMemberTable>
export type AccountToken = Selectable<AccountTokenTable>
export type EmailDelivery = Selectable<EmailDeliveryTable>
export type Team = Selectable<TeamTable>
export type Inbox = Selectable<InboxTable>
export type ConversationRouting = Selectable<ConversationRoutingTable>
export type Unused = ColumnType<never>
export type ApiKey = Selectable<ApiKeyTable>
export type WebhookSubscription = Selectable<WebhookSubscriptionTable>
export type WebhookDelivery = Selectable<WebhookDeliveryTable>
export type WebhookAttempt = Selectable<WebhookAttemptTable>
export type IntegrationAlert = Selectable<IntegrationAlertTable>
