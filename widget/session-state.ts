/** What the widget remembers about this visitor across reloads and pages (localStorage, per site key). */
import type { LocalStore } from './local-store.ts'

export interface SessionState {
  token: string | null
  contactId: string | null
  /** The verified user id this session belongs to (identity verification), null when anonymous. */
  userId: string | null
  conversationId: string | null
  /** The visitor asked for a new conversation: do not reopen the last resolved one. */
  fresh: boolean
  prechatDone: boolean
  emailLeft: string | null
}

const KEY = 'session'
const EMPTY: SessionState = { token: null, contactId: null, userId: null, conversationId: null, fresh: false, prechatDone: false, emailLeft: null }

export const readSession = (store: LocalStore): SessionState => ({ ...EMPTY, ...store.read<Partial<SessionState>>(KEY, {}) })
export const writeSession = (store: LocalStore, state: SessionState): void => store.write(KEY, state)
export const emptySession = (): SessionState => ({ ...EMPTY })
