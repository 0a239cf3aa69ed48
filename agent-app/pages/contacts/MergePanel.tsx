/**
 * Merge another record of the same person into this one: find it, see where the two disagree,
 * choose what to keep for each such field, confirm. The server refuses a merge whose conflicts
 * were not all decided, so what the agent saw is what happens.
 */
import { createSignal, For, Show, type JSX } from 'solid-js'
import type { ContactInfo, MergePreview } from '../../io/index.ts'
import { api } from '../../io/api.ts'
import { t } from '../../i18n/index.ts'
import { attributeText, tNodes } from '../../i18n/rich.tsx'

export function MergePanel(props: { target: ContactInfo; onMerged: (contact: ContactInfo, sourceId: string) => void }): JSX.Element {
  const [q, setQ] = createSignal('')
  const [found, setFound] = createSignal<ContactInfo[] | null>(null)
  const [preview, setPreview] = createSignal<MergePreview | null>(null)
  const [choice, setChoice] = createSignal<Record<string, 'source' | 'target'>>({})
  const [status, setStatus] = createSignal<string | null>(null)
  const [busy, setBusy] = createSignal(false)
  const find = async (event: SubmitEvent) => {
    event.preventDefault(); setStatus(null)
    try { setFound((await api.contacts.list(`q=${encodeURIComponent(q())}&limit=10`)).items.filter((c) => c.id !== props.target.id)) } catch (e) { setStatus((e as Error).message) }
  }
  const pick = async (source: ContactInfo) => {
    setStatus(null)
    try {
      const p = await api.contacts.mergePreview(props.target.id, source.id)
      setPreview(p); setChoice(Object.fromEntries(p.conflicts.map((c) => [c.field, 'target' as const])))
    } catch (e) { setStatus((e as Error).message) }
  }
  const merge = async () => {
    const p = preview()
    if (!p) return
    setBusy(true); setStatus(null)
    try {
      const answer = await api.contacts.merge(props.target.id, p.source.id, choice())
      setStatus(t('merge.merged', { name: p.source.displayName, n: answer.merge.conversations }))
      setPreview(null); setFound(null); setQ('')
      props.onMerged(answer.contact, p.source.id)
    } catch (e) { setStatus((e as Error).message) } finally { setBusy(false) }
  }
  const label = (field: string) => field.startsWith('attributes.') ? field.slice(11) : field
  return (
    <section aria-labelledby="merge-heading" class="flex flex-col gap-2 rounded-md border border-slate-200 p-3" data-testid="merge-panel">
      <h3 id="merge-heading" class="text-xs font-semibold uppercase tracking-wide text-slate-600">{t('merge.heading')}</h3>
      <form class="flex gap-2" onSubmit={(e) => void find(e)}>
        <label class="sr-only" for="merge-q">{t('merge.find')}</label>
        <input id="merge-q" type="search" value={q()} onInput={(e) => setQ(e.currentTarget.value)} placeholder={t('merge.placeholder')} data-testid="merge-q"
          class="min-w-0 flex-1 rounded-md border border-slate-300 px-2.5 py-1.5 text-sm focus:outline-2 focus:outline-blue-700" />
        <button class="rounded-md border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-100">{t('merge.findButton')}</button>
      </form>
      <Show when={found() && !preview()}>
        <Show when={found()!.length > 0} fallback={<p class="text-sm text-slate-600">{t('merge.noMatch')}</p>}>
          <ul class="flex flex-col gap-1">
            <For each={found()}>{(c) => (
              <li><button class="w-full rounded-md px-2 py-1.5 text-left text-sm hover:bg-slate-100" data-testid="merge-candidate" onClick={() => void pick(c)}>
                <span class="font-medium">{c.displayName}</span> <span class="text-slate-600">{[c.email, c.phone].filter(Boolean).join(' · ')} · {t('contacts.convCount', { n: c.conversationCount })}</span>
              </button></li>
            )}</For>
          </ul>
        </Show>
      </Show>
      <Show when={preview()}>{(p) => (
        <div class="flex flex-col gap-2" data-testid="merge-preview">
          <p class="text-sm">{tNodes('merge.preview', { n: p().source.conversationCount }, { source: <strong>{p().source.displayName}</strong>, target: <strong>{p().target.displayName}</strong> })}</p>
          <Show when={p().conflicts.length > 0} fallback={<p class="text-sm text-slate-600">{t('merge.noConflicts')}</p>}>
            <p class="text-sm font-medium">{t('merge.conflicts', { n: p().conflicts.length })}</p>
            <For each={p().conflicts}>{(c) => (
              <fieldset class="rounded-md border border-slate-200 p-2 text-sm" data-testid={`conflict-${c.field}`}>
                <legend class="px-1 font-medium">{label(c.field)}</legend>
                <label class="mr-4 inline-flex items-center gap-1.5"><input type="radio" name={`keep-${c.field}`} checked={choice()[c.field] === 'target'} onChange={() => setChoice({ ...choice(), [c.field]: 'target' })} /> {attributeText(c.target)} <span class="text-slate-600">{t('merge.this')}</span></label>
                <label class="inline-flex items-center gap-1.5"><input type="radio" name={`keep-${c.field}`} data-testid={`keep-source-${c.field}`} checked={choice()[c.field] === 'source'} onChange={() => setChoice({ ...choice(), [c.field]: 'source' })} /> {attributeText(c.source)} <span class="text-slate-600">{t('merge.other')}</span></label>
              </fieldset>
            )}</For>
          </Show>
          <div class="flex gap-2">
            <button class="rounded-md bg-blue-700 px-3 py-1.5 text-sm text-white hover:bg-blue-800 disabled:opacity-60" disabled={busy()} data-testid="merge-confirm" onClick={() => void merge()}>{t('merge.confirm')}</button>
            <button class="rounded-md border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-100" onClick={() => setPreview(null)}>{t('common.cancel')}</button>
          </div>
        </div>
      )}</Show>
      <Show when={status()}><p class="text-sm" role="status" data-testid="merge-status">{status()}</p></Show>
    </section>
  )
}
