/** Search: the server's full-text search when online; the conversations kept on this device when not. */
import { createResource, lazy, Show, type JSX } from 'solid-js'
import { formatContactName, getMessages, getMeta, getNotes, parseDocumentName, type ContactSummary } from '../../../protocol/index.ts'
import { ApiError } from '../../io/index.ts'
import { api } from '../../io/api.ts'
import { route } from '../../lib/router.ts'
import { ConversationPage } from '../conversation/index.tsx'
import { t } from '../../i18n/index.ts'

const SearchView = lazy(() => import('./SearchView.tsx'))

export interface SearchResult { conversationId: string; contactName: string; text: string; createdAt: number; kind: string }
export interface SearchAnswer { results: SearchResult[]; source: 'server' | 'device' }

async function searchDevice(q: string): Promise<SearchResult[]> {
  const needle = q.toLowerCase()
  const results: SearchResult[] = []
  // Conversation documents hold the messages, internal documents the team's notes.
  for (const name of await api.local.documents()) {
    let parsed: ReturnType<typeof parseDocumentName>
    try { parsed = parseDocumentName(name) } catch { continue }
    if (parsed.kind !== 'conversation' && parsed.kind !== 'internal') continue
    const doc = await api.local.read(name)
    const contact = getMeta(doc).get('contact') as ContactSummary | undefined
    const list = parsed.kind === 'conversation' ? getMessages(doc).toArray() : getNotes(doc).toArray()
    for (const m of list) {
      if (m.text.toLowerCase().includes(needle)) results.push({ conversationId: parsed.id, contactName: formatContactName(contact), text: m.text, createdAt: m.createdAt, kind: m.kind })
    }
    doc.destroy()
  }
  return results.sort((a, b) => b.createdAt - a.createdAt).slice(0, 100)
}

async function search(q: string): Promise<SearchAnswer> {
  try {
    const answer = await api.conversations.search(q)
    return { source: 'server', results: answer.items.map((h) => ({ conversationId: h.conversationId, contactName: h.authorRole === 'customer' ? h.authorName : '', text: h.text, createdAt: h.createdAt, kind: h.kind })) }
  } catch (error) {
    if (error instanceof ApiError && error.offline) return { source: 'device', results: await searchDevice(q) }
    throw error
  }
}

export default function SearchPage(): JSX.Element {
  const r = () => route() as { page: 'search'; q: string; conversationId: string | null }
  const [answer] = createResource(() => r().q.trim() || null, search)
  return (
    <div class="flex h-full">
      <section aria-label={t('nav.search')} class={`h-full w-full shrink-0 border-slate-200 md:w-80 md:border-r ${r().conversationId ? 'hidden md:block' : ''}`}>
        <SearchView q={r().q} answer={answer} />
      </section>
      <Show when={r().conversationId} keyed>
        {(id) => <ConversationPage id={id} backHref={`/search?q=${encodeURIComponent(r().q)}`} />}
      </Show>
    </div>
  )
}
