/** Row types of every table. Timestamps are milliseconds since the epoch; JSON columns hold text. */
import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely'

export interface WorkspaceTable {
  id: string
  name: string
  /** JSON: per-workspace AI settings (see ai-worker). */
  ai_settings: string
  created_at: number
  /** sha256 of the token a mail server posts inbound email with; null until an admin makes one. */
  inbound_token_hash: string | null
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
  kind: 'invite' | 'reset'
  workspace_id: string
  agent_id: string | null
  email: string
  role: 'admin' | 'agent' | 'viewer' | null
  created_by: string | null
  created_at: number
  expires_at: number
  used_at: number | null
  revoked_at: number | null
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
}

export interface ContactTable {
  id: string
  workspace_id: string
  name: string | null
  email: string | null
  external_id: string | null
  fields: string
  created_at: number
  last_seen_at: number
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

export const CONVERSATION_EVENT_KINDS = ['created', 'bot_replied', 'escalated', 'assigned', 'unassigned', 'first_human_reply', 'human_reply', 'resolved', 'reopened', 'snoozed', 'csat'] as const
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

export interface Database {
  workspaces: WorkspaceTable
  agents: AgentTable
  sessions: SessionTable
  widgets: WidgetTable
  contacts: ContactTable
  conversations: ConversationTable
  messages: MessageTable
  doc_updates: DocUpdateTable
  doc_snapshots: DocSnapshotTable
  articles: ArticleTable
  canned_responses: CannedResponseTable
  conversation_events: ConversationEventTable
  workspace_members: WorkspaceMemberTable
  account_tokens: AccountTokenTable
  email_deliveries: EmailDeliveryTable
  inbound_emails: InboundEmailTable
}

export type Workspace = Selectable<WorkspaceTable>
export type Agent = Selectable<AgentTable>
export type Session = Selectable<SessionTable>
export type Widget = Selectable<WidgetTable>
export type Contact = Selectable<ContactTable>
export type Conversation = Selectable<ConversationTable>
export type ConversationRow = Insertable<ConversationTable>
export type ConversationUpdate = Updateable<ConversationTable>
export type MessageRow = Selectable<MessageTable>
export type Article = Selectable<ArticleTable>
export type CannedResponse = Selectable<CannedResponseTable>
export type ConversationEvent = Selectable<ConversationEventTable>
export type WorkspaceMember = Selectable<WorkspaceMemberTable>
export type AccountToken = Selectable<AccountTokenTable>
export type EmailDelivery = Selectable<EmailDeliveryTable>
export type Unused = ColumnType<never>
