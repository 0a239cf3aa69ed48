/** The transcript: messages with authors, times and delivery state, and a bot reply streaming in. */
import { createEffect, createMemo, For, on, Show, type JSX } from 'solid-js'
import type { ConversationStore } from '../../store/conversation.ts'
import { useApp } from '../../store/index.ts'
import { MessageBubble } from './MessageBubble.tsx'
import { QueuedReplyBubble } from './QueuedReplyBubble.tsx'
import { t } from '../../i18n/index.ts'
import { hasMarkdown, renderMarkdown } from '../../../protocol/markdown.ts'
import { withoutOpenMarkers } from '../../../protocol/markdown-syntax.ts'

export function Transcript(props: { store: ConversationStore }): JSX.Element {
  const app = useApp()
  const queued = () => app.fileOutbox.queued().filter((r) => r.conversationId === props.store.id)
  let scroller!: HTMLDivElement
  let pinned = true
  const onScroll = () => { pinned = scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 80 }
  createEffect(on(() => [props.store.messages().length, props.store.streams(), queued().length], () => {
    if (pinned) queueMicrotask(() => { scroller.scrollTop = scroller.scrollHeight })
  }))
  const unsent = () => new Set(props.store.unsent())
  // The customer's "seen" counts the conversation document's messages (notes are not among them).
  const seen = createMemo(() => new Set(props.store.messages().filter((m) => m.kind !== 'note').slice(0, props.store.customerSeen()).map((m) => m.id)))
  const csat = () => props.store.meta().csat
  const typing = () => props.store.peers().filter((p) => p.typing)
  return (
    <div ref={scroller} onScroll={onScroll} class="min-h-0 flex-1 overflow-y-auto bg-slate-50 px-3 py-4 md:px-6" data-testid="transcript">
      <ol class="mx-auto flex max-w-3xl flex-col gap-3" aria-label={t('transcript.messages')}>
        <Show when={props.store.loaded() && props.store.messages().length === 0}>
          <li class="text-center text-sm text-slate-600">{props.store.synced() ? t('transcript.empty') : t('transcript.notHere')}</li>
        </Show>
        <For each={props.store.messages()}>{(message) => <MessageBubble message={message} pending={unsent().has(message.id)} seen={seen().has(message.id)} conversationId={props.store.id} />}</For>
        <Show when={csat()}>{(c) => (
          <li class="mx-auto rounded-lg border border-slate-300 bg-white px-3 py-2 text-sm text-slate-900" data-testid="csat">
            <span class="font-medium">{t('transcript.rating', { rating: c().rating })}</span> <span aria-hidden="true" class="text-amber-600">{'★'.repeat(c().rating)}{'☆'.repeat(5 - c().rating)}</span>
            <Show when={c().comment}><p class="mt-0.5 whitespace-pre-wrap break-words text-slate-700">“{c().comment}”</p></Show>
          </li>
        )}</Show>
        <For each={queued()}>{(reply) => <QueuedReplyBubble reply={reply} onDiscard={() => void app.fileOutbox.discard(reply.id)} />}</For>
        <For each={props.store.streams()}>{(stream) => (
          <li class="flex flex-col items-start" data-testid="stream">
            <span class="mb-0.5 text-xs text-slate-600">{t('transcript.botWriting')}</span>
            {/* Rendered as it will be once final: a list or bold text does not show its Markdown while it streams in. */}
            <Show when={hasMarkdown(stream.text)} fallback={
              <p class="max-w-[85%] whitespace-pre-wrap break-words rounded-2xl rounded-bl-sm bg-violet-100 px-3 py-2 text-violet-950">{stream.text}<span class="animate-pulse" aria-hidden="true">▍</span></p>
            }>
              <div class="markdown max-w-[85%] break-words rounded-2xl rounded-bl-sm bg-violet-100 px-3 py-2 text-violet-950 [&_a]:underline [&_ol]:list-decimal [&_ol]:pl-5 [&_p+*]:mt-2 [&_ul]:list-disc [&_ul]:pl-5 [&_code]:font-mono"
                innerHTML={renderMarkdown(withoutOpenMarkers(stream.text))} />
            </Show>
          </li>
        )}</For>
      </ol>
      <div class="mx-auto mt-2 max-w-3xl text-sm text-slate-600" aria-live="polite">
        <Show when={props.store.customerTyping()}><p>{t('transcript.customerTyping')}</p></Show>
        <For each={typing()}>{(peer) => <p>{t('transcript.typing', { name: peer.name })}</p>}</For>
      </div>
    </div>
  )
}
