/** A reply with files waiting on this device for a connection (store/file-outbox.ts): sent, with its files, once online. */
import { For, Show, type JSX } from 'solid-js'
import type { QueuedReply } from '../../io/file-outbox.ts'
import { formatSize } from '../../lib/format.ts'
import { useApp } from '../../store/index.ts'
import { t } from '../../i18n/index.ts'

export function QueuedReplyBubble(props: { reply: QueuedReply; onDiscard: () => void }): JSX.Element {
  const app = useApp()
  const files = () => [...props.reply.uploaded.map((a) => ({ name: a.name, size: a.size })), ...props.reply.files.map((f) => ({ name: f.name, size: f.blob.size }))]
  return (
    <li class="flex flex-col items-end" data-testid="queued-reply" data-id={props.reply.id}>
      <span class="mb-0.5 text-xs text-slate-600">
        {app.me.name} · <span data-testid="delivery">{app.connection.state() === 'offline' ? t('message.savedHere') : t('message.sending')}</span> · {t('queued.withFiles')} ·{' '}
        <button type="button" class="underline focus-visible:outline-2 focus-visible:outline-blue-700" onClick={props.onDiscard}>{t('common.discard')}</button>
      </span>
      <Show when={props.reply.text}>
        <p class="max-w-[85%] whitespace-pre-wrap break-words rounded-2xl rounded-br-sm bg-blue-700/80 px-3 py-2 text-white">{props.reply.text}</p>
      </Show>
      <ul class="mt-1 flex flex-wrap justify-end gap-1.5" aria-label={t('queued.files')}>
        <For each={files()}>{(f) => <li class="rounded-md border border-dashed border-slate-400 bg-white px-2 py-1 text-xs text-slate-800">{f.name} · {formatSize(f.size)}</li>}</For>
      </ul>
      <Show when={app.fileOutbox.failure()}><p class="text-xs text-red-800" role="alert">{t('queued.failed', { error: app.fileOutbox.failure() })}</p></Show>
    </li>
  )
}
