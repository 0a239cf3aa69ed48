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

export const CONVERSATION_EVENT_KINDS = ['created', 'bot_replied', 'escalated', 'assigned', 'unassigned', 'first_human_reply', 'human_reply', 'resolved', 'reopened', 'snoozed', 'csat', 'sla_breached'] as const
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
  first_response_due_at: number | null
  resolution_due_at: number | null
  first_response_at: number | null
  resolved_at: number | null
  first_response_breached_at: number | null
  resolution_breached_at: number | null
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
export type Conversation = Selectable<ConversationTable>
export type ConversationRow = Insertable<ConversationTable>
export type ConversationUpdate = Updateable<ConversationTable>
export type MessageRow = Selectable<MessageTable>
export type Article = Selectable<ArticleTable>
export type CannedResponse = Selectable<CannedResponseTable>
export type ConversationEvent = Selectable<ConversationEventTable>
export type Team = Selectable<TeamTable>
export type Inbox = Selectable<InboxTable>
export type ConversationRouting = Selectable<ConversationRoutingTable>
export type Unused = ColumnType<never>
