/** The reset link's page: a new password; every session of the account ends, then sign in with it. */
import { createSignal, Show, type JSX } from 'solid-js'
import { ApiError } from '../../io/index.ts'
import { api } from '../../io/api.ts'
import { t } from '../../i18n/index.ts'
import { AccountCard, fieldClass, submitClass, tokenFromUrl } from './AccountCard.tsx'

export function ResetPasswordPage(): JSX.Element {
  const [error, setError] = createSignal('')
  const [done, setDone] = createSignal(false)
  const [busy, setBusy] = createSignal(false)
  const submit = async (event: SubmitEvent) => {
    event.preventDefault()
    const form = new FormData(event.currentTarget as HTMLFormElement)
    const password = String(form.get('password') ?? '')
    if (password !== String(form.get('confirm') ?? '')) { setError(t('account.passwordsDiffer')); return }
    setBusy(true); setError('')
    try { await api.account.completeReset(tokenFromUrl(), password); setDone(true) } catch (e) { setError(e instanceof ApiError ? e.message : String(e)) } finally { setBusy(false) }
  }
  return (
    <AccountCard title={t('reset.title')}>
      <Show when={!done()} fallback={<><p role="status" class="mb-4 text-sm text-green-800">{t('reset.done')}</p><a class={`${submitClass} block text-center`} href="/">{t('reset.signIn')}</a></>}>
        <form onSubmit={submit}>
          <label class="mb-1 block text-sm font-medium" for="password">{t('reset.password')}</label>
          <input id="password" name="password" type="password" minLength={10} required autocomplete="new-password" class={fieldClass} />
          <label class="mb-1 block text-sm font-medium" for="confirm">{t('account.passwordAgain')}</label>
          <input id="confirm" name="confirm" type="password" minLength={10} required autocomplete="new-password" class={fieldClass} />
          <Show when={error()}><p role="alert" class="mb-4 rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">{error()}</p></Show>
          <button type="submit" disabled={busy()} class={submitClass}>{busy() ? t('reset.saving') : t('reset.submit')}</button>
        </form>
      </Show>
    </AccountCard>
  )
}
