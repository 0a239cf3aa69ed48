/** Inboxes: which widgets land in each, the team it routes to, its assignment policy and SLA targets. */
import { createResource, createSignal, For, type JSX } from 'solid-js'
import { POLICIES } from '../../../protocol/index.ts'
import { FormStatus, errorText, inputClass, primaryButton, secondaryButton } from '../../components/FormStatus.tsx'
import type { InboxInfo } from '../../io/index.ts'
import { api } from '../../io/api.ts'
import { useApp } from '../../store/index.ts'
import { t } from '../../i18n/index.ts'

const POLICY_KEYS = { manual: 'inboxes.policyManual', 'round-robin': 'inboxes.policyRoundRobin', 'least-loaded': 'inboxes.policyLeastLoaded' } as const

export default function InboxesSettings(): JSX.Element {
  const app = useApp()
  const [error, setError] = createSignal('')
  const [saved, setSaved] = createSignal('')
  const [inboxes, { refetch }] = createResource(() => api.inboxes.list().then((r) => r.items), { initialValue: [] })
  const [widgets] = createResource(() => api.widgets.list().then((r) => r.items), { initialValue: [] })
  const read = (form: HTMLFormElement) => {
    const data = new FormData(form)
    const minutes = (key: string) => { const v = String(data.get(key) ?? '').trim(); return v === '' ? null : Number(v) }
    return {
      name: String(data.get('name') ?? ''), teamId: String(data.get('teamId') ?? '') || null, policy: String(data.get('policy')) as InboxInfo['policy'],
      firstResponseMinutes: minutes('firstResponseMinutes'), resolutionMinutes: minutes('resolutionMinutes'), widgetIds: data.getAll('widgetIds').map(String),
    }
  }
  const run = async (message: string, action: () => Promise<unknown>) => {
    setError(''); setSaved('')
    try { await action(); setSaved(message); await refetch() } catch (e) { setError(errorText(e)) }
  }
  const fields = (inbox?: InboxInfo) => (
    <>
      <label class="text-sm">{t('inboxes.name')}<input name="name" required maxLength={100} value={inbox?.name ?? ''} class={inputClass} data-testid="inbox-name" /></label>
      <label class="text-sm">{t('inboxes.routesTo')}
        <select name="teamId" class={inputClass} data-testid="inbox-team">
          <option value="" selected={!inbox?.teamId}>{t('inboxes.everyone')}</option>
          <For each={app.teams()}>{(team) => <option value={team.id} selected={inbox?.teamId === team.id}>{team.name}</option>}</For>
        </select>
      </label>
      <label class="text-sm">{t('inboxes.assignment')}
        <select name="policy" class={inputClass} data-testid="inbox-policy">
          <For each={POLICIES}>{(p) => <option value={p} selected={(inbox?.policy ?? 'manual') === p}>{t(POLICY_KEYS[p])}</option>}</For>
        </select>
      </label>
      <label class="text-sm">{t('inboxes.firstResponse')}<input name="firstResponseMinutes" type="number" min="1" value={inbox?.firstResponseMinutes ?? ''} class={inputClass} data-testid="inbox-frt" /></label>
      <label class="text-sm">{t('inboxes.resolution')}<input name="resolutionMinutes" type="number" min="1" value={inbox?.resolutionMinutes ?? ''} class={inputClass} /></label>
      <fieldset class="text-sm"><legend class="mb-1">{t('inboxes.widgets')}</legend>
        <div class="flex flex-wrap gap-3">
          <For each={widgets()}>{(w) => <label class="flex items-center gap-1"><input type="checkbox" name="widgetIds" value={w.id} checked={inbox?.widgetIds.includes(w.id) ?? false} />{w.name}</label>}</For>
        </div>
      </fieldset>
    </>
  )
  return (
    <div class="flex max-w-3xl flex-col gap-6">
      <FormStatus error={error()} saved={saved()} />
      <p class="text-sm text-slate-700">{t('inboxes.intro')}</p>
      <For each={inboxes()}>{(inbox) => (
        <form onSubmit={(e) => { e.preventDefault(); void run(t('inboxes.saved', { name: inbox.name }), () => api.inboxes.update(inbox.id, read(e.currentTarget))) }}
          class="grid gap-3 rounded-lg border border-slate-200 p-4 md:grid-cols-2" aria-label={t('inboxes.formLabel', { name: inbox.name })} data-testid="inbox-form">
          {fields(inbox)}
          <div class="flex items-center gap-2 md:col-span-2">
            <button class={primaryButton} data-testid="inbox-save">{t('inboxes.save')}</button>
            {inbox.isDefault
              ? <span class="text-sm text-slate-600">{t('inboxes.default')}</span>
              : <>
                <button type="button" class={secondaryButton} onClick={() => void run(t('inboxes.defaultChanged'), () => api.inboxes.update(inbox.id, { isDefault: true }))}>{t('inboxes.makeDefault')}</button>
                <button type="button" class={secondaryButton} onClick={() => void run(t('inboxes.deleted'), () => api.inboxes.remove(inbox.id))}>{t('inboxes.delete')}</button>
              </>}
          </div>
        </form>
      )}</For>
      <form onSubmit={(e) => { e.preventDefault(); const form = e.currentTarget; void run(t('inboxes.added'), async () => { await api.inboxes.create(read(form)); form.reset() }) }}
        class="grid gap-3 rounded-lg border border-dashed border-slate-300 p-4 md:grid-cols-2" aria-label={t('inboxes.new')}>
        {fields()}
        <div><button class={primaryButton}>{t('inboxes.add')}</button></div>
      </form>
    </div>
  )
}
