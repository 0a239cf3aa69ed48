/** Shapes of the API's answers, as the server's routes write them (server/http/*.routes.ts). */
import type { AiSettings, Availability, Classification, ConversationStatus, Policy, Priority, Role, WidgetConfig } from '../../protocol/index.ts'

export interface AgentInfo { id: string; email: string; name: string; role: Role; active: boolean; workspaceId: string; capacity?: number }
export interface TeamInfo { id: string; name: string; members: string[]; categories: string[]; capacity: number | null; createdAt: number }
export interface InboxInfo { id: string; name: string; teamId: string | null; policy: Policy; firstResponseMinutes: number | null; resolutionMinutes: number | null; isDefault: boolean; widgetIds: string[]; createdAt: number }
export interface AvailabilityAnswer { items: { agentId: string; availability: Availability; since: number }[]; mine: Availability }
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
