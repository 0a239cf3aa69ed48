/** The conversation page: opens the document (local copy first), marks it read, lazily loads the view. */
import { createEffect, createSignal, lazy, onCleanup, Suspense, type JSX } from 'solid-js'
import { createConversationStore } from '../../store/conversation.ts'
import { useApp } from '../../store/index.ts'

const ConversationView = lazy(() => import('./ConversationView.tsx'))

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
    take: () => { if (app.sessions.canWrite()) void store.take().catch(() => {}) },
  })
  onCleanup(() => app.setCommands(null))
  return (
    <Suspense fallback={<p class="p-6 text-slate-600">Loading…</p>}>
      <ConversationView store={store} request={request()} backHref={props.backHref} />
    </Suspense>
  )
}
