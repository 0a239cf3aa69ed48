/** Take and transfer (through the server, which decides), priority, labels, snooze, resolve and reopen (writes to meta). */
import { createSignal, For, Show, type JSX } from 'solid-js'
import { PRIORITIES, type Priority } from '../../../protocol/index.ts'
import type { ConversationStore } from '../../store/conversation.ts'
import { useApp } from '../../store/index.ts'
import { formatContactName } from '../../../protocol/contact-name.ts'
import { downloadText, formatTranscript } from '../../lib/transcript.ts'
import { t } from '../../i18n/index.ts'
import { formatClock, formatShortDateTime } from '../../lib/format.ts'
import { MergeButton } from './MergeDialog.tsx'

const button = 'rounded-md border border-slate-300 bg-white px-2.5 py-1 text-sm hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-blue-700 disabled:opacity-50'
const select = 'rounded-md border border-slate-300 bg-white px-2 py-1 text-sm focus-visible:outline-2 focus-visible:outline-blue-700'

function snoozeOptions(now = new Date()): { label: string; at: number }[] {
  const tomorrow = new Date(now)
  tomorrow.setDate(now.getDate() + 1)
  tomorrow.setHours(9, 0, 0, 0)
  return [
    { label: t('actions.snooze1h'), at: now.getTime() + 3_600_000 },
    { label: t('actions.snooze4h'), at: now.getTime() + 4 * 3_600_000 },
    { label: t('actions.snoozeTomorrow', { time: formatClock(tomorrow.getTime()) }), at: tomorrow.getTime() },
    { label: t('actions.snoozeWeek'), at: now.getTime() + 7 * 86_400_000 },
  ]
}

