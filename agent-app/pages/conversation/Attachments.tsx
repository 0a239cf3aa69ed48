/**
 * A message's attachments (issue 17): images as an inline preview that opens in a lightbox,
 * other files as a card with name, size and type. Bytes come through io (the bearer token is
 * needed, so no plain <img src>), and stay in this account's cache for offline.
 */
import { createResource, createSignal, For, onCleanup, Show, type JSX } from 'solid-js'
import type { Attachment } from '../../../protocol/index.ts'
import { io } from '../../io/index.ts'
import { formatSize } from '../../lib/format.ts'
import { t } from '../../i18n/index.ts'

/** The types the server serves inline (server/http/attachments.routes.ts); anything else is a download. */
const IMAGE = /^image\/(png|jpeg|gif|webp)$/

export function Attachments(props: { conversationId: string; attachments: Attachment[]; mine: boolean }): JSX.Element {
  return (
    <ul class={`mt-1 flex max-w-[85%] flex-wrap gap-2 ${props.mine ? 'justify-end' : ''}`} aria-label={t('message.attachments')} data-testid="attachments">
      <For each={props.attachments}>{(a) => <li><AttachmentItem conversationId={props.conversationId} attachment={a} /></li>}</For>
    </ul>
  )
}

function AttachmentItem(props: { conversationId: string; attachment: Attachment }): JSX.Element {
  const a = () => props.attachment
  const image = () => IMAGE.test(a().contentType)
  // Images load at once for the preview; other files only when the agent asks for them.
  const [url] = createResource(() => (image() ? a() : null), (attachment) => io.attachments.objectUrl(props.conversationId, attachment))
  onCleanup(() => { const u = url(); if (u) URL.revokeObjectURL(u) })
  const [open, setOpen] = createSignal(false)
  const [error, setError] = createSignal('')
  const download = async () => {
    setError('')
    try {
      const href = await io.attachments.objectUrl(props.conversationId, a())
      const link = Object.assign(document.createElement('a'), { href, download: a().name })
      link.click()
      setTimeout(() => URL.revokeObjectURL(href), 60_000)
    } catch (e) { setError((e as Error).message) }
  }
  return (
    <Show when={image()} fallback={
      <button type="button" onClick={download} data-testid="attachment-file"
        class="flex min-w-48 items-center gap-3 rounded-lg border border-slate-300 bg-white px-3 py-2 text-left text-slate-900 hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-blue-700">
        <span class="grid h-9 w-9 shrink-0 place-items-center rounded bg-slate-200 text-xs font-semibold uppercase text-slate-700" aria-hidden="true">{extension(a().name)}</span>
        <span class="min-w-0">
          <span class="block truncate text-sm font-medium">{a().name}</span>
          <span class="block text-xs text-slate-600">{formatSize(a().size)} · {a().contentType}</span>
          <Show when={error()}><span class="block text-xs text-red-800" role="alert">{error()}</span></Show>
        </span>
      </button>
    }>
      <button type="button" onClick={() => setOpen(true)} aria-label={t('message.open', { name: a().name })} data-testid="attachment-image"
        class="block overflow-hidden rounded-lg ring-1 ring-slate-300 focus-visible:outline-2 focus-visible:outline-blue-700">
        <Show when={url()} fallback={<span class="grid h-24 w-32 place-items-center bg-slate-100 px-2 text-xs text-slate-600">{url.error ? t('message.unavailableOffline', { name: a().name }) : t('common.loading')}</span>}>
          <img src={url()} alt={a().name} class="max-h-48 min-h-12 min-w-12 max-w-64 object-contain" />
        </Show>
      </button>
      <Show when={open() && url()}>
        <Lightbox src={url()!} name={a().name} onClose={() => setOpen(false)} />
      </Show>
    </Show>
  )
}

function Lightbox(props: { src: string; name: string; onClose: () => void }): JSX.Element {
  let dialog!: HTMLDialogElement
  // A modal <dialog>: the browser traps focus, Escape closes it, focus returns to the thumbnail.
  queueMicrotask(() => dialog.showModal())
  return (
    <dialog ref={dialog} onClose={props.onClose} onClick={(e) => { if (e.target === dialog) dialog.close() }} aria-label={props.name} data-testid="lightbox"
      class="m-auto max-h-[95vh] max-w-[95vw] rounded-lg bg-white p-2 backdrop:bg-black/70">
      <img src={props.src} alt={props.name} class="max-h-[85vh] min-w-64 max-w-[90vw] object-contain" />
      <div class="mt-2 flex items-center justify-between gap-4 text-sm">
        <span class="truncate">{props.name}</span>
        <button type="button" class="rounded-md border border-slate-300 px-2 py-1 focus-visible:outline-2 focus-visible:outline-blue-700" onClick={() => dialog.close()}>{t('common.close')}</button>
      </div>
    </dialog>
  )
}

const extension = (name: string) => (/\.([a-z0-9]{1,4})$/i.exec(name)?.[1] ?? 'file')
