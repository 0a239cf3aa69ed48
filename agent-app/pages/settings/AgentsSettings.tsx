import { createResource, createSignal, For, type JSX } from 'solid-js'
import { FormStatus, errorText, inputClass, primaryButton, secondaryButton } from '../../components/FormStatus.tsx'
import { InvitationsPanel } from './InvitationsPanel.tsx'
import { io } from '../../io/index.ts'
import { useApp } from '../../store/index.ts'
import { t } from '../../i18n/index.ts'

const roleName = (role: string): string => (role === 'admin' || role === 'agent' || role === 'viewer' || role === 'owner' ? t(`role.${role}` as const) : role)

export default function AgentsSettings(): JSX.Element {
  const app = useApp()
  const [agents, { refetch }] = createResource(() => io.agents.list().then((r) => r.items))
  const [error, setError] = createSignal('')
  const [saved, setSaved] = createSignal('')
  const attempt = async (what: () => Promise<unknown>, done: string) => {
    setError(''); setSaved('')
    try { await what(); setSaved(done); await refetch(); app.refetchAgents() } catch (e) { setError(errorText(e)) }
  }
  const invite = (event: SubmitEvent) => {
    event.preventDefault()
    const form = event.currentTarget as HTMLFormElement
    const data = Object.fromEntries(new FormData(form)) as Record<string, string>
    void attempt(() => io.agents.create({ email: data.email!, name: data.name!, role: data.role!, password: data.password! }).then(() => form.reset()), t('agents.added', { name: data.name ?? '' }))
  }
  return (
    <div class="flex max-w-3xl flex-col gap-6">
      <FormStatus error={error()} saved={saved()} />
      <div class="overflow-x-auto">
        <table class="w-full text-left text-sm">
          <thead class="text-slate-600"><tr><th class="py-2 pr-3 font-medium">{t('agents.name')}</th><th class="py-2 pr-3 font-medium">{t('agents.email')}</th><th class="py-2 pr-3 font-medium">{t('agents.role')}</th><th class="py-2 pr-3 font-medium">{t('agents.active')}</th><th /></tr></thead>
          <tbody>
            <For each={agents() ?? []}>{(agent) => (
              <tr class="border-t border-slate-200">
                <td class="py-2 pr-3">{agent.name}</td>
                <td class="py-2 pr-3 break-all">{agent.email}</td>
                <td class="py-2 pr-3">
                  {agent.role === 'owner' ? t('role.owner') : (
                    <select aria-label={t('agents.roleOf', { name: agent.name })} class="rounded-md border border-slate-300 px-2 py-1" value={agent.role}
                      onChange={(e) => void attempt(() => io.agents.update(agent.id, { role: e.currentTarget.value }), t('agents.roleChanged', { name: agent.name, role: roleName(e.currentTarget.value) }))}>
                      <option value="admin">{t('role.admin')}</option><option value="agent">{t('role.agent')}</option><option value="viewer">{t('role.viewer')}</option>
                    </select>
                  )}
                </td>
                <td class="py-2 pr-3">
                  <input type="checkbox" aria-label={t('agents.isActive', { name: agent.name })} checked={agent.active} disabled={agent.role === 'owner' || agent.id === app.me.id}
                    onChange={(e) => void attempt(() => io.agents.update(agent.id, { active: e.currentTarget.checked }), t(e.currentTarget.checked ? 'agents.reactivated' : 'agents.deactivated', { name: agent.name }))} />
                </td>
                <td class="py-2 text-right">
                  {agent.role !== 'owner' && agent.id !== app.me.id && (
                    <button class={secondaryButton} onClick={() => {
                      if (!confirm(t('agents.confirmRemove', { name: agent.name }))) return
                      void attempt(async () => { const r = await io.agents.remove(agent.id); return r }, t('agents.removed', { name: agent.name }))
                    }}>{t('agents.remove')}</button>
                  )}
                </td>
              </tr>
            )}</For>
          </tbody>
        </table>
      </div>
      <InvitationsPanel />
      <form onSubmit={invite} class="grid gap-3 rounded-lg border border-slate-200 p-4 md:grid-cols-2" aria-labelledby="add-agent">
        <h2 id="add-agent" class="font-semibold md:col-span-2">{t('agents.add')}</h2>
        <label class="text-sm">{t('agents.name')}<input name="name" required maxLength={200} class={inputClass} /></label>
        <label class="text-sm">{t('agents.email')}<input name="email" type="email" required class={inputClass} /></label>
        <label class="text-sm">{t('agents.role')}
          <select name="role" class={inputClass}><option value="agent">{t('role.agent')}</option><option value="admin">{t('role.admin')}</option><option value="viewer">{t('role.viewer')}</option></select>
        </label>
        <label class="text-sm">{t('agents.password')}<input name="password" type="password" minLength={10} required autocomplete="new-password" class={inputClass} /></label>
        <div class="md:col-span-2"><button class={primaryButton}>{t('agents.submit')}</button></div>
      </form>
    </div>
  )
}
