/** Signed out: the sign-in page. Signed in: the app, with its store built for that account. */
import { Match, Show, Suspense, Switch, lazy, onMount, type JSX } from 'solid-js'
import { withPageStrings } from './i18n/index.ts'
import { Shell } from './components/Shell.tsx'
import { AppContext, createAppStore } from './store/index.ts'
import { createSessionStore, type SessionStore } from './store/session.ts'
import { io } from './io/index.ts'

// Signed in (most starts), the sign-in page is not needed: it loads on its own, at once when
// nobody is signed in on this device (beside the strings), or when a session expires.
const SignInPage = lazy(() => import('./pages/sign-in/index.tsx').then((m) => ({ default: m.SignInPage })))
if (!io.session()) void SignInPage.preload()

// The pages reached from an email link or sign-up: loaded on their own, with the pages' strings.
const AcceptInvitationPage = lazy(() => withPageStrings(import('./pages/account/AcceptInvitationPage.tsx')).then((m) => ({ default: m.AcceptInvitationPage })))
const ResetPasswordPage = lazy(() => withPageStrings(import('./pages/account/ResetPasswordPage.tsx')).then((m) => ({ default: m.ResetPasswordPage })))
const SignUpPage = lazy(() => withPageStrings(import('./pages/account/SignUpPage.tsx')).then((m) => ({ default: m.SignUpPage })))
const VerifySignUpPage = lazy(() => withPageStrings(import('./pages/account/VerifySignUpPage.tsx')).then((m) => ({ default: m.VerifySignUpPage })))

export function App(): JSX.Element {
  const sessions = createSessionStore()
  // Links from emails and sign-up work signed in or not (an invitation may be for another account).
  const path = location.pathname
  return (
    <Switch fallback={
      <Show when={sessions.session()?.agent.id} keyed fallback={<Suspense><SignInPage sessions={sessions} /></Suspense>}>
        <SignedIn sessions={sessions} />
      </Show>
    }>
      <Match when={path === '/accept-invitation'}><Suspense><AcceptInvitationPage sessions={sessions} /></Suspense></Match>
      <Match when={path === '/reset-password'}><Suspense><ResetPasswordPage /></Suspense></Match>
      <Match when={path === '/sign-up' && !sessions.session()}><Suspense><SignUpPage sessions={sessions} /></Suspense></Match>
      <Match when={path === '/verify-sign-up'}><Suspense><VerifySignUpPage sessions={sessions} /></Suspense></Match>
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
        <Suspense><SignInPage sessions={props.sessions} again /></Suspense>
      </Show>
    </AppContext.Provider>
  )
}
