/**
 * The customer's data rights (GDPR, issue 13), for owners and admins: download everything held
 * about them as a zip, or erase them. Erasing cannot be undone, so it asks for the word typed out.
 */
import { createSignal, Show, type JSX } from 'solid-js'
import { ERASE_CONFIRMATION, type EraseResult } from '../../../protocol/privacy.ts'
import { ApiError } from '../../io/index.ts'
import { api } from '../../io/api.ts'
import { t } from '../../i18n/index.ts'
import { tNodes } from '../../i18n/rich.tsx'

const button = 'rounded-md border border-slate-300 bg-white px-2.5 py-1 text-sm hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-blue-700 disabled:opacity-50'

const message = (e: unknown) => (e instanceof ApiError && e.offline ? t('privacy.offline') : (e as Error).message)

function save(blob: Blob, fileName: string): void {
  const href = URL.createObjectURL(blob)
  const link = Object.assign(document.createElement('a'), { href, download: fileName })
  document.body.append(link)
  link.click()
  link.remove()
  setTimeout(() => URL.revokeObjectURL(href), 60_000)
}

export function PrivacyActions(props: { contactId: string; name: string; onErased?: (result: EraseResult) => void }): JSX.Element {
  let dialog!: HTMLDialogElement
  const [status, setStatus] = createSignal('')
  const [busy, setBusy] = createSignal(false)
  const [typed, setTyped] = createSignal('')
  const [error, setError] = createSignal('')
  const exportData = async () => {
    setBusy(true)
    setStatus('')
    try {
      const { blob, fileName } = await api.privacy.exportContact(props.contactId)
      save(blob, fileName)
      setStatus(t('privacy.exported', { size: Math.max(1, Math.round(blob.size / 1024)) }))
    } catch (e) {
      setStatus(message(e))
    } finally {
      setBusy(false)
    }
  }
  const erase = async () => {
    if (typed().trim().toLowerCase() !== ERASE_CONFIRMATION) return
    setBusy(true)
    setError('')
    try {
      const result = await api.privacy.eraseContact(props.contactId)
      dialog.close()
      setStatus(t('privacy.erased', { messages: result.messages, conversations: result.conversations, files: result.attachments }))
      props.onErased?.(result)
    } catch (e) {
      setError(message(e))
    } finally {
      setBusy(false)
    }
  }
  return (
    <section aria-labelledby="privacy-heading" class="flex flex-col gap-1.5" data-testid="privacy">
      <h3 id="privacy-heading" class="text-xs font-semibold uppercase tracking-wide text-slate-600">{t('privacy.heading')}</h3>
      <div class="flex flex-wrap gap-2">
        <button class={button} disabled={busy()} onClick={() => void exportData()} data-testid="export-contact">{t('privacy.export')}</button>
        <button class={`${button} border-red-700 text-red-800 hover:bg-red-50`} disabled={busy()} data-testid="erase-contact"
          onClick={() => { setTyped(''); setError(''); dialog.showModal() }}>{t('privacy.erase')}</button>
      </div>
      <Show when={status()}><p role="status" class="text-xs text-slate-700" data-testid="privacy-status">{status()}</p></Show>
      <dialog ref={dialog} aria-labelledby="erase-title" class="m-auto w-[min(30rem,92vw)] rounded-lg border border-slate-300 p-0 shadow-xl backdrop:bg-slate-900/40">
        <form method="dialog" class="flex flex-col gap-3 p-4" onSubmit={(e) => { e.preventDefault(); void erase() }}>
          <h2 id="erase-title" class="text-lg font-semibold text-red-900">{t('privacy.eraseTitle', { name: props.name })}</h2>
          <p class="text-sm text-slate-700">{t('privacy.eraseText')}</p>
          <label class="flex flex-col gap-1 text-sm">
            <span>{tNodes('privacy.typeToConfirm', {}, { word: <strong>{ERASE_CONFIRMATION}</strong> })}</span>
            <input class="rounded-md border border-slate-300 px-2 py-1 focus-visible:outline-2 focus-visible:outline-blue-700" autocomplete="off"
              value={typed()} onInput={(e) => setTyped(e.currentTarget.value)} data-testid="erase-confirm-input" />
          </label>
          <Show when={error()}><p role="alert" class="text-sm text-red-800">{error()}</p></Show>
          <div class="flex justify-end gap-2">
            <button type="button" class={button} onClick={() => dialog.close()}>{t('common.cancel')}</button>
            <button type="submit" class="rounded-md border border-red-800 bg-red-700 px-2.5 py-1 text-sm font-medium text-white hover:bg-red-800 disabled:opacity-50"
              disabled={busy() || typed().trim().toLowerCase() !== ERASE_CONFIRMATION} data-testid="erase-confirm">
              {busy() ? t('privacy.erasing') : t('privacy.eraseForGood')}
            </button>
          </div>
        </form>
      </dialog>
    </section>
  )
}
