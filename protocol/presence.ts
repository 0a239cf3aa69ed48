/**
 * Awareness (presence) of a conversation document: who is looking and who is typing. Every
 * peer sets one field; the bot sets it while it writes a reply, so people see "typing…".
 */
import type { AuthorRole } from './conversation.ts'

/** The awareness field each peer sets (`provider.setAwarenessField(PRESENCE_FIELD, presence)`). */
export const PRESENCE_FIELD = 'user'

export interface Presence {
  role: AuthorRole
  id: string
  name: string
  typing: boolean
}

/** The drafts key (Y.Text under `drafts`) of the AI copilot's suggested reply. */
export const AI_DRAFT_KEY = 'ai'
