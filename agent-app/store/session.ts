/** Who is signed in. The session lives in localStorage, so it survives reloads and offline restarts. */
import { createSignal } from 'solid-js'
import { ApiError, io, type SignInAnswer, type StoredSession } from '../io/index.ts'

export type SessionStore = ReturnType<typeof createSessionStore>

export function createSessionStore() {
  const [session, setSession] = createSignal<StoredSession | null>(io.session())
  /** The server refused the token (expired or revoked): sign in again; local data is kept meanwhile. */
  const [expired, setExpired] = createSignal(false)
  io.onUnauthenticated(() => setExpired(true))
  /** Signs in with an answer the server gave (sign-in, sign-up, an accepted invitation). */
  const adopt = async (answer: SignInAnswer): Promise<void> => {
    const previous = io.session()
    // Another account on this device: its local data goes before this one's arrives.
    if (previous && previous.agent.id !== answer.agent.id) await io.auth.signOut()
    const next: StoredSession = {
      token: answer.token,
      agent: { id: answer.agent.id, name: answer.agent.name, role: answer.agent.role, email: answer.agent.email },
      workspace: { id: answer.workspace.id, name: answer.workspace.name },
    }
    io.saveSession(next)
    setSession(next)
    if (expired()) { setExpired(false); io.hub().reconnect() }
  }

  return {
    session,
    expired,
    adopt,
    markExpired: () => setExpired(true),
    isAdmin: () => ['owner', 'admin'].includes(session()?.agent.role ?? ''),
    canWrite: () => session()?.agent.role !== 'viewer',

    async signIn(email: string, password: string): Promise<void> {
      await adopt(await io.auth.signIn(email, password))
    },

    /** Another of the agent's workspaces; the app starts again in it (its own local copies). */
    async switchWorkspace(workspaceId: string): Promise<void> {
      const answer = await io.auth.switchWorkspace(workspaceId)
      io.saveSession({ token: answer.token, agent: { id: answer.agent.id, name: answer.agent.name, role: answer.agent.role, email: answer.agent.email }, workspace: answer.workspace })
      location.assign('/inbox')
    },

    async signOut(): Promise<void> {
      await io.auth.signOut()
      setSession(null)
      setExpired(false)
    },

    /** Refreshes name and role from the server; offline, the stored session stands. */
    async refresh(): Promise<void> {
      const current = io.session()
      if (!current) return
      try {
        const me = await io.auth.me()
        const next = { ...current, agent: { ...current.agent, name: me.agent.name, role: me.agent.role }, workspace: { id: me.workspace.id, name: me.workspace.name } }
        io.saveSession(next)
        setSession(next)
      } catch (error) {
        if (!(error instanceof ApiError) || !error.offline) throw error
      }
    },
  }
}
