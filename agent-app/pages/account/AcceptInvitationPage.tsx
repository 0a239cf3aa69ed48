/** Accepting an invitation: a new account chooses its name and password; an existing one just joins. */
import { createResource, createSignal, Match, Show, Switch, type JSX } from 'solid-js'
import { ApiError } from '../../io/index.ts'
import { api } from '../../io/api.ts'
import type { SessionStore } from '../../store/session.ts'
import { t } from '../../i18n/index.ts'
import { tNodes } from '../../i18n/rich.tsx'
import { AccountCard, fieldClass, submitClass, tokenFromUrl } from './AccountCard.tsx'

const roleName = (role: string): string => (role === 'admin' || role === 'agent' || role === 'viewer' || role === 'owner' ? t(`role.${role}` as const) : role)

export function AcceptInvitationPage(props: { sessions: SessionStore }): JSX.Element {
  const token = tokenFromUrl()
  const [invitation] = createResource(() => api.account.invitation(token))
  const [error, setError] = createSignal('')
  const [busy, setBusy] = createSignal(false)
  const submit = async (event: SubmitEvent) => {
    event.preventDefault()
    const form = new FormData(event.currentTarget as HTMLFormElement)
    const password = String(form.get('password') ?? '')
    if (!invitation()?.hasAccount && password !== String(form.get('confirm') ?? '')) { setError(t('account.passwordsDiffer')); return }
    setBusy(true); setError('')
    try {
      const answer = await api.account.acceptInvitation(invitation()?.hasAccount ? { token } : { token, name: String(form.get('name') ?? ''), password })
      await props.sessions.adopt(answer)
      location.assign('/inbox')
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e))
      setBusy(false)
    }
  }
  return (
    <AccountCard title={t('invite.title')}>
      <Switch>
        <Match when={invitation.loading}><p class="text-slate-600">{t('invite.checking')}</p></Match>
        <Match when={invitation.error}>
          <p role="alert" class="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">{(invitation.error as Error).message}</p>
        </Match>
        <Match when={invitation()}>{(info) => (
          <form onSubmit={submit} data-testid="accept-invitation">
            <p class="mb-4 text-sm text-slate-700">
              {tNodes(info().inviter ? 'invite.byWhom' : 'invite.anonymous', { inviter: info().inviter ?? '', role: roleName(info().role) }, { workspace: <strong>{info().workspace.name}</strong>, email: <strong>{info().email}</strong> })}
            </p>
            <Show when={!info().hasAccount} fallback={<p class="mb-4 text-sm text-slate-700">{t('invite.hasAccount')}</p>}>
              <label class="mb-1 block text-sm font-medium" for="name">{t('account.yourName')}</label>
              <input id="name" name="name" required maxLength={200} autocomplete="name" class={fieldClass} />
              <label class="mb-1 block text-sm font-medium" for="password">{t('invite.password')}</label>
              <input id="password" name="password" type="password" minLength={10} required autocomplete="new-password" class={fieldClass} />
              <label class="mb-1 block text-sm font-medium" for="confirm">{t('account.passwordAgain')}</label>
              <input id="confirm" name="confirm" type="password" minLength={10} required autocomplete="new-password" class={fieldClass} />
            </Show>
            <Show when={error()}><p role="alert" class="mb-4 rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">{error()}</p></Show>
            <button type="submit" disabled={busy()} class={submitClass}>{busy() ? t('invite.joining') : t('invite.accept')}</button>
          </form>
        )}</Match>
      </Switch>
    </AccountCard>
  )
}
