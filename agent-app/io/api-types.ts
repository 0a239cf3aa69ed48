/** Shapes of the API's answers, as the server's routes write them (server/http/*.routes.ts). */
import type { AiSettings, Classification, ConversationStatus, Priority, Role, WidgetConfig } from '../../protocol/index.ts'

export interface AgentInfo { id: string; email: string; name: string; role: Role; active: boolean; workspaceId: string }
export interface SignInAnswer { token: string; expiresAt: number; agent: AgentInfo; workspace: { id: string; name: string } }
export interface MeAnswer { agent: { id: string; name: string; role: Role }; workspace: { id: string; name: string } }

export interface ConversationInfo {
  id: string; workspaceId: string; contactId: string; widgetId: string | null; status: ConversationStatus; priority: Priority
  assignee: string | null; subject: string; preview: string; labels: string[]
  classification: Pick<Classification, 'category' | 'sentiment' | 'language'> | null
  escalationReason: string | null; messageCount: number; waitingSince: number | null; createdAt: number; updatedAt: number; lastActivityAt: number
}
export interface ContactInfo { id: string; name: string | null; email: string | null; externalId: string | null; fields: Record<string, string>; createdAt: number; lastSeenAt: number }
export type ConversationDetail = ConversationInfo & { contact: ContactInfo | null }
export type ContactDetail = ContactInfo & { conversations: ConversationInfo[] }

export interface SearchHit { conversationId: string; id: string; text: string; authorRole: string; authorName: string; kind: string; createdAt: number }
export interface CannedResponse { id: string; shortcut: string; title: string; body: string }
export interface Article { id: string; title: string; body: string; tags: string[]; createdAt: number; updatedAt: number }
export type Widget = WidgetConfig & { id: string; secret?: string }
export type { AiSettings }

export interface Items<T> { items: T[] }

export interface AuthOptions { signUp: boolean; passwordReset: boolean }
export interface WorkspaceInfo { id: string; name: string; role: Role; active: boolean; current: boolean }
export interface InvitationInfo { id: string; email: string; role: Role; createdAt: number; expiresAt: number; status: 'pending' | 'accepted' | 'expired' | 'revoked' }
export interface InviteAnswer { invitation: InvitationInfo; emailed: boolean; link?: string }
export interface InvitationPreview { email: string; role: Role; workspace: { id: string; name: string }; inviter: string | null; hasAccount: boolean; expiresAt: number }
export interface SessionInfo { id: string; current: boolean; createdAt: number; expiresAt: number; userAgent: string | null; ip: string | null; workspace: { id: string; name: string } }
export interface NotificationSettings { assigned: boolean; customerReplied: boolean; emailConfigured?: boolean }
export interface EmailDeliveryInfo {
  id: string; kind: string; to: string; subject: string; status: 'queued' | 'sending' | 'sent' | 'retrying' | 'failed'; attempts: number; error: string | null
  conversationId: string | null; messageId: string; createdAt: number; updatedAt: number; sentAt: number | null
}
export interface EmailSettings { configured: boolean; inbound: { configured: boolean; url: string } }
