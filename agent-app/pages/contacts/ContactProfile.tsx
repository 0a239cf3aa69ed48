/** A contact's profile: edit the details and custom attributes, read the history, merge a duplicate in. */
import { createSignal, For, Show, type JSX } from 'solid-js'
import type { AttributeValue, AttributeValues } from '../../../protocol/index.ts'
import { FormStatus } from '../../components/FormStatus.tsx'
import { ApiError, type ContactInfo } from '../../io/index.ts'
import { api } from '../../io/api.ts'
import { formatDateTime, initials } from '../../lib/format.ts'
import { useApp } from '../../store/index.ts'
import { t } from '../../i18n/index.ts'
import { AttributeInput } from './AttributeInput.tsx'
import { ContactHistory } from './ContactHistory.tsx'
import type { ProfileData } from './contact-list.ts'
import { MergePanel } from './MergePanel.tsx'

const input = 'w-full rounded-md border border-slate-300 px-2.5 py-1.5 text-sm focus:outline-2 focus:outline-blue-700'
const FIELDS = [['name', 'contact.name', 'text'], ['email', 'contact.email', 'email'], ['phone', 'contact.phone', 'tel'], ['company', 'contact.company', 'text'], ['avatarUrl', 'contact.avatarUrl', 'url']] as const

export default function ContactProfile(props: { data: ProfileData; onSaved: (c: ContactInfo) => void; onMerged: (c: ContactInfo, sourceId: string) => void }): JSX.Element {
  const app = useApp()
  const c = () => props.data.contact
  const readOnly = () => !app.sessions.canWrite()
  const [attributes, setAttributes] = createSignal<Record<string, AttributeValue | null>>({})
  const [status, setStatus] = createSignal<{ kind: 'ok' | 'error'; text: string } | null>(null)
  const [saving, setSaving] = createSignal(false)
  const current = (key: string): AttributeValue | undefined => (key in attributes() ? attributes()[key] ?? undefined : (c().attributes as AttributeValues)[key])

  const save = async (event: SubmitEvent) => {
    event.preventDefault()
    const form = new FormData(event.currentTarget as HTMLFormElement)
    const text = (k: string) => { const v = String(form.get(k) ?? '').trim(); return v === '' ? null : v }
    const body: Record<string, unknown> = {
      name: text('name'), email: text('email'), phone: text('phone'), company: text('company'), avatarUrl: text('avatarUrl'),
      notes: String(form.get('notes') ?? ''), tags: String(form.get('tags') ?? '').split(',').map((tag) => tag.trim()).filter(Boolean),
      ...(Object.keys(attributes()).length > 0 ? { attributes: attributes() } : {}),
    }
    setSaving(true); setStatus(null)
    try {
      const saved = await api.contacts.update(c().id, body)
      setAttributes({})
      setStatus({ kind: 'ok', text: t('contact.saved') })
      props.onSaved(saved)
    } catch (error) {
      setStatus({ kind: 'error', text: error instanceof ApiError && error.offline ? t('contact.offline') : (error as Error).message })
    } finally { setSaving(false) }
  }

  return (
    <div class="flex max-w-3xl flex-col gap-6 p-4 md:p-6" data-testid="contact-profile">
      <header class="flex items-center gap-3">
        <Show when={c().avatarUrl} fallback={<span aria-hidden="true" class="flex h-12 w-12 items-center justify-center rounded-full bg-slate-200 font-semibold text-slate-700">{initials(c().displayName)}</span>}>
          <img src={c().avatarUrl!} alt="" class="h-12 w-12 rounded-full object-cover" referrerpolicy="no-referrer" />
        </Show>
        <div class="min-w-0">
          <h2 class="truncate text-lg font-semibold" data-testid="profile-name">{c().displayName}</h2>
          <p class="text-xs text-slate-600">
            {t('contact.seen', { seen: formatDateTime(c().lastSeenAt), created: formatDateTime(c().createdAt) })}
            <Show when={c().externalId}> · {t('contact.userId')} <span class="font-mono">{c().externalId}</span></Show>
          </p>
        </div>
      </header>

      <form class="flex flex-col gap-4" onSubmit={(e) => void save(e)} aria-labelledby="details-heading">
        <h3 id="details-heading" class="text-xs font-semibold uppercase tracking-wide text-slate-600">{t('contact.details')}</h3>
        <div class="grid gap-3 sm:grid-cols-2">
          <For each={FIELDS}>{([key, label, type]) => (
            <div class="flex flex-col gap-1">
              <label for={`contact-${key}`} class="text-sm text-slate-700">{t(label)}</label>
              <input id={`contact-${key}`} name={key} type={type} class={input} disabled={readOnly()} value={(c()[key] as string | null) ?? ''} data-testid={`field-${key}`} />
            </div>
          )}</For>
          <div class="flex flex-col gap-1">
            <label for="contact-tags" class="text-sm text-slate-700">{t('contact.tags')}</label>
            <input id="contact-tags" name="tags" class={input} disabled={readOnly()} value={c().tags.join(', ')} />
          </div>
        </div>
        <div class="flex flex-col gap-1">
          <label for="contact-notes" class="text-sm text-slate-700">{t('contact.notes')}</label>
          <textarea id="contact-notes" name="notes" rows="3" maxLength={10000} class={input} disabled={readOnly()}>{c().notes}</textarea>
        </div>
        <Show when={props.data.definitions.length > 0}>
          <h3 class="text-xs font-semibold uppercase tracking-wide text-slate-600">{t('contact.attributes')}</h3>
          <div class="grid gap-3 sm:grid-cols-2" data-testid="contact-attributes">
            <For each={props.data.definitions}>{(d) => (
              <AttributeInput definition={d} value={current(d.key)} disabled={readOnly()} onChange={(v) => setAttributes({ ...attributes(), [d.key]: v })} />
            )}</For>
          </div>
        </Show>
        <Show when={Object.keys(c().fields).length > 0}>
          <div class="text-sm text-slate-700">
            <For each={Object.entries(c().fields)}>{([k, v]) => <p><span class="text-slate-600">{k}:</span> {v}</p>}</For>
          </div>
        </Show>
        <Show when={!readOnly()}>
          <div class="flex items-center gap-3">
            <button class="rounded-md bg-blue-700 px-4 py-1.5 text-sm text-white hover:bg-blue-800 disabled:opacity-60" disabled={saving()} data-testid="contact-save">{t('common.save')}</button>
            <FormStatus error={status()?.kind === 'error' ? status()!.text : ''} saved={status()?.kind === 'ok' ? status()!.text : undefined} />
          </div>
        </Show>
      </form>

      <ContactHistory contactId={c().id} first={c().conversations} cursor={c().conversationsCursor} />
      <Show when={!readOnly()}><MergePanel target={c()} onMerged={props.onMerged} /></Show>
    </div>
  )
}
