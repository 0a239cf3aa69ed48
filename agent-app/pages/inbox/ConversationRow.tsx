import { Show, type JSX } from 'solid-js'
import type { InboxEntry } from '../../../protocol/index.ts'
import { NavLink } from '../../components/NavLink.tsx'
import { StatusBadge } from '../../components/StatusBadge.tsx'
import { formatDuration, formatWhen } from '../../lib/format.ts'
import { now } from '../../lib/clock.ts'
import { t } from '../../i18n/index.ts'
import { conversationHref } from '../../lib/router.ts'
import { useApp } from '../../store/index.ts'
import type { View } from '../../store/inbox.ts'
import { SlaBadge } from './SlaBadge.tsx'

export function ConversationRow(props: { entry: InboxEntry; view: View; selected: boolean }): JSX.Element {
  const { inbox, agentName, teamName } = useApp()
  const routing = () => inbox.routingOf(props.entry.id)
  const unread = () => inbox.unread(props.entry)
  // How long the customer has waited for a person, live (the queue's order is by this too).
  const waiting = () => (props.entry.status === 'waiting' && props.entry.waitingSince ? formatDuration(Math.max(0, now() - props.entry.waitingSince)) : null)
  return (
    <li class="row-cv border-b border-slate-100" data-testid="inbox-row" data-id={props.entry.id}>
      <NavLink href={conversationHref(props.view, props.entry.id)} active={props.selected}
        class={`block px-4 py-3 focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-blue-700 ${props.selected ? 'bg-blue-50' : 'hover:bg-slate-50'}`}>
        <div class="flex items-center gap-2">
          <Show when={unread() > 0}><span class="h-2 w-2 shrink-0 rounded-full bg-blue-700" aria-label={t('nav.unread', { n: unread() })} /></Show>
          <span class={`min-w-0 flex-1 truncate ${unread() > 0 ? 'font-semibold' : 'font-medium'}`}>{props.entry.contactName}</span>
          <time class="shrink-0 text-xs text-slate-600" dateTime={new Date(props.entry.lastActivityAt).toISOString()}>{formatWhen(props.entry.lastActivityAt, now())}</time>
        </div>
        <p class="mt-0.5 truncate text-sm text-slate-700" data-testid="inbox-preview">{props.entry.preview || props.entry.subject || t('inbox.noMessages')}</p>
        <div class="mt-1 flex flex-wrap items-center gap-1.5 text-xs">
          <StatusBadge status={props.entry.status} />
          <Show when={props.entry.priority !== 'normal'}>
            <span class={`rounded px-1.5 py-0.5 lowercase ${props.entry.priority === 'high' ? 'bg-red-100 text-red-800' : 'bg-slate-100 text-slate-700'}`}>{t(`priority.${props.entry.priority}` as const)}</span>
          </Show>
          <Show when={waiting()}>{(d) => <span class="font-medium text-amber-900" data-testid="waiting-time">{t('inbox.waitingFor', { duration: d() })}</span>}</Show>
          <Show when={props.entry.assignee}>
            <span class="text-slate-600">{agentName(props.entry.assignee)}</span>
          </Show>
          <Show when={routing()?.teamId && teamName(routing()!.teamId)}>{(name) => <span class="rounded bg-indigo-50 px-1.5 py-0.5 text-indigo-900" data-testid="row-team">{name()}</span>}</Show>
          <SlaBadge routing={routing()} />
          <Show when={unread() > 0}><span class="ml-auto rounded-full bg-blue-700 px-1.5 font-semibold text-white">{unread()}</span></Show>
        </div>
      </NavLink>
    </li>
  )
}
