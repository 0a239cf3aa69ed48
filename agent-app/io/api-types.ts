/** Shapes of the API's answers, as the server's routes write them (server/http/*.routes.ts). */
import type { AiSettings, AttributeDefinition, Availability, Classification, ContactRecord, ConversationStatus, MergeConflict, Message, Policy, Priority, Role, WidgetConfig } from '../../protocol/index.ts'

export interface AgentInfo { id: string; email: string; name: string; role: Role; active: boolean; workspaceId: string; capacity?: number }
export interface TeamInfo { id: string; name: string; members: string[]; categories: string[]; capacity: number | null; createdAt: number }
export interface InboxInfo { id: string; name: string; teamId: string | null; policy: Policy; firstResponseMinutes: number | null; resolutionMinutes: number | null; isDefault: boolean; widgetIds: string[]; createdAt: number }
export interface AvailabilityAnswer { items: { agentId: string; availability: Availability; since: number }[]; mine: Availability }
export interface SignInAnswer { token: string; expiresAt: number; agent: AgentInfo; workspace: { id: string; name: string } }
export interface MeAnswer { agent: { id: string; name: string; role: Role }; workspace: { id: string; name: string }; inboxDocument?: string }

export interface ConversationInfo {
  id: string; workspaceId: string; contactId: string; widgetId: string | null; status: ConversationStatus; priority: Priority
  assignee: string | null; subject: string; preview: string; labels: string[]
  classification: Pick<Classification, 'category' | 'sentiment' | 'language'> | null
  escalationReason: string | null; csat: { rating: number; comment: string | null } | null
  messageCount: number; waitingSince: number | null; createdAt: number; updatedAt: number; lastActivityAt: number
  /** Set when it was merged into another conversation (issue 13). */
  mergedInto?: string | null
}
/** A contact as the contacts API answers it (server/contacts/). */
export type ContactInfo = ContactRecord
export type ConversationDetail = ConversationInfo & { contact: ContactInfo | null }
export interface ConversationPage { items: (ConversationInfo & { contactName: string })[]; nextCursor: string | null }
export type ContactDetail = ContactInfo & { conversations: ConversationInfo[]; conversationsCursor: string | null }
export interface ContactPage { items: ContactInfo[]; nextCursor: string | null }
export interface MergePreview { target: ContactInfo; source: ContactInfo; conflicts: MergeConflict[] }
export interface MergeAnswer { contact: ContactInfo; alreadyMerged: boolean; merge: { sourceId: string; targetId: string; conversations: number; resolution: Record<string, string> } }
export interface Transcript { messages: Message[] }
export type { AttributeDefinition }

export interface SearchHit { conversationId: string; id: string; text: string; authorRole: string; authorName: string; kind: string; createdAt: number }
export interface CannedResponse { id: string; shortcut: string; title: string; body: string }
/** `source`: where an import took it from (`zendesk:123`); `url`: its public address there; `example`: the article a fresh install starts with. */
export interface Article { id: string; title: string; body: string; tags: string[]; source: string | null; url: string | null; example: boolean; createdAt: number; updatedAt: number }
export type Widget = WidgetConfig & { id: string; secret?: string }
export type { AiSettings }

export interface Items<T> { items: T[] }

export interface AuthOptions { signUp: boolean; signUpVerifiesEmail?: boolean; passwordReset: boolean }
/** With email, signing up answers this (whatever the address) and the emailed link finishes it. */
export interface SignUpPending { ok: true; verify: true; message: string }
export interface SignUpPreview { email: string; name: string; workspaceName: string; expiresAt: number }
export interface WorkspaceInfo { id: string; name: string; role: Role; active: boolean; current: boolean }
export interface InvitationInfo { id: string; email: string; role: Role; createdAt: number; expiresAt: number; status: 'pending' | 'accepted' | 'expired' | 'revoked' }
export interface InviteAnswer { invitation: InvitationInfo; emailed: boolean; link?: string }
export interface InvitationPreview { email: string; role: Role; workspace: { id: string; name: string }; inviter: string | null; hasAccount: boolean; expiresAt: number }
export interface SessionInfo { id: string; current: boolean; createdAt: number; expiresAt: number; userAgent: string | null; ip: string | null; workspace: { id: string; name: string } }
export interface NotificationSettings { assigned: boolean; customerReplied: boolean; slaWarning: boolean; emailConfigured?: boolean }
export interface EmailDeliveryInfo {
  id: string; kind: string; to: string; subject: string; status: 'queued' | 'sending' | 'sent' | 'retrying' | 'failed'; attempts: number; error: string | null
  conversationId: string | null; messageId: string; createdAt: number; updatedAt: number; sentAt: number | null
}
export interface EmailSettings { configured: boolean; inbound: { configured: boolean; url: string } }
