/**
 * One message. A customer's text is always rendered as text; the team's and the bot's carry a
 * Markdown subset, rendered by the shared sanitising renderer (raw HTML in it stays text).
 */
import { For, Match, Show, Switch, type JSX } from 'solid-js'
import { splitLinks } from '../../../protocol/linkify.ts'
import type { Message } from '../../../protocol/index.ts'
import { hasMarkdown, renderMarkdown } from '../../../protocol/markdown.ts'
import { formatDateTime, formatWhen } from '../../lib/format.ts'
import { useApp } from '../../store/index.ts'
import { Attachments } from './Attachments.tsx'
import { t } from '../../i18n/index.ts'

export function MessageBubble(props: { message: Message; pending: boolean; seen?: boolean; conversationId: string }): JSX.Element {
  const m = () => props.message
  // A reply and a note made at the same moment wait for the same connection: say the same about both.
  const { connection } = useApp()
  const waiting = () => (connection.state() === 'offline' ? t('message.savedHere') : t('message.sending'))
  const mine = () => m().author.role === 'agent'
  const bubbleColour = () => (mine() ? 'rounded-br-sm bg-blue-700 text-white' : m().author.role === 'bot' ? 'rounded-bl-sm bg-violet-100 text-violet-950' : 'rounded-bl-sm bg-white text-slate-900 ring-1 ring-slate-200')
  const time = () => (
    <time dateTime={new Date(m().createdAt).toISOString()} title={formatDateTime(m().createdAt)}>{formatWhen(m().createdAt)}</time>
  )
  return (
    <Switch>
      <Match when={m().kind === 'event'}>
        <li class="text-center text-xs text-slate-600" data-testid="event">{m().text} · {time()}</li>
      </Match>
      <Match when={m().kind === 'note'}>
        <li class="rounded-lg border border-amber-300 bg-amber-50 px-3 py-2" data-testid="note" data-id={m().id}>
          <p class="mb-1 text-xs font-medium text-amber-900">{t('message.note')} · {m().author.name} · {time()}<Show when={props.pending}> · <span data-testid="delivery">{waiting()}</span></Show></p>
          <p class="whitespace-pre-wrap break-words text-slate-900"><TextWithLinks text={m().text} /></p>
        </li>
      </Match>
      <Match when={true}>
        <li class={`flex flex-col ${mine() ? 'items-end' : 'items-start'}`} data-testid="message" data-role={m().author.role} data-id={m().id}>
          <span class="mb-0.5 text-xs text-slate-600">
            {m().author.role === 'bot' ? t('message.bot', { name: m().author.name }) : m().author.name} · {time()}
            <Show when={mine()}> · <span data-testid="delivery">{props.pending ? waiting() : props.seen ? t('message.seen') : t('message.sent')}</span></Show>
          </span>
          <Show when={m().text || m().attachments.length === 0}>
            <Show when={m().author.role !== 'customer' && hasMarkdown(m().text)} fallback={
              <p class={`max-w-[85%] whitespace-pre-wrap break-words rounded-2xl px-3 py-2 ${bubbleColour()}`} data-testid="message-text"><TextWithLinks text={m().text} /></p>
            }>
              <div class={`markdown max-w-[85%] break-words rounded-2xl px-3 py-2 [&_a]:underline [&_ol]:list-decimal [&_ol]:pl-5 [&_p+*]:mt-2 [&_ul]:list-disc [&_ul]:pl-5 [&_code]:font-mono ${bubbleColour()}`}
                data-testid="message-text" innerHTML={renderMarkdown(m().text)} />
            </Show>
          </Show>
          <Show when={m().attachments.length > 0}><Attachments conversationId={props.conversationId} attachments={m().attachments} mine={mine()} /></Show>
          <Show when={m().sources?.length}>
            <p class="mt-0.5 text-xs text-slate-600">{t('message.sources', { titles: m().sources!.map((s) => s.title).join(', ') })}</p>
          </Show>
        </li>
      </Match>
    </Switch>
  )
}

/** Plain text with its URLs as links (new tab, rel=noopener); built as text nodes and <a>, never parsed as HTML. */
function TextWithLinks(props: { text: string }): JSX.Element {
  return (
    <For each={splitLinks(props.text)}>{(part) => (part.href
      ? <a href={part.href} target="_blank" rel="noopener noreferrer" class="underline underline-offset-2 break-all">{part.text}</a>
      : <>{part.text}</>)}</For>
  )
}
