/**
 * Sign-up (only when the server has PARLEY_SIGNUP=open): a new workspace and its owner. When the
 * server sends email, the address is verified first: this form asks no password, says "check
 * your inbox" whatever the address, and the emailed link (VerifySignUpPage) finishes it.
 */
import { createResource, createSignal, Show, type JSX } from 'solid-js'
import { ApiError } from '../../io/index.ts'
import { api } from '../../io/api.ts'
import type { SessionStore } from '../../store/session.ts'
import { t } from '../../i18n/index.ts'
import { AccountCard, fieldClass, submitClass } from './AccountCard.tsx'

export function SignUpPage(props: { sessions: SessionStore }): JSX.Element {
  const [options] = createResource(() => api.account.options().catch(() => null))
  const verifies = () => options()?.signUpVerifiesEmail === true
  const [error, setError] = createSignal('')
  const [busy, setBusy] = createSignal(false)
  const [sent, setSent] = createSignal('')
  const submit = async (event: SubmitEvent) => {
    event.preventDefault()
    const data = Object.fromEntries(new FormData(event.currentTarget as HTMLFormElement)) as Record<string, string>
    setBusy(true); setError('')
    try {
      const answer = await api.account.signUp({ email: data.email!, name: data.name!, workspaceName: data.workspaceName!, ...(verifies() ? {} : { password: data.password! }) })
      if ('verify' in answer) { setSent(data.email!); setBusy(false); return }
      await props.sessions.adopt(answer)
      location.assign('/inbox')
    } catch (e) { setError(e instanceof ApiError ? e.message : String(e)); setBusy(false) }
  }
  return (
    <AccountCard title={t('signup.title')}>
      <Show when={!sent()} fallback={<p role="status" class="text-sm text-slate-700" data-testid="sign-up-sent">{t('signup.checkInbox', { email: sent() })}</p>}>
        <Show when={!options.loading}>
          <form onSubmit={submit} data-testid="sign-up">
            <label class="mb-1 block text-sm font-medium" for="workspaceName">{t('signup.team')}</label>
            <input id="workspaceName" name="workspaceName" required maxLength={200} class={fieldClass} />
            <label class="mb-1 block text-sm font-medium" for="name">{t('account.yourName')}</label>
            <input id="name" name="name" required maxLength={200} autocomplete="name" class={fieldClass} />
            <label class="mb-1 block text-sm font-medium" for="email">{t('signup.email')}</label>
            <input id="email" name="email" type="email" required autocomplete="username" class={fieldClass} />
            <Show when={!verifies()} fallback={<p class="mb-4 text-sm text-slate-600">{t('signup.verifyNote')}</p>}>
              <label class="mb-1 block text-sm font-medium" for="password">{t('signup.password')}</label>
              <input id="password" name="password" type="password" minLength={10} required autocomplete="new-password" class={fieldClass} />
            </Show>
            <Show when={error()}><p role="alert" class="mb-4 rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">{error()}</p></Show>
            <button type="submit" disabled={busy()} class={submitClass}>{busy() ? t('signup.creating') : verifies() ? t('signup.sendLink') : t('signup.submit')}</button>
            <p class="mt-4 text-center text-sm"><a class="text-blue-800 underline" href="/">{t('signup.haveAccount')}</a></p>
          </form>
        </Show>
      </Show>
    </AccountCard>
  )
}
