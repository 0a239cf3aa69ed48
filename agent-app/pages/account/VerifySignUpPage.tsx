/** The emailed sign-up link's page: the password is chosen here, and the workspace and its owner are made. */
import { createResource, createSignal, Match, Show, Switch, type JSX } from 'solid-js'
import { ApiError } from '../../io/index.ts'
import { api } from '../../io/api.ts'
import type { SessionStore } from '../../store/session.ts'
import { t } from '../../i18n/index.ts'
import { tNodes } from '../../i18n/rich.tsx'
import { AccountCard, fieldClass, submitClass, tokenFromUrl } from './AccountCard.tsx'

export function VerifySignUpPage(props: { sessions: SessionStore }): JSX.Element {
  const token = tokenFromUrl()
  const [pending] = createResource(() => api.account.signUpLink(token))
  const [error, setError] = createSignal('')
  const [busy, setBusy] = createSignal(false)
  const submit = async (event: SubmitEvent) => {
    event.preventDefault()
    const form = new FormData(event.currentTarget as HTMLFormElement)
    const password = String(form.get('password') ?? '')
    if (password !== String(form.get('confirm') ?? '')) { setError(t('account.passwordsDiffer')); return }
    setBusy(true); setError('')
    try {
      await props.sessions.adopt(await api.account.completeSignUp(token, password))
      location.assign('/inbox')
    } catch (e) { setError(e instanceof ApiError ? e.message : String(e)); setBusy(false) }
  }
  return (
    <AccountCard title={t('signup.title')}>
      <Switch>
        <Match when={pending.loading}><p class="text-slate-600">{t('signup.checking')}</p></Match>
        <Match when={pending.error}><p role="alert" class="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">{(pending.error as Error).message}</p></Match>
        <Match when={pending()}>{(info) => (
          <form onSubmit={submit} data-testid="verify-sign-up">
            <p class="mb-4 text-sm text-slate-700">{tNodes('signup.verifyIntro', {}, { workspace: <strong>{info().workspaceName}</strong>, email: <strong>{info().email}</strong> })}</p>
            <label class="mb-1 block text-sm font-medium" for="password">{t('signup.password')}</label>
            <input id="password" name="password" type="password" minLength={10} required autocomplete="new-password" class={fieldClass} />
            <label class="mb-1 block text-sm font-medium" for="confirm">{t('account.passwordAgain')}</label>
            <input id="confirm" name="confirm" type="password" minLength={10} required autocomplete="new-password" class={fieldClass} />
            <Show when={error()}><p role="alert" class="mb-4 rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">{error()}</p></Show>
            <button type="submit" disabled={busy()} class={submitClass}>{busy() ? t('signup.creating') : t('signup.submit')}</button>
          </form>
        )}</Match>
      </Switch>
    </AccountCard>
  )
}
