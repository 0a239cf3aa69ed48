/** Sign-in page; `again` shows it over the app when the server refused the stored token. */
import { createResource, createSignal, Show, Suspense, type JSX } from 'solid-js'
import { ApiError } from '../../io/index.ts'
import { api } from '../../io/api.ts'
import type { SessionStore } from '../../store/session.ts'
import { t } from '../../i18n/index.ts'

export function SignInPage(props: { sessions: SessionStore; again?: boolean }): JSX.Element {
  const [error, setError] = createSignal('')
  const [busy, setBusy] = createSignal(false)
  // What this server offers: "forgot password" only when it can send email, sign-up only when open.
  const [options] = createResource(() => api.account.options().catch(() => ({ signUp: false, passwordReset: false })))
  const [forgot, setForgot] = createSignal(false)
  const [resetSent, setResetSent] = createSignal('')
  const requestReset = async (event: SubmitEvent) => {
    event.preventDefault()
    const email = String(new FormData(event.currentTarget as HTMLFormElement).get('email') ?? '')
    setBusy(true); setError('')
    try { setResetSent((await api.account.requestReset(email)).message) } catch (e) { setError(e instanceof ApiError ? e.message : String(e)) } finally { setBusy(false) }
  }
  const submit = async (event: SubmitEvent) => {
    event.preventDefault()
    const form = new FormData(event.currentTarget as HTMLFormElement)
    setBusy(true)
    setError('')
    try {
      await props.sessions.signIn(String(form.get('email') ?? ''), String(form.get('password') ?? ''))
    } catch (e) {
      setError(e instanceof ApiError ? (e.offline ? t('signIn.offline') : e.message) : String(e))
    } finally {
      setBusy(false)
    }
  }
  return (
    <div class={props.again ? 'fixed inset-0 z-50 grid place-items-center bg-slate-900/60 p-4' : 'grid min-h-full place-items-center bg-slate-50 p-4'}>
      <Show when={forgot()}>
        <form onSubmit={requestReset} class="w-full max-w-sm rounded-xl border border-slate-200 bg-white p-6 shadow-sm" aria-labelledby="forgot-title">
          <h1 id="forgot-title" class="mb-4 text-xl font-semibold">{t('signIn.resetTitle')}</h1>
          <Show when={!resetSent()} fallback={<p role="status" class="mb-4 text-sm text-green-800">{resetSent()}</p>}>
            <label class="mb-1 block text-sm font-medium" for="reset-email">{t('signIn.email')}</label>
            <input id="reset-email" name="email" type="email" required autocomplete="username" class="mb-4 w-full rounded-md border border-slate-300 px-3 py-2 focus:border-blue-700 focus:outline-2 focus:outline-blue-700" />
            <Show when={error()}><p role="alert" class="mb-4 rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">{error()}</p></Show>
            <button type="submit" disabled={busy()} class="mb-3 w-full rounded-md bg-blue-700 px-4 py-2 font-medium text-white hover:bg-blue-800 disabled:opacity-60">{t('signIn.resetSubmit')}</button>
          </Show>
          <button type="button" class="text-sm text-blue-800 underline" onClick={() => { setForgot(false); setResetSent(''); setError('') }}>{t('signIn.back')}</button>
        </form>
      </Show>
      <form onSubmit={submit} hidden={forgot()} class="w-full max-w-sm rounded-xl border border-slate-200 bg-white p-6 shadow-sm" aria-labelledby="sign-in-title">
        <div class="mb-6 flex items-center gap-2">
          <img src="/icon.svg" alt="" class="h-8 w-8" />
          <h1 id="sign-in-title" class="text-xl font-semibold">{props.again ? t('signIn.again') : t('signIn.title')}</h1>
        </div>
        <Show when={props.again}>
          <p class="mb-4 text-sm text-slate-700">{t('signIn.ended')}</p>
        </Show>
        <label class="mb-1 block text-sm font-medium" for="email">{t('signIn.email')}</label>
        <input id="email" name="email" type="email" autocomplete="username" required value={props.sessions.session()?.agent.email ?? ''}
          class="mb-4 w-full rounded-md border border-slate-300 px-3 py-2 focus:border-blue-700 focus:outline-2 focus:outline-blue-700" />
        <label class="mb-1 block text-sm font-medium" for="password">{t('signIn.password')}</label>
        <input id="password" name="password" type="password" autocomplete="current-password" required
          class="mb-4 w-full rounded-md border border-slate-300 px-3 py-2 focus:border-blue-700 focus:outline-2 focus:outline-blue-700" />
        <Show when={error()}>
          <p role="alert" class="mb-4 rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">{error()}</p>
        </Show>
        <button type="submit" disabled={busy()} class="w-full rounded-md bg-blue-700 px-4 py-2 font-medium text-white hover:bg-blue-800 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-blue-700 disabled:opacity-60">
          {busy() ? t('signIn.busy') : t('signIn.submit')}
        </button>
        <div class="mt-4 flex justify-between gap-2 text-sm">
          {/* Its own boundary: the form shows at once (the page is lazily loaded, under the app's Suspense), these links when the server answers. */}
          <Suspense>
            <Show when={options()?.passwordReset}><button type="button" class="text-blue-800 underline" onClick={() => { setForgot(true); setError('') }}>{t('signIn.forgot')}</button></Show>
            <Show when={options()?.signUp && !props.again}><a class="text-blue-800 underline" href="/sign-up">{t('signIn.signUp')}</a></Show>
          </Suspense>
        </div>
      </form>
    </div>
  )
}
