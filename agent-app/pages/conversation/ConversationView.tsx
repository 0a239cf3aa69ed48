import { createSignal, Show, type JSX } from 'solid-js'
import { formatContactName } from '../../../protocol/contact-name.ts'
import { ConnectionStatus } from '../../components/ConnectionStatus.tsx'
import { NavLink } from '../../components/NavLink.tsx'
import { StatusBadge } from '../../components/StatusBadge.tsx'
import type { ConversationStore } from '../../store/conversation.ts'
import { useApp } from '../../store/index.ts'
import { conversationHref } from '../../lib/router.ts'
import { SlaBadge } from '../inbox/SlaBadge.tsx'
import { ActionBar } from './ActionBar.tsx'
import { Composer } from './Composer.tsx'
import { CustomerPanel } from './CustomerPanel.tsx'
import type { ComposerRequest } from './index.tsx'
import { PresenceBar } from './PresenceBar.tsx'
import { Transcript } from './Transcript.tsx'
import { t } from '../../i18n/index.ts'

export default function ConversationView(props: { store: ConversationStore; request: ComposerRequest; backHref: string }): JSX.Element {
  const app = useApp()
  const [panelOpen, setPanelOpen] = createSignal(false)
  const meta = () => props.store.meta()
  const title = () => formatContactName(meta().contact)
  return (
    <div class="flex h-full min-w-0 flex-1" data-testid="conversation" data-id={props.store.id}>
      <section class="flex min-w-0 flex-1 flex-col" aria-labelledby="conversation-title">
        <header class="border-b border-slate-200 px-3 py-2 md:px-4">
          <div class="flex items-center gap-2">
            <NavLink href={props.backHref} class="rounded-md border border-slate-300 px-2 py-1 text-sm md:hidden focus-visible:outline-2 focus-visible:outline-blue-700">
              <span aria-hidden="true">←</span> {t('conversation.back')}
            </NavLink>
            <h2 id="conversation-title" class="min-w-0 flex-1 truncate text-lg font-semibold">{title()}</h2>
            <Show when={meta().status}>{(s) => <StatusBadge status={s()} />}</Show>
            <button class="rounded-md border border-slate-300 px-2 py-1 text-sm xl:hidden focus-visible:outline-2 focus-visible:outline-blue-700"
              aria-expanded={panelOpen()} aria-controls="customer-panel" onClick={() => setPanelOpen(!panelOpen())}>
              {t('conversation.details')}
            </button>
          </div>
          <div class="mt-1 md:hidden"><ConnectionStatus compact /></div>
          <p class="mt-0.5 text-sm text-slate-700" data-testid="assignee">
            {meta().assignee ? t('conversation.assignedTo', { name: app.agentName(meta().assignee) }) : t('conversation.unassigned')}
            <Show when={meta().escalationReason}> · {meta().escalationReason}</Show>
          </p>
          <Show when={meta().mergedInto}>{(into) => (
            <p role="note" class="mt-1 rounded-md border border-amber-300 bg-amber-50 px-2 py-1 text-sm text-amber-900" data-testid="merged-into">
              {t('conversation.mergedNote')}{' '}
              <NavLink href={conversationHref('open', into())} class="font-medium underline">{t('conversation.openMerged')}</NavLink>
            </p>
          )}</Show>
          <Show when={app.inbox.routingOf(props.store.id)}>{(r) => (
            <p class="mt-0.5 flex flex-wrap items-center gap-1.5 text-sm text-slate-700" data-testid="routing">
              <Show when={r().teamId}>{t('conversation.queue', { team: app.teamName(r().teamId) ?? t('conversation.aTeam') })}</Show>
              <Show when={r().reason}><span data-testid="routing-reason">· {r().reason}</span></Show>
              <SlaBadge routing={r()} />
            </p>
          )}</Show>
          <PresenceBar store={props.store} />
          <Show when={app.sessions.canWrite()}>
            <ActionBar store={props.store} />
          </Show>
        </header>
        <Transcript store={props.store} />
        <Show when={app.sessions.canWrite()} fallback={<p class="border-t border-slate-200 p-3 text-sm text-slate-700">{t('conversation.readOnly')}</p>}>
          <Composer store={props.store} request={props.request} />
        </Show>
      </section>
      <aside id="customer-panel" aria-label={t('conversation.customer')}
        class={`${panelOpen() ? 'fixed inset-0 z-20 block bg-white md:static md:inset-auto md:w-72' : 'hidden'} overflow-y-auto border-l border-slate-200 xl:static xl:block xl:w-64 2xl:w-80`}>
        <Show when={panelOpen()}>
          <div class="flex justify-end p-2 xl:hidden">
            <button class="rounded-md border border-slate-300 px-2 py-1 text-sm" onClick={() => setPanelOpen(false)}>{t('conversation.closeDetails')}</button>
          </div>
        </Show>
        <CustomerPanel store={props.store} />
      </aside>
    </div>
  )
}
