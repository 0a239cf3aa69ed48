/** Teams: who is in each, which AI categories it handles, a capacity override; each agent's own capacity. */
import { createResource, createSignal, For, Show, type JSX } from 'solid-js'
import { FormStatus, errorText, inputClass, primaryButton, secondaryButton } from '../../components/FormStatus.tsx'
import { io, type TeamInfo } from '../../io/index.ts'
import { useApp } from '../../store/index.ts'
import { t } from '../../i18n/index.ts'

const splitList = (text: string) => text.split(',').map((s) => s.trim()).filter(Boolean)

export default function TeamsSettings(): JSX.Element {
  const app = useApp()
  const [error, setError] = createSignal('')
  const [saved, setSaved] = createSignal('')
  const members = () => app.agents().filter((a) => a.active && a.role !== 'viewer')
  const [settings, { refetch }] = createResource(() => io.routing.settings())
  const done = async (message: string) => { setSaved(message); app.refetchTeams(); await app.refetchAgents() }
  const read = (form: HTMLFormElement) => {
    const data = new FormData(form)
    const capacity = String(data.get('capacity') ?? '').trim()
    return { name: String(data.get('name') ?? ''), members: data.getAll('members').map(String), categories: splitList(String(data.get('categories') ?? '')), capacity: capacity === '' ? null : Number(capacity) }
  }
  const create = async (event: SubmitEvent) => {
    event.preventDefault()
    const form = event.currentTarget as HTMLFormElement
    setError(''); setSaved('')
    try { await io.teams.create(read(form)); form.reset(); await done(t('teams.added')) } catch (e) { setError(errorText(e)) }
  }
  const update = async (team: TeamInfo, event: SubmitEvent) => {
    event.preventDefault()
    setError(''); setSaved('')
    try { await io.teams.update(team.id, read(event.currentTarget as HTMLFormElement)); await done(t('teams.saved', { name: team.name })) } catch (e) { setError(errorText(e)) }
  }
  const remove = async (team: TeamInfo) => {
    if (!confirm(t('teams.confirmDelete', { name: team.name }))) return
    try { await io.teams.remove(team.id); await done(t('teams.deleted')) } catch (e) { setError(errorText(e)) }
  }
  const saveRouting = async (event: SubmitEvent) => {
    event.preventDefault()
    const data = new FormData(event.currentTarget as HTMLFormElement)
    setError(''); setSaved('')
    try {
      await io.routing.saveSettings({
        confidenceThreshold: Number(data.get('confidenceThreshold')), autoAwayMinutes: Number(data.get('autoAwayMinutes')),
        slaWarningMinutes: Number(data.get('slaWarningMinutes')), slaWarningPercent: Number(data.get('slaWarningPercent')),
      })
      for (const agent of members()) {
        const value = Number(data.get(`capacity-${agent.id}`))
        if (value !== agent.capacity) await io.routing.setCapacity(agent.id, value)
      }
      await refetch(); await done(t('teams.routingSaved'))
    } catch (e) { setError(errorText(e)) }
  }
  const fields = (team?: TeamInfo) => (
    <>
      <label class="text-sm">{t('teams.name')}<input name="name" required maxLength={100} value={team?.name ?? ''} class={inputClass} data-testid="team-name" /></label>
      <label class="text-sm">{t('teams.categories')}<input name="categories" value={team?.categories.join(', ') ?? ''} placeholder={t('teams.categoriesPlaceholder')} class={inputClass} data-testid="team-categories" /></label>
      <label class="text-sm">{t('teams.capacity')}<input name="capacity" type="number" min="0" max="100" value={team?.capacity ?? ''} class={inputClass} /></label>
      <fieldset class="text-sm md:col-span-2"><legend class="mb-1">{t('teams.members')}</legend>
        <div class="flex flex-wrap gap-3">
          <For each={members()}>{(a) => <label class="flex items-center gap-1"><input type="checkbox" name="members" value={a.id} checked={team?.members.includes(a.id) ?? false} data-testid={`member-${a.name}`} />{a.name}</label>}</For>
        </div>
      </fieldset>
    </>
  )
  return (
    <div class="flex max-w-3xl flex-col gap-6">
      <FormStatus error={error()} saved={saved()} />
      <form onSubmit={create} class="grid gap-3 rounded-lg border border-slate-200 p-4 md:grid-cols-2" aria-label={t('teams.new')}>
        {fields()}
        <div><button class={primaryButton} data-testid="team-add">{t('teams.add')}</button></div>
      </form>
      <For each={app.teams()} fallback={<p class="text-sm text-slate-600">{t('teams.none')}</p>}>{(team) => (
        <form onSubmit={(e) => void update(team, e)} class="grid gap-3 rounded-lg border border-slate-200 p-4 md:grid-cols-2" aria-label={t('teams.formLabel', { name: team.name })}>
          {fields(team)}
          <div class="flex gap-2"><button class={primaryButton}>{t('teams.save')}</button><button type="button" class={secondaryButton} onClick={() => void remove(team)}>{t('teams.delete')}</button></div>
        </form>
      )}</For>
      <Show when={settings()}>{(s) => (
        <form onSubmit={saveRouting} class="grid gap-3 rounded-lg border border-slate-200 p-4 md:grid-cols-2" aria-label={t('teams.routingLabel')}>
          <h2 class="font-semibold md:col-span-2">{t('teams.routing')}</h2>
          <label class="text-sm">{t('teams.threshold')}<input name="confidenceThreshold" type="number" min="0" max="1" step="0.01" value={s().confidenceThreshold} class={inputClass} /></label>
          <label class="text-sm">{t('teams.autoAway')}<input name="autoAwayMinutes" type="number" min="1" max="1440" value={s().autoAwayMinutes} class={inputClass} /></label>
          <label class="text-sm">{t('teams.slaWarningMinutes')}<input name="slaWarningMinutes" type="number" min="1" max="1440" value={s().slaWarningMinutes} class={inputClass} /></label>
          <label class="text-sm">{t('teams.slaWarningPercent')}<input name="slaWarningPercent" type="number" min="1" max="100" value={s().slaWarningPercent} class={inputClass} /></label>
          <fieldset class="text-sm md:col-span-2"><legend class="mb-1">{t('teams.agentCapacity')}</legend>
            <div class="grid gap-2 md:grid-cols-3">
              <For each={members()}>{(a) => <label class="flex items-center gap-2">{a.name}<input name={`capacity-${a.id}`} type="number" min="0" max="100" value={a.capacity ?? 3} class={`${inputClass} w-20`} /></label>}</For>
            </div>
          </fieldset>
          <div><button class={primaryButton}>{t('teams.saveRouting')}</button></div>
        </form>
      )}</Show>
    </div>
  )
}
