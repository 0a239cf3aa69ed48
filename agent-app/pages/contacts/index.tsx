/**
 * Contacts (issue 13): the searchable list of the workspace's customers, and a contact's profile
 * beside it. Online, the server searches, sorts and pages (a cursor, 50 at a time); offline, the
 * list is the contacts this device has seen, searched here.
 */
import { createEffect, createResource, createSignal, lazy, on, Show, type JSX } from 'solid-js'
import { CONTACT_SORTS, type ContactSort } from '../../../protocol/index.ts'
import { ApiError, type ContactInfo } from '../../io/index.ts'
import { api } from '../../io/api.ts'
import { searchSeen } from '../../io/contact-cache.ts'
import { route } from '../../lib/router.ts'
import { t } from '../../i18n/index.ts'
import { contactsQuery, type ContactListState, type ProfileData } from './contact-list.ts'
import { ContactsView } from './ContactsView.tsx'

const ContactProfile = lazy(() => import('./ContactProfile.tsx'))
const PAGE = 50

export default function ContactsPage(): JSX.Element {
  const r = () => route() as { page: 'contacts'; contactId: string | null; params: URLSearchParams }
  const q = () => r().params.get('q') ?? ''
  const sort = (): ContactSort => CONTACT_SORTS.find((s) => s === r().params.get('sort')) ?? 'lastSeen'
  const [state, setState] = createSignal<ContactListState>({ q: '', sort: 'lastSeen', items: [], loading: true, error: null, offline: false, hasMore: false })
  let cursor: string | null = null
  let generation = 0

  async function load(more: boolean): Promise<void> {
    const mine = more ? generation : ++generation
    const base = { q: q(), sort: sort() }
    setState((s) => ({ ...s, ...base, loading: true, error: null, ...(more ? {} : { items: [] }) }))
    try {
      const page = await api.contacts.list(`${contactsQuery(base.q, base.sort)}&limit=${PAGE}${more && cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`)
      if (mine !== generation) return
      cursor = page.nextCursor
      setState((s) => ({ ...s, items: more ? [...s.items, ...page.items] : page.items, loading: false, offline: false, hasMore: page.nextCursor !== null }))
    } catch (error) {
      if (mine !== generation) return
      if (error instanceof ApiError && error.offline) {
        setState((s) => ({ ...s, items: sortSeen(searchSeen(api.contacts.seen(), base.q), base.sort), loading: false, offline: true, hasMore: false }))
      } else setState((s) => ({ ...s, loading: false, error: (error as Error).message }))
    }
  }
  createEffect(on([q, sort], () => { cursor = null; void load(false) }))

  const [profile, { mutate }] = createResource(() => r().contactId, async (id): Promise<ProfileData> => {
    const [contact, definitions] = await Promise.all([api.contacts.get(id), api.contacts.attributes().then((d) => d.items).catch(() => [])])
    return { contact, definitions, offline: false }
  })
  const onSaved = (contact: ContactInfo) => {
    setState((s) => ({ ...s, items: s.items.map((c) => (c.id === contact.id ? contact : c)) }))
    const current = profile()
    if (current) mutate({ ...current, contact: { ...current.contact, ...contact } })
  }
  const onMerged = (contact: ContactInfo, sourceId: string) => {
    setState((s) => ({ ...s, items: s.items.filter((c) => c.id !== sourceId).map((c) => (c.id === contact.id ? contact : c)) }))
    void api.contacts.get(contact.id).then((fresh) => { const current = profile(); if (current) mutate({ ...current, contact: fresh }) })
  }
  return (
    <div class="flex h-full">
      <section aria-label={t('nav.contacts')} class={`h-full w-full shrink-0 border-slate-200 md:w-[26rem] md:border-r ${r().contactId ? 'hidden md:block' : ''}`}>
        <ContactsView state={state()} selectedId={r().contactId} onLoadMore={() => void load(true)} />
      </section>
      <Show when={r().contactId}>
        <div class="min-w-0 flex-1 overflow-y-auto">
          <Show when={profile.error}><p role="alert" class="p-6 text-sm text-red-800">{(profile.error as Error).message}</p></Show>
          {/* Keyed by the contact, not the answer: a save or a merge updates the profile in place. */}
          <Show when={profile()?.contact.id} keyed>{(_id) => <ContactProfile data={profile()!} onSaved={onSaved} onMerged={onMerged} />}</Show>
        </div>
      </Show>
    </div>
  )
}

function sortSeen(items: ContactInfo[], sort: ContactSort): ContactInfo[] {
  const by = { lastSeen: (a: ContactInfo, b: ContactInfo) => b.lastSeenAt - a.lastSeenAt, created: (a: ContactInfo, b: ContactInfo) => b.createdAt - a.createdAt, name: (a: ContactInfo, b: ContactInfo) => a.displayName.localeCompare(b.displayName) }[sort]
  return [...items].sort(by)
}
