/** Sign-up (only when the server has PARLEY_SIGNUP=open): a new workspace and its owner. */
import { createSignal, Show, type JSX } from 'solid-js'
import { ApiError } from '../../io/index.ts'
import { api } from '../../io/api.ts'
import type { SessionStore } from '../../store/session.ts'
import { t } from '../../i18n/index.ts'
import { AccountCard, fieldClass, submitClass } from './AccountCard.tsx'

export function SignUpPage(props: { sessions: SessionStore }): JSX.Element {
  const [error, setError] = createSignal('')
  const [busy, setBusy] = createSignal(false)
  const submit = async (event: SubmitEvent) => {
    event.preventDefault()
    const data = Object.fromEntries(new FormData(event.currentTarget as HTMLFormElement)) as Record<string, string>
    setBusy(true); setError('')
    try {
      await props.sessions.adopt(await api.account.signUp({ email: data.email!, name: data.name!, password: data.password!, workspaceName: data.workspaceName! }))
      location.assign('/inbox')
    } catch (e) { setError(e instanceof ApiError ? e.message : String(e)); setBusy(false) }
  }
  return (
    <AccountCard title={t('signup.title')}>
      <form onSubmit={submit}>
        <label class="mb-1 block text-sm font-medium" for="workspaceName">{t('signup.team')}</label>
        <input id="workspaceName" name="workspaceName" required maxLength={200} class={fieldClass} />
        <label class="mb-1 block text-sm font-medium" for="name">{t('account.yourName')}</label>
        <input id="name" name="name" required maxLength={200} autocomplete="name" class={fieldClass} />
        <label class="mb-1 block text-sm font-medium" for="email">{t('signup.email')}</label>
        <input id="email" name="email" type="email" required autocomplete="username" class={fieldClass} />
        <label class="mb-1 block text-sm font-medium" for="password">{t('signup.password')}</label>
        <input id="password" name="password" type="password" minLength={10} required autocomplete="new-password" class={fieldClass} />
        <Show when={error()}><p role="alert" class="mb-4 rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">{error()}</p></Show>
        <button type="submit" disabled={busy()} class={submitClass}>{busy() ? t('signup.creating') : t('signup.submit')}</button>
        <p class="mt-4 text-center text-sm"><a class="text-blue-800 underline" href="/">{t('signup.haveAccount')}</a></p>
      </form>
    </AccountCard>
  )
}
