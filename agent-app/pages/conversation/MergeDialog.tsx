/**
 * "Merge into…": picks another conversation of the same contact to merge this one into, and asks
 * before doing it (issue 13). The messages join the chosen conversation by time; this one stays
 * as a pointer to it. Afterwards the app opens the survivor.
 */
import { createResource, createSignal, For, Show, type JSX } from 'solid-js'
import { StatusBadge } from '../../components/StatusBadge.tsx'
import { ApiError } from '../../io/index.ts'
import { api } from '../../io/api.ts'
import { formatWhen } from '../../lib/format.ts'
import { conversationHref, navigate } from '../../lib/router.ts'
import type { ConversationStore } from '../../store/conversation.ts'
import { t } from '../../i18n/index.ts'

const button = 'rounded-md border border-slate-300 bg-white px-2.5 py-1 text-sm hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-blue-700 disabled:opacity-50'

export function MergeButton(props: { store: ConversationStore }): JSX.Element {
  let dialog!: HTMLDialogElement
  const [open, setOpen] = createSignal(false)
  const [chosen, setChosen] = createSignal<string | null>(null)
  const [busy, setBusy] = createSignal(false)
  const [error, setError] = createSignal('')
  const contactId = () => (open() ? props.store.meta().contact?.id : undefined)
  const [contact] = createResource(contactId, (id) => api.conversations.contact(id))
  const candidates = () => (contact()?.conversations ?? []).filter((c) => c.id !== props.store.id && !c.mergedInto)
  const show = () => { setChosen(null); setError(''); setOpen(true); dialog.showModal() }
  const close = () => { setOpen(false); dialog.close() }
  const merge = async () => {
    const into = chosen()
    if (!into) return
    setBusy(true)
    setError('')
    try {
      await api.privacy.merge(props.store.id, into)
      close()
      navigate(conversationHref('open', into))
    } catch (e) {
      setError(e instanceof ApiError && e.offline ? t('mergeConv.offline') : (e as Error).message)
    } finally {
      setBusy(false)
    }
  }
  return (
    <>
      <Show when={!props.store.meta().mergedInto}>
        <button class={button} data-testid="merge" title={t('mergeConv.title')} onClick={show}>{t('mergeConv.button')}</button>
      </Show>
      <dialog ref={dialog} aria-labelledby="merge-title" class="m-auto w-[min(32rem,92vw)] rounded-lg border border-slate-300 p-0 shadow-xl backdrop:bg-slate-900/40" onClose={() => setOpen(false)}>
        <form method="dialog" class="flex flex-col gap-3 p-4" onSubmit={(e) => { e.preventDefault(); void merge() }}>
          <h2 id="merge-title" class="text-lg font-semibold">{t('mergeConv.heading')}</h2>
          <p class="text-sm text-slate-700">{t('mergeConv.text')}</p>
          <Show when={!contact.loading} fallback={<p class="text-sm text-slate-600">{t('mergeConv.loading')}</p>}>
            <Show when={candidates().length > 0} fallback={<p class="text-sm text-slate-600">{contact.error ? t('mergeConv.loadFailed') : t('mergeConv.none')}</p>}>
              <fieldset class="flex max-h-64 flex-col gap-1 overflow-y-auto">
                <legend class="sr-only">{t('mergeConv.legend')}</legend>
                <For each={candidates()}>{(c) => (
                  <label class="flex cursor-pointer items-start gap-2 rounded-md p-2 hover:bg-slate-100">
                    <input type="radio" name="merge-into" value={c.id} checked={chosen() === c.id} onChange={() => setChosen(c.id)} class="mt-1" data-testid="merge-candidate" />
                    <span class="min-w-0 flex-1">
                      <span class="flex items-center gap-2"><StatusBadge status={c.status} /><span class="text-xs text-slate-600">{formatWhen(c.lastActivityAt)} · {t('mergeConv.messages', { n: c.messageCount })}</span></span>
                      <span class="block truncate text-sm text-slate-800">{c.preview || t('panel.noMessages')}</span>
                    </span>
                  </label>
                )}</For>
              </fieldset>
            </Show>
          </Show>
          <Show when={error()}><p role="alert" class="text-sm text-red-800">{error()}</p></Show>
          <div class="flex justify-end gap-2">
            <button type="button" class={button} onClick={close}>{t('common.cancel')}</button>
            <button type="submit" class={`${button} border-blue-700 font-medium text-blue-800`} disabled={!chosen() || busy()} data-testid="merge-confirm">
              {busy() ? t('mergeConv.merging') : t('mergeConv.merge')}
            </button>
          </div>
        </form>
      </dialog>
    </>
  )
}
