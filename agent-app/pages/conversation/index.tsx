/** The conversation page: opens the document (local copy first), marks it read, lazily loads the view. */
import { createEffect, createSignal, lazy, onCleanup, Suspense, type JSX } from 'solid-js'
import { createConversationStore } from '../../store/conversation.ts'
import { useApp } from '../../store/index.ts'
import { t, withPageStrings } from '../../i18n/index.ts'

// Its strings come with it (i18n/index.ts): the first-load chunk carries only the first screen's.
const ConversationView = lazy(() => withPageStrings(import('./ConversationView.tsx')))

export type ComposerMode = 'message' | 'note'
export interface ComposerRequest { mode: ComposerMode; at: number }

export function ConversationPage(props: { id: string; backHref: string }): JSX.Element {
  const app = useApp()
  const store = createConversationStore(app.hub, props.id, app.me)
  const [request, setRequest] = createSignal<ComposerRequest>({ mode: 'message', at: 0 })
  createEffect(() => {
    const count = store.messageCount()
    if (store.loaded() && count > 0) app.agentState.markRead(props.id, count)
  })
  app.setCommands({
    reply: () => setRequest({ mode: 'message', at: Date.now() }),
    note: () => setRequest({ mode: 'note', at: Date.now() }),
    resolve: () => { if (app.sessions.canWrite()) store.resolve() },
    take: () => { if (app.sessions.canWrite()) store.take() },
  })
  onCleanup(() => app.setCommands(null))
  return (
    <Suspense fallback={<p class="p-6 text-slate-600">{t('common.loading')}</p>}>
      <ConversationView store={store} request={request()} backHref={props.backHref} />
    </Suspense>
  )
}
