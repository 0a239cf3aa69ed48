/** Who the customer is: contact, widget, page, the AI's classification and previous conversations. */
import { createResource, For, Show, type JSX } from 'solid-js'
import { formatContactName } from '../../../protocol/contact-name.ts'
import { NavLink } from '../../components/NavLink.tsx'
import { StatusBadge } from '../../components/StatusBadge.tsx'
import { io, type Widget } from '../../io/index.ts'
import { formatDateTime, formatWhen } from '../../lib/format.ts'
import { conversationHref } from '../../lib/router.ts'
import type { ConversationStore } from '../../store/conversation.ts'
import { useApp } from '../../store/index.ts'
import { EmailPanel } from './EmailPanel.tsx'

const row = 'grid grid-cols-[5.5rem_1fr] gap-2 text-sm'

export function CustomerPanel(props: { store: ConversationStore }): JSX.Element {
  const meta = () => props.store.meta()
  const contactId = () => meta().contact?.id
  const [contact] = createResource(contactId, (id) => io.conversations.contact(id).catch((e: Error) => ({ error: e.message })))
  const [widgets] = createResource(() => io.widgets.list().then((r) => r.items).catch(() => [] as Widget[]))
  const widgetName = () => widgets()?.find((w) => w.id === meta().widgetId)?.name
  const known = () => { const c = contact(); return c && !('error' in c) ? c : null }
  const previous = () => (known()?.conversations ?? []).filter((c) => c.id !== props.store.id)
  return (
    <div class="flex flex-col gap-5 p-4" data-testid="customer-panel">
      <section aria-labelledby="contact-heading" class="flex flex-col gap-1.5">
        <h3 id="contact-heading" class="text-xs font-semibold uppercase tracking-wide text-slate-600">Contact</h3>
        <p class="font-semibold">{meta().contact?.name ?? known()?.name ?? formatContactName(meta().contact)}</p>
        <div class={row}><span class="text-slate-600">Email</span><span class="break-all">{meta().contact?.email ?? known()?.email ?? '—'}</span></div>
        <Show when={known()?.externalId}><div class={row}><span class="text-slate-600">User id</span><span class="break-all">{known()!.externalId}</span></div></Show>
        <For each={Object.entries(known()?.fields ?? {})}>{([k, v]) => <div class={row}><span class="text-slate-600">{k}</span><span class="break-all">{v}</span></div>}</For>
        <Show when={known()}><div class={row}><span class="text-slate-600">Last seen</span><span>{formatDateTime(known()!.lastSeenAt)}</span></div></Show>
        <Show when={contact() && 'error' in contact()!}><p class="text-xs text-slate-600">More details load when you are online.</p></Show>
      </section>
      <EmailPanel store={props.store} email={meta().contact?.email ?? known()?.email} canWrite={useApp().sessions.canWrite()} />
      <section aria-labelledby="source-heading" class="flex flex-col gap-1.5">
        <h3 id="source-heading" class="text-xs font-semibold uppercase tracking-wide text-slate-600">Conversation</h3>
        <div class={row}><span class="text-slate-600">Widget</span><span>{widgetName() ?? (meta().widgetId ? meta().widgetId : '—')}</span></div>
        <div class={row}><span class="text-slate-600">Page</span><span class="break-all">{meta().contact?.page ?? '—'}</span></div>
        <Show when={meta().createdAt}><div class={row}><span class="text-slate-600">Started</span><span>{formatDateTime(meta().createdAt!)}</span></div></Show>
        <div class={row}><span class="text-slate-600">Priority</span><span>{meta().priority ?? 'normal'}</span></div>
      </section>
      <Show when={props.store.classification()}>{(c) => (
        <section aria-labelledby="class-heading" class="flex flex-col gap-1.5" data-testid="classification">
          <h3 id="class-heading" class="text-xs font-semibold uppercase tracking-wide text-slate-600">Classification (AI)</h3>
          <div class={row}><span class="text-slate-600">Category</span><span>{c().category}</span></div>
          <div class={row}><span class="text-slate-600">Sentiment</span><span>{c().sentiment}</span></div>
          <div class={row}><span class="text-slate-600">Language</span><span>{c().language}</span></div>
          <div class={row}><span class="text-slate-600">Confidence</span><span>{Math.round(c().confidence * 100)}%</span></div>
          <Show when={c().reasoning}><p class="text-sm text-slate-700">{c().reasoning}</p></Show>
        </section>
      )}</Show>
      <section aria-labelledby="previous-heading" class="flex flex-col gap-1.5">
        <h3 id="previous-heading" class="text-xs font-semibold uppercase tracking-wide text-slate-600">Previous conversations</h3>
        <Show when={previous().length > 0} fallback={<p class="text-sm text-slate-600">{known() ? 'None.' : '—'}</p>}>
          <ul class="flex flex-col gap-1">
            <For each={previous()}>{(c) => (
              <li>
                <NavLink href={conversationHref('open', c.id)} class="block rounded-md px-2 py-1.5 text-sm hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-blue-700">
                  <span class="flex items-center gap-2"><StatusBadge status={c.status} /><span class="text-xs text-slate-600">{formatWhen(c.lastActivityAt)}</span></span>
                  <span class="block truncate text-slate-800">{c.preview || 'No messages'}</span>
                </NavLink>
              </li>
            )}</For>
          </ul>
        </Show>
      </section>
    </div>
  )
}
