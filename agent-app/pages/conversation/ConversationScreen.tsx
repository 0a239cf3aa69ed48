/**
 * One open conversation: opens its documents (local copy first), marks it read, wires the
 * keyboard shortcuts, and shows the view. Loaded lazily with the view (index.tsx), so the
 * conversation store is not first-screen code (the app's 60 KB first-load budget).
 */
import { createEffect, createSignal, onCleanup, type JSX } from 'solid-js'
import { createConversationStore } from '../../store/conversation.ts'
import { useApp } from '../../store/index.ts'
import ConversationView from './ConversationView.tsx'
import type { ComposerRequest } from './index.tsx'

export default function ConversationScreen(props: { id: string; backHref: string }): JSX.Element {
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
  return <ConversationView store={store} request={request()} backHref={props.backHref} />
}
