/**
 * Email from the conversation: for a customer who left an email and is gone, the agent sends
 * their last reply by email (threaded with the earlier ones); every email of the conversation
 * is listed with how its delivery went, a failed one with its error and "Send again".
 */
import { createResource, createSignal, For, Show, type JSX } from 'solid-js'
import { api } from '../../io/api.ts'
import { formatDateTime } from '../../lib/format.ts'
import type { ConversationStore } from '../../store/conversation.ts'
import { t, type AppKey } from '../../i18n/index.ts'
import { tNodes } from '../../i18n/rich.tsx'
import { emailStatus } from '../../lib/email-labels.ts'

const button = 'rounded-md border border-slate-300 bg-white px-2 py-1 text-sm hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-blue-700 disabled:opacity-50'

export function EmailPanel(props: { store: ConversationStore; email: string | null | undefined; canWrite: boolean }): JSX.Element {
  const [log, { refetch }] = createResource(() => props.store.id, (id) => api.email.deliveries(`?conversation=${encodeURIComponent(id)}`).then((r) => r.items).catch(() => []))
  const [error, setError] = createSignal('')
  const lastReply = () => [...props.store.messages()].reverse().find((m) => m.author.role === 'agent' && m.kind === 'message' && !m.change)
  const delivery = (messageId: string) => (log() ?? []).find((d) => d.messageId.includes(`.${messageId}@`))
  const emailed = (messageId: string) => delivery(messageId) !== undefined
  const LABEL: Record<string, AppKey> = { sent: 'emailPanel.sent', failed: 'emailPanel.failed' }
  const act = async (what: () => Promise<unknown>) => {
    setError('')
    try { await what(); await refetch() } catch (e) { setError((e as Error).message) }
  }
  return (
    <section aria-labelledby="email-heading" class="flex flex-col gap-1.5" data-testid="email-panel">
      <h3 id="email-heading" class="text-xs font-semibold uppercase tracking-wide text-slate-600">{t('panel.email')}</h3>
      <Show when={props.email} fallback={<p class="text-sm text-slate-600">{t('emailPanel.noEmail')}</p>}>
        <Show when={lastReply()} fallback={<p class="text-sm text-slate-600">{t('emailPanel.replyFirst', { email: props.email ?? '' })}</p>}>{(reply) => (
          <button class={button} disabled={!props.canWrite || emailed(reply().id)} onClick={() => void act(() => api.email.reply(props.store.id, reply().id))}>
            {emailed(reply().id) ? t(LABEL[delivery(reply().id)!.status] ?? 'emailPanel.being') : t('emailPanel.send', { email: props.email ?? '' })}
          </button>
        )}</Show>
      </Show>
      <Show when={error()}><p role="alert" class="text-sm text-red-800">{error()}</p></Show>
      <ul class="flex flex-col gap-1 text-sm">
        <For each={log() ?? []}>{(d) => (
          <li class={d.status === 'failed' ? 'rounded-md bg-red-50 p-1.5 text-red-900' : ''} data-status={d.status}>
            <span class="block">{tNodes(d.kind === 'transcript' ? 'emailPanel.transcriptLine' : 'emailPanel.replyLine', { to: d.to }, { status: <strong>{emailStatus(d.status)}</strong> })}{d.attempts > 1 ? ` ${t('emailPanel.after', { n: d.attempts })}` : ''}</span>
            <span class="block text-xs text-slate-600">{formatDateTime(d.createdAt)}</span>
            <Show when={d.error && d.status !== 'sent'}><span class="block text-xs">{d.error}</span></Show>
            <Show when={d.status === 'failed' && props.canWrite}><button class={`${button} mt-1`} onClick={() => void act(() => api.email.retry(d.id))}>{t('email.sendAgain')}</button></Show>
          </li>
        )}</For>
      </ul>
      <Show when={(log() ?? []).some((d) => d.status !== 'sent' && d.status !== 'failed')}><button class="self-start text-xs text-blue-800 underline" onClick={() => void refetch()}>{t('email.refresh')}</button></Show>
    </section>
  )
}
