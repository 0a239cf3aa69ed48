/** Signed out: the sign-in page. Signed in: the app, with its store built for that account. */
import { Show, onMount, type JSX } from 'solid-js'
import { Shell } from './components/Shell.tsx'
import { SignInPage } from './pages/sign-in/index.tsx'
import { AppContext, createAppStore } from './store/index.ts'
import { createSessionStore, type SessionStore } from './store/session.ts'

export function App(): JSX.Element {
  const sessions = createSessionStore()
  return (
    <Show when={sessions.session()?.agent.id} keyed fallback={<SignInPage sessions={sessions} />}>
      <SignedIn sessions={sessions} />
    </Show>
  )
}

function SignedIn(props: { sessions: SessionStore }): JSX.Element {
  const store = createAppStore(props.sessions)
  onMount(() => { void props.sessions.refresh().catch(() => {}) })
  return (
    <AppContext.Provider value={store}>
      <Shell />
      <Show when={props.sessions.expired()}>
        <SignInPage sessions={props.sessions} again />
      </Show>
    </AppContext.Provider>
  )
}
