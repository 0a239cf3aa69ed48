/** The inbox page: a view's list beside the open conversation (one at a time on a phone). */
import { Show, type JSX } from 'solid-js'
import { route } from '../../lib/router.ts'
import type { View } from '../../store/inbox.ts'
import { ConversationPage } from '../conversation/index.tsx'
import { ConversationList } from './ConversationList.tsx'
import { t } from '../../i18n/index.ts'

export function InboxPage(): JSX.Element {
  const r = () => route() as { page: 'inbox'; view: View; conversationId: string | null }
  return (
    <div class="flex h-full">
      <section aria-label={t('inbox.conversations')} class={`h-full w-full shrink-0 border-slate-200 md:w-80 md:border-r ${r().conversationId ? 'hidden md:block' : ''}`}>
        <ConversationList view={r().view} selected={r().conversationId} />
      </section>
      <Show when={r().conversationId} keyed fallback={
        <div class="hidden flex-1 place-items-center text-slate-600 md:grid"><p>{t('inbox.pick', { key: 'j' })}</p></div>
      }>
        {(id) => <ConversationPage id={id} backHref={`/inbox/${r().view}`} />}
      </Show>
    </div>
  )
}
