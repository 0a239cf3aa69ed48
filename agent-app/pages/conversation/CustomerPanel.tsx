/** Who the customer is: contact, widget, page, the AI's classification and previous conversations. */
import { createResource, For, Show, type JSX } from 'solid-js'
import { formatContactName } from '../../../protocol/index.ts'
import { attributeText } from '../../i18n/rich.tsx'
import { EarlierConversation } from './EarlierConversation.tsx'
import { NavLink } from '../../components/NavLink.tsx'
import type { Widget } from '../../io/index.ts'
import { api } from '../../io/api.ts'
import { formatDateTime } from '../../lib/format.ts'
import { contactHref } from '../../lib/router.ts'
import type { ConversationStore } from '../../store/conversation.ts'
import { t } from '../../i18n/index.ts'
import { useApp } from '../../store/index.ts'
import { PrivacyActions } from './PrivacyActions.tsx'
import { EmailPanel } from './EmailPanel.tsx'

const row = 'grid grid-cols-[5.5rem_1fr] gap-2 text-sm'

export function CustomerPanel(props: { store: ConversationStore }): JSX.Element {
  const app = useApp()
  const meta = () => props.store.meta()
  const contactId = () => meta().contact?.id
  const [contact, { refetch }] = createResource(contactId, (id) => api.conversations.contact(id).catch((e: Error) => ({ error: e.message })))
  const [widgets] = createResource(() => api.widgets.list().then((r) => r.items).catch(() => [] as Widget[]))
  const widgetName = () => widgets()?.find((w) => w.id === meta().widgetId)?.name
  const known = () => { const c = contact(); return c && !('error' in c) ? c : null }
  const previous = () => (known()?.conversations ?? []).filter((c) => c.id !== props.store.id)
  const [definitions] = createResource(() => api.contacts.attributes().then((r) => r.items).catch(() => []))
  const labels = () => Object.fromEntries((definitions() ?? []).map((d) => [d.key, d.label]))
  // The record's name first (an agent's edit, an identify), then the live summary, then the same
  // "Visitor #1234" the inbox row shows: an email left in the widget names the contact here too.
  const name = () => known()?.name ?? meta().contact?.name ?? known()?.email ?? formatContactName(meta().contact)
  return (
    <div class="flex flex-col gap-5 p-4" data-testid="customer-panel">
      <section aria-labelledby="contact-heading" class="flex flex-col gap-1.5">
        <h3 id="contact-heading" class="text-xs font-semibold uppercase tracking-wide text-slate-600">{t('panel.contact')}</h3>
        <p class="font-semibold" data-testid="panel-contact-name">{name()}</p>
        <div class={row}><span class="text-slate-600">{t('panel.email')}</span><span class="break-all">{known()?.email ?? meta().contact?.email ?? '—'}</span></div>
        <Show when={known()?.phone}><div class={row}><span class="text-slate-600">{t('panel.phone')}</span><span class="break-all">{known()!.phone}</span></div></Show>
        <Show when={known()?.company}><div class={row}><span class="text-slate-600">{t('panel.company')}</span><span>{known()!.company}</span></div></Show>
        <Show when={known()?.externalId}><div class={row}><span class="text-slate-600">{t('panel.userId')}</span><span class="break-all">{known()!.externalId}</span></div></Show>
        <For each={Object.entries(known()?.attributes ?? {})}>{([k, v]) => (
          <div class={row} data-testid={`panel-attr-${k}`}><span class="text-slate-600">{labels()[k] ?? k}</span><span class="break-all">{attributeText(v)}</span></div>
        )}</For>
        <Show when={(known()?.tags.length ?? 0) > 0}><div class={row}><span class="text-slate-600">{t('panel.tags')}</span><span>{known()!.tags.join(', ')}</span></div></Show>
        <For each={Object.entries(known()?.fields ?? {})}>{([k, v]) => <div class={row}><span class="text-slate-600">{k}</span><span class="break-all">{v}</span></div>}</For>
        <Show when={known()}><div class={row}><span class="text-slate-600">{t('panel.lastSeen')}</span><span>{formatDateTime(known()!.lastSeenAt)}</span></div></Show>
        <Show when={known()?.notes}><p class="whitespace-pre-line text-sm text-slate-700">{known()!.notes}</p></Show>
        <Show when={known()}><NavLink href={contactHref(known()!.id)} testId="open-profile" class="self-start text-sm text-blue-800 underline-offset-2 hover:underline">{t('panel.openProfile')}</NavLink></Show>
        <Show when={contact() && 'error' in contact()!}><p class="text-xs text-slate-600">{t('panel.moreOnline')}</p></Show>
      </section>
      <EmailPanel store={props.store} email={meta().contact?.email ?? known()?.email} canWrite={useApp().sessions.canWrite()} />
      <section aria-labelledby="source-heading" class="flex flex-col gap-1.5">
        <h3 id="source-heading" class="text-xs font-semibold uppercase tracking-wide text-slate-600">{t('panel.conversation')}</h3>
        <div class={row}><span class="text-slate-600">{t('panel.widget')}</span><span>{widgetName() ?? (meta().widgetId ? meta().widgetId : '—')}</span></div>
        <div class={row}><span class="text-slate-600">{t('panel.page')}</span><span class="break-all">{meta().contact?.page ?? '—'}</span></div>
        <Show when={meta().createdAt}><div class={row}><span class="text-slate-600">{t('panel.started')}</span><span>{formatDateTime(meta().createdAt!)}</span></div></Show>
        <div class={row}><span class="text-slate-600">{t('panel.priority')}</span><span>{t(`priority.${meta().priority ?? 'normal'}` as const)}</span></div>
      </section>
      <Show when={props.store.classification()}>{(c) => (
        <section aria-labelledby="class-heading" class="flex flex-col gap-1.5" data-testid="classification">
          <h3 id="class-heading" class="text-xs font-semibold uppercase tracking-wide text-slate-600">{t('panel.classification')}</h3>
          <div class={row}><span class="text-slate-600">{t('panel.category')}</span><span>{c().category}</span></div>
          <div class={row}><span class="text-slate-600">{t('panel.sentiment')}</span><span>{c().sentiment}</span></div>
          <div class={row}><span class="text-slate-600">{t('panel.language')}</span><span>{c().language}</span></div>
          <div class={row}><span class="text-slate-600">{t('panel.confidence')}</span><span>{Math.round(c().confidence * 100)}%</span></div>
          <Show when={c().reasoning}><p class="text-sm text-slate-700">{c().reasoning}</p></Show>
        </section>
      )}</Show>
      <section aria-labelledby="previous-heading" class="flex flex-col gap-1.5">
        <h3 id="previous-heading" class="text-xs font-semibold uppercase tracking-wide text-slate-600">{t('panel.previous')}</h3>
        <Show when={previous().length > 0} fallback={<p class="text-sm text-slate-600">{known() ? t('common.none') : '—'}</p>}>
          <ul class="flex flex-col gap-1" data-testid="previous-conversations">
            <For each={previous()}>{(c) => <EarlierConversation conversation={c} />}</For>
          </ul>
        </Show>
      </section>
      <Show when={app.sessions.isAdmin() && contactId()}>{(id) => (
        <PrivacyActions contactId={id()} name={meta().contact?.name ?? known()?.name ?? formatContactName(meta().contact)} onErased={() => void refetch()} />
      )}</Show>
    </div>
  )
}
