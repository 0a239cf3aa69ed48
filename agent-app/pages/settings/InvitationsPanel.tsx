/** Inviting by email: the invitee chooses their own password from the link; resend and revoke. */
import { createResource, createSignal, For, Show, type JSX } from 'solid-js'
import { FormStatus, errorText, inputClass, primaryButton, secondaryButton } from '../../components/FormStatus.tsx'
import type { InviteAnswer } from '../../io/index.ts'
import { api } from '../../io/api.ts'
import { intlLocale, t } from '../../i18n/index.ts'

const roleName = (role: string): string => (role === 'admin' || role === 'agent' || role === 'viewer' || role === 'owner' ? t(`role.${role}` as const) : role)

export function InvitationsPanel(): JSX.Element {
  const [error, setError] = createSignal('')
  // Offline (or refused), the list says why instead of throwing out of the page.
  const [invitations, { refetch }] = createResource(() => api.invitations.list().then((r) => r.items, (e: unknown) => { setError(errorText(e)); return [] }))
  const [saved, setSaved] = createSignal('')
  const [link, setLink] = createSignal('')
  const told = (answer: InviteAnswer, email: string) => {
    setLink(answer.link ?? '')
    setSaved(answer.emailed ? t('invites.emailed', { email }) : t('invites.noEmail', { email }))
  }
  const attempt = async (what: () => Promise<unknown>) => {
    setError(''); setSaved(''); setLink('')
    try { await what(); await refetch() } catch (e) { setError(errorText(e)) }
  }
  const invite = (event: SubmitEvent) => {
    event.preventDefault()
    const form = event.currentTarget as HTMLFormElement
    const data = Object.fromEntries(new FormData(form)) as Record<string, string>
    void attempt(async () => { told(await api.invitations.create(data.inviteEmail!, data.inviteRole!), data.inviteEmail!); form.reset() })
  }
  return (
    <section class="flex flex-col gap-3 rounded-lg border border-slate-200 p-4" aria-labelledby="invite-title">
      <h2 id="invite-title" class="font-semibold">{t('invites.title')}</h2>
      <form onSubmit={invite} class="grid gap-3 md:grid-cols-[1fr_10rem_auto] md:items-end" data-testid="invite-form">
        <label class="text-sm">{t('agents.email')}<input name="inviteEmail" type="email" required class={inputClass} /></label>
        <label class="text-sm">{t('agents.role')}
          <select name="inviteRole" class={inputClass}><option value="agent">{t('role.agent')}</option><option value="admin">{t('role.admin')}</option><option value="viewer">{t('role.viewer')}</option></select>
        </label>
        <button class={primaryButton}>{t('invites.send')}</button>
      </form>
      <FormStatus error={error()} saved={saved()} />
      <Show when={link()}><input readOnly value={link()} aria-label={t('invites.link')} data-testid="invitation-link" class={`${inputClass} font-mono text-xs`} onFocus={(e) => e.currentTarget.select()} /></Show>
      <Show when={(invitations() ?? []).length > 0}>
        <table class="w-full text-left text-sm" data-testid="invitations">
          <thead class="text-slate-600"><tr><th class="py-1 pr-3 font-medium">{t('invites.invited')}</th><th class="py-1 pr-3 font-medium">{t('agents.role')}</th><th class="py-1 pr-3 font-medium">{t('invites.status')}</th><th /></tr></thead>
          <tbody>
            <For each={invitations()}>{(inv) => (
              <tr class="border-t border-slate-200">
                <td class="py-1.5 pr-3 break-all">{inv.email}</td>
                <td class="py-1.5 pr-3">{roleName(inv.role)}</td>
                <td class="py-1.5 pr-3">{inv.status === 'expired' ? t('invites.expired') : t('invites.until', { date: new Date(inv.expiresAt).toLocaleDateString(intlLocale()) })}</td>
                <td class="flex justify-end gap-2 py-1.5">
                  <button class={secondaryButton} onClick={() => void attempt(async () => told(await api.invitations.resend(inv.id), inv.email))}>{t('invites.resend')}</button>
                  <button class={secondaryButton} onClick={() => void attempt(async () => { await api.invitations.revoke(inv.id); setSaved(t('invites.revoked', { email: inv.email })) })}>{t('invites.revoke')}</button>
                </td>
              </tr>
            )}</For>
          </tbody>
        </table>
      </Show>
    </section>
  )
}
