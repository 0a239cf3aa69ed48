/** The signed-in app's store, built from small slices; provided to pages through context. */
import { createContext, createEffect, createResource, createSignal, onCleanup, useContext } from 'solid-js'
import { isUiLocale } from '../../protocol/i18n.ts'
import { preference, setLanguagePreference, type LanguagePreference } from '../i18n/index.ts'
import { io } from '../io/index.ts'
import { route } from '../lib/router.ts'
import { createAgentStateStore } from './agent-state.ts'
import { createConnectionStore } from './connection.ts'
import { createFileOutboxStore } from './file-outbox.ts'
import { createInboxStore } from './inbox.ts'
import { createAvailabilityStore } from './availability.ts'
import { createNotificationStore } from './notifications.ts'
import type { SessionStore } from './session.ts'
import { t } from '../i18n/index.ts'

/** What the keyboard shortcuts call on the conversation on screen. */
export interface ConversationCommands { reply(): void; note(): void; resolve(): void; take(): void }

export function createAppStore(sessions: SessionStore) {
  const session = sessions.session()!
  const hub = io.hub()
  hub.on('authFailed', (reason) => { if (/unauthenticated|token-/.test(reason)) sessions.markExpired() })
  const me = { id: session.agent.id, name: session.agent.name }
  const agentState = createAgentStateStore(hub, me.id)
  const [myTeams, { refetch: refetchMyTeams }] = createResource(() => io.routing.myTeams().then((r) => r.teamIds).catch(() => [] as string[]), { initialValue: [] })
  const inbox = createInboxStore(hub, session.workspace.id, me.id, agentState, io.auth.me().then((answer) => answer.inboxDocument), myTeams)
  const connection = createConnectionStore(hub)
  const openConversation = () => { const r = route(); return 'conversationId' in r ? r.conversationId : null }
  const fileOutbox = createFileOutboxStore(hub, me, io.fileOutbox())
  const notifications = createNotificationStore(inbox, me.id, (id) => openConversation() === id, () => agentState.preference('sound'))
  // The tab says how many active conversations have unread messages: "(3) Parley".
  createEffect(() => {
    const n = inbox.loaded() ? inbox.unreadIn('open') : 0
    document.title = n > 0 ? t('title.unread', { n, title: 'Parley' }) : 'Parley'
  })
  onCleanup(() => { document.title = 'Parley' })
  const [commands, setCommands] = createSignal<ConversationCommands | null>(null)
  const [helpOpen, setHelpOpen] = createSignal(false)
  // Teammates (for names and assignment) and canned responses: cached for offline use by io.
  const [agents, { refetch: refetchAgents }] = createResource(() => io.agents.list().then((r) => r.items).catch(() => []), { initialValue: [] })
  const [canned, { refetch: refetchCanned }] = createResource(() => io.canned.list().then((r) => r.items).catch(() => []), { initialValue: [] })
  // The language follows the agent across devices: the synced choice wins over this device's,
  // and a choice made on this device before the document had one is written into it.
  const [agentStateRead, setAgentStateRead] = createSignal(false)
  void agentState.loaded.then(() => setAgentStateRead(true))
  createEffect(() => {
    const synced = agentState.chosen('language')
    if (synced === undefined) { if (agentStateRead() && preference() !== 'auto') agentState.setPreference('language', preference()); return }
    const next: LanguagePreference = isUiLocale(synced) ? synced : 'auto'
    if (next !== preference()) void setLanguagePreference(next)
  })
  const setLanguage = (next: LanguagePreference) => { agentState.setPreference('language', next); void setLanguagePreference(next) }
  // Teams (for views, transfers and names) and the ones I am in.
  const [teams, { refetch: refetchTeams }] = createResource(() => io.teams.list().then((r) => r.items).catch(() => []), { initialValue: [] })
  const teamName = (id: string | null | undefined) => teams().find((t) => t.id === id)?.name ?? null
  const agentName = (id: string | null | undefined) => (id === me.id ? t('common.you') : agents().find((a) => a.id === id)?.name ?? t('common.teammate'))
  return {
    sessions, hub, me, agentState, inbox, connection, notifications, fileOutbox, commands, setCommands, helpOpen, setHelpOpen, workspace: session.workspace,
    agents, refetchAgents, agentName, canned, refetchCanned, setLanguage, teams, refetchTeams: () => { void refetchTeams(); void refetchMyTeams() }, myTeams, teamName,
    availability: createAvailabilityStore(inbox, me.id),
  }
}

export type AppStore = ReturnType<typeof createAppStore>

export const AppContext = createContext<AppStore>()

export function useApp(): AppStore {
  const store = useContext(AppContext)
  if (!store) throw new Error('useApp outside the signed-in app')
  return store
}