export function ActionBar(props: { store: ConversationStore }): JSX.Element {
  const app = useApp()
  const [error, setError] = createSignal('')
  const meta = () => props.store.meta()
  const run = (action: () => void | Promise<void>) => {
    setError('')
    try {
      const result = action()
      if (result instanceof Promise) result.catch((e: Error) => setError(e.message))
    } catch (e) { setError((e as Error).message) }
  }
  /** Who has it, when that is someone else: the server's answer to my Take, or the document. */
  const takenBy = () => (meta().assignee && meta().assignee !== app.me.id ? app.agentName(meta().assignee) : props.store.takenBy())
  const transfer = (event: SubmitEvent) => {
    event.preventDefault()
    const form = event.currentTarget as HTMLFormElement
    const target = (form.elements.namedItem('target') as HTMLSelectElement).value
    const note = (form.elements.namedItem('note') as HTMLTextAreaElement).value.trim()
    if (!target) return
    run(async () => {
      if (target.startsWith('team:')) await props.store.transferToTeam(target.slice(5), note)
      else await props.store.assign(target.slice(6), note)
      form.reset()
      ;(form.closest('details') as HTMLDetailsElement | null)?.removeAttribute('open')
    })
  }
  const addLabel = (event: SubmitEvent) => {
    event.preventDefault()
    const input = (event.currentTarget as HTMLFormElement).elements.namedItem('label') as HTMLInputElement
    const label = input.value.trim()
    if (!label) return
    run(() => props.store.addLabel(label))
    input.value = ''
  }
  return (
    <div class="mt-2 flex flex-wrap items-center gap-2" role="toolbar" aria-label={t('actions.toolbar')}>
      <Show when={meta().assignee !== app.me.id && meta().status !== 'resolved'}>
        <Show when={takenBy()} fallback={
          <button class={`${button} border-blue-700 font-medium text-blue-800`} onClick={() => run(props.store.take)} data-testid="take">{t('actions.take')} <kbd class="sr-only">a</kbd></button>
        }>
          <span class="rounded-md border border-slate-300 bg-slate-100 px-2.5 py-1 text-sm text-slate-700" data-testid="taken-by">{t('actions.takenBy', { name: takenBy() ?? '' })}</span>
        </Show>
      </Show>
      <label class="sr-only" for="assign">{t('actions.assignee')}</label>
      {/* Each option says whether it is the assignee: a select's value set before its options exist
          (the team list loads after the document, from the network or cache) would not stick,
          and the menu showed "Unassigned" after every reload (issue 17). */}
      <select id="assign" class={select} data-testid="assign" onChange={(e) => run(() => props.store.assign(e.currentTarget.value || null))}>
        <option value="" selected={!meta().assignee}>{t('conversation.unassigned')}</option>
        <For each={app.agents().filter((a) => a.active && a.role !== 'viewer')}>{(a) => <option value={a.id} selected={a.id === meta().assignee}>{a.id === app.me.id ? t('actions.meSuffix', { name: a.name }) : a.name}</option>}</For>
        <Show when={meta().assignee && !app.agents().some((a) => a.id === meta().assignee && a.active && a.role !== 'viewer')}>
          <option value={meta().assignee!} selected>{app.agentName(meta().assignee)}</option>
        </Show>
      </select>
      <details class="relative">
        <summary class={`${button} cursor-pointer list-none`} data-testid="transfer">{t('actions.transfer')}</summary>
        <form onSubmit={transfer} class="absolute z-10 mt-1 flex w-72 flex-col gap-2 rounded-md border border-slate-300 bg-white p-3 shadow-lg">
          <label class="text-sm text-slate-700">{t('actions.transferTo')}
            <select name="target" class={`${select} mt-1 w-full`} data-testid="transfer-target">
              <option value="">{t('actions.transferChoose')}</option>
              <optgroup label={t('actions.agents')}>
                <For each={app.agents().filter((a) => a.active && a.role !== 'viewer' && a.id !== meta().assignee)}>{(a) => <option value={`agent:${a.id}`}>{a.name}</option>}</For>
              </optgroup>
              <optgroup label={t('actions.teams')}>
                <For each={app.teams()}>{(team) => <option value={`team:${team.id}`}>{team.name}</option>}</For>
              </optgroup>
            </select>
          </label>
          <label class="text-sm text-slate-700">{t('actions.transferNote')}
            <textarea name="note" rows={2} maxLength={5000} class="mt-1 w-full rounded-md border border-slate-300 px-2 py-1 text-sm" data-testid="transfer-note" />
          </label>
          <button class={`${button} self-end`} type="submit" data-testid="transfer-submit">{t('actions.transferSubmit')}</button>
        </form>
      </details>
      <label class="sr-only" for="priority">{t('actions.priority')}</label>
      <select id="priority" class={select} value={meta().priority ?? 'normal'} onChange={(e) => run(() => props.store.setPriority(e.currentTarget.value as Priority))}>
        <For each={PRIORITIES}>{(p) => <option value={p}>{t('actions.priorityOption', { priority: t(`priority.${p}` as const) })}</option>}</For>
      </select>
      <Show when={meta().status !== 'snoozed' && meta().status !== 'resolved'}>
        <label class="sr-only" for="snooze">{t('actions.snooze')}</label>
        <select id="snooze" class={select} value="" onChange={(e) => { const at = Number(e.currentTarget.value); if (at) run(() => props.store.snooze(at)); e.currentTarget.value = '' }}>
          <option value="">{t('actions.snoozeMenu')}</option>
          <For each={snoozeOptions()}>{(o) => <option value={o.at}>{o.label}</option>}</For>
        </select>
      </Show>
      <Show when={meta().status === 'resolved' || meta().status === 'snoozed'} fallback={
        <button class={button} onClick={() => run(props.store.resolve)} data-testid="resolve">{t('actions.resolve')}</button>
      }>
        <button class={button} onClick={() => run(props.store.reopen)} data-testid="reopen">{t('actions.reopen')}</button>
      </Show>
      <Show when={meta().status === 'snoozed' && meta().snoozedUntil}>
        <span class="text-sm text-slate-700">{t('actions.snoozedUntil', { when: formatShortDateTime(meta().snoozedUntil!) })}</span>
      </Show>
      <button class={button} data-testid="transcript" title={t('actions.transcriptTitle')}
        onClick={() => { const name = formatContactName(meta().contact); downloadText(`transcript-${props.store.id}.txt`, formatTranscript(name, props.store.messages())) }}>
        {t('actions.transcript')}
      </button>
      <MergeButton store={props.store} />
      <ul class="flex flex-wrap items-center gap-1" aria-label={t('actions.labels')}>
        <For each={meta().labels ?? []}>{(label) => (
          <li class="flex items-center gap-1 rounded-full bg-slate-200 py-0.5 pl-2 pr-1 text-xs text-slate-900">
            {label}
            <button class="rounded-full px-1 hover:bg-slate-300 focus-visible:outline-2 focus-visible:outline-blue-700" aria-label={t('actions.removeLabel', { label })} onClick={() => run(() => props.store.removeLabel(label))}>×</button>
          </li>
        )}</For>
      </ul>
      <form onSubmit={addLabel} class="flex items-center">
        <label class="sr-only" for="new-label">{t('actions.addLabel')}</label>
        <input id="new-label" name="label" maxLength={50} placeholder={t('actions.labelPlaceholder')} class="w-24 rounded-md border border-slate-300 px-2 py-1 text-sm focus-visible:outline-2 focus-visible:outline-blue-700" />
      </form>
      <Show when={error()}><p role="alert" class="w-full text-sm text-red-800">{error()}</p></Show>
    </div>
  )
}
