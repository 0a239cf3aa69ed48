/** Signed out: the sign-in page. Signed in: the app, with its store built for that account. */
import { Match, Show, Switch, onMount, type JSX } from 'solid-js'
import { AcceptInvitationPage } from './pages/account/AcceptInvitationPage.tsx'
import { ResetPasswordPage } from './pages/account/ResetPasswordPage.tsx'
import { SignUpPage } from './pages/account/SignUpPage.tsx'
import { Shell } from './components/Shell.tsx'
import { SignInPage } from './pages/sign-in/index.tsx'
import { AppContext, createAppStore } from './store/index.ts'
import { createSessionStore, type SessionStore } from './store/session.ts'

export function App(): JSX.Element {
  const sessions = createSessionStore()
  // Links from emails and sign-up work signed in or not (an invitation may be for another account).
  const path = location.pathname
  return (
    <Switch fallback={
      <Show when={sessions.session()?.agent.id} keyed fallback={<SignInPage sessions={sessions} />}>
        <SignedIn sessions={sessions} />
      </Show>
    }>
      <Match when={path === '/accept-invitation'}><AcceptInvitationPage sessions={sessions} /></Match>
      <Match when={path === '/reset-password'}><ResetPasswordPage /></Match>
      <Match when={path === '/sign-up' && !sessions.session()}><SignUpPage sessions={sessions} /></Match>
    </Switch>
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
