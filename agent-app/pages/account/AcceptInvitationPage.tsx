/** Accepting an invitation: a new account chooses its name and password; an existing one just joins. */
import { createResource, createSignal, Match, Show, Switch, type JSX } from 'solid-js'
import { ApiError, io } from '../../io/index.ts'
import type { SessionStore } from '../../store/session.ts'
import { AccountCard, fieldClass, submitClass, tokenFromUrl } from './AccountCard.tsx'

export function AcceptInvitationPage(props: { sessions: SessionStore }): JSX.Element {
  const token = tokenFromUrl()
  const [invitation] = createResource(() => io.account.invitation(token))
  const [error, setError] = createSignal('')
  const [busy, setBusy] = createSignal(false)
  const submit = async (event: SubmitEvent) => {
    event.preventDefault()
    const form = new FormData(event.currentTarget as HTMLFormElement)
    const password = String(form.get('password') ?? '')
    if (!invitation()?.hasAccount && password !== String(form.get('confirm') ?? '')) { setError('The two passwords differ.'); return }
    setBusy(true); setError('')
    try {
      const answer = await io.account.acceptInvitation(invitation()?.hasAccount ? { token } : { token, name: String(form.get('name') ?? ''), password })
      await props.sessions.adopt(answer)
      location.assign('/inbox')
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e))
      setBusy(false)
    }
  }
  return (
    <AccountCard title="Join the team">
      <Switch>
        <Match when={invitation.loading}><p class="text-slate-600">Checking your invitation…</p></Match>
        <Match when={invitation.error}>
          <p role="alert" class="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">{(invitation.error as Error).message}</p>
        </Match>
        <Match when={invitation()}>{(info) => (
          <form onSubmit={submit} data-testid="accept-invitation">
            <p class="mb-4 text-sm text-slate-700">
              {info().inviter ? `${info().inviter} invited you` : 'You are invited'} to <strong>{info().workspace.name}</strong> as {info().role}, as <strong>{info().email}</strong>.
            </p>
            <Show when={!info().hasAccount} fallback={<p class="mb-4 text-sm text-slate-700">You have a Parley account already: accepting adds this workspace to it. Sign in with your password as usual.</p>}>
              <label class="mb-1 block text-sm font-medium" for="name">Your name</label>
              <input id="name" name="name" required maxLength={200} autocomplete="name" class={fieldClass} />
              <label class="mb-1 block text-sm font-medium" for="password">Choose a password (10+ characters)</label>
              <input id="password" name="password" type="password" minLength={10} required autocomplete="new-password" class={fieldClass} />
              <label class="mb-1 block text-sm font-medium" for="confirm">The password again</label>
              <input id="confirm" name="confirm" type="password" minLength={10} required autocomplete="new-password" class={fieldClass} />
            </Show>
            <Show when={error()}><p role="alert" class="mb-4 rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">{error()}</p></Show>
            <button type="submit" disabled={busy()} class={submitClass}>{busy() ? 'Joining…' : 'Accept the invitation'}</button>
          </form>
        )}</Match>
      </Switch>
    </AccountCard>
  )
}
