/** The signed-in agent's own settings: password, devices (sessions), notification emails. */
import { createResource, createSignal, For, Show, type JSX } from 'solid-js'
import { FormStatus, errorText, inputClass, primaryButton, secondaryButton } from '../../components/FormStatus.tsx'
import type { NotificationSettings } from '../../io/index.ts'
import { api } from '../../io/api.ts'
import { t } from '../../i18n/index.ts'
import { formatDateTime } from '../../lib/format.ts'

/** "Firefox on Linux" from a User-Agent; the raw string when it names nothing we know. */
function describeDevice(ua: string | null): string {
  if (!ua) return t('me.unknownDevice')
  const browser = /Edg\//.test(ua) ? 'Edge' : /Firefox\//.test(ua) ? 'Firefox' : /Chrome\//.test(ua) ? 'Chrome' : /Safari\//.test(ua) ? 'Safari' : null
  const os = /Android/.test(ua) ? 'Android' : /iPhone|iPad/.test(ua) ? 'iOS' : /Windows/.test(ua) ? 'Windows' : /Mac OS X/.test(ua) ? 'macOS' : /Linux/.test(ua) ? 'Linux' : null
  return browser ? (os ? t('me.browserOn', { browser, os }) : browser) : ua.slice(0, 60)
}

export default function AccountPage(): JSX.Element {
  const [error, setError] = createSignal('')
  const [saved, setSaved] = createSignal('')
  const [sessions, { refetch: refetchSessions }] = createResource(() => api.account.sessions().then((r) => r.items))
  const [notify, { mutate }] = createResource(() => api.account.notifications())
  const attempt = async (what: () => Promise<unknown>, done: string) => {
    setError(''); setSaved('')
    try { await what(); if (done) setSaved(done) } catch (e) { setError(errorText(e)) }
  }
  const changePassword = (event: SubmitEvent) => {
    event.preventDefault()
    const form = event.currentTarget as HTMLFormElement
    const data = Object.fromEntries(new FormData(form)) as Record<string, string>
    if (data.newPassword !== data.confirm) { setError(t('me.passwordsDiffer')); return }
    void attempt(async () => { await api.account.changePassword(data.currentPassword!, data.newPassword!); form.reset(); await refetchSessions() }, t('me.passwordChanged'))
  }
  const toggle = (key: keyof Pick<NotificationSettings, 'assigned' | 'customerReplied' | 'slaWarning'>, on: boolean) =>
    void attempt(async () => mutate({ ...(await api.account.saveNotifications({ [key]: on })), emailConfigured: notify()?.emailConfigured ?? false }), t('me.saved'))
  return (
    <div class="h-full overflow-y-auto p-4 md:p-6">
      <div class="flex max-w-3xl flex-col gap-6">
        <h1 class="text-xl font-semibold">{t('me.title')}</h1>
        <FormStatus error={error()} saved={saved()} />
        <section class="rounded-lg border border-slate-200 p-4" aria-labelledby="sessions-title">
          <div class="mb-3 flex items-center justify-between gap-2">
            <h2 id="sessions-title" class="font-semibold">{t('me.devices')}</h2>
            <button class={secondaryButton} onClick={() => void attempt(async () => { const r = await api.account.signOutOthers(); await refetchSessions(); setSaved(t('me.othersSignedOut', { n: r.ended })) }, '')}>{t('me.signOutOthers')}</button>
          </div>
          <ul class="flex flex-col divide-y divide-slate-200 text-sm" data-testid="sessions">
            <For each={sessions() ?? []}>{(s) => (
              <li class="flex items-center justify-between gap-3 py-2">
                <span class="min-w-0">
                  <span class="block truncate"><span title={s.userAgent ?? ''}>{describeDevice(s.userAgent)}</span>{s.current ? ` ${t('me.thisDevice')}` : ''}</span>
                  <span class="text-slate-600">{t('me.since', { workspace: s.workspace.name, when: formatDateTime(s.createdAt) })}{s.ip ? ` · ${s.ip}` : ''}</span>
                </span>
                <Show when={!s.current}><button class={secondaryButton} onClick={() => void attempt(async () => { await api.account.endSession(s.id); await refetchSessions() }, t('me.signedOut'))}>{t('me.signOut')}</button></Show>
              </li>
            )}</For>
          </ul>
        </section>
        <section class="rounded-lg border border-slate-200 p-4" aria-labelledby="notify-title">
          <h2 id="notify-title" class="mb-2 font-semibold">{t('me.notifications')}</h2>
          <Show when={notify()?.emailConfigured === false}><p class="mb-2 text-sm text-slate-700">{t('me.noSmtp')}</p></Show>
          <label class="flex items-center gap-2 text-sm"><input type="checkbox" checked={notify()?.assigned ?? true} onChange={(e) => toggle('assigned', e.currentTarget.checked)} /> {t('me.notifyAssigned')}</label>
          <label class="mt-1 flex items-center gap-2 text-sm"><input type="checkbox" checked={notify()?.customerReplied ?? true} onChange={(e) => toggle('customerReplied', e.currentTarget.checked)} /> {t('me.notifyReplied')}</label>
          <label class="mt-1 flex items-center gap-2 text-sm"><input type="checkbox" checked={notify()?.slaWarning ?? true} onChange={(e) => toggle('slaWarning', e.currentTarget.checked)} /> {t('me.notifySla')}</label>
        </section>
        <form onSubmit={changePassword} class="grid gap-3 rounded-lg border border-slate-200 p-4 md:grid-cols-3" aria-labelledby="password-title">
          <h2 id="password-title" class="font-semibold md:col-span-3">{t('me.changePassword')}</h2>
          <label class="text-sm">{t('me.currentPassword')}<input name="currentPassword" type="password" required autocomplete="current-password" class={inputClass} /></label>
          <label class="text-sm">{t('me.newPassword')}<input name="newPassword" type="password" minLength={10} required autocomplete="new-password" class={inputClass} /></label>
          <label class="text-sm">{t('me.newPasswordAgain')}<input name="confirm" type="password" minLength={10} required autocomplete="new-password" class={inputClass} /></label>
          <div class="md:col-span-3"><button class={primaryButton}>{t('me.changePassword')}</button></div>
        </form>
      </div>
    </div>
  )
}
