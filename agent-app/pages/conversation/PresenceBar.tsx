/** Who else has this conversation open (Yjs awareness): agents, and the bot while it writes. */
import { For, Show, type JSX } from 'solid-js'
import { initials } from '../../lib/format.ts'
import type { ConversationStore } from '../../store/conversation.ts'
import { t } from '../../i18n/index.ts'

export function PresenceBar(props: { store: ConversationStore }): JSX.Element {
  const others = () => {
    const seen = new Map<string, { name: string; typing: boolean; role: string }>()
    for (const p of props.store.peers()) seen.set(p.id, { name: p.name, typing: p.typing || (seen.get(p.id)?.typing ?? false), role: p.role })
    return [...seen.values()]
  }
  return (
    <Show when={others().length > 0}>
      <div class="mt-1 flex items-center gap-2 text-sm text-slate-700" data-testid="presence">
        <span class="sr-only">{t('presence.alsoHere')}</span>
        <For each={others()}>{(p) => (
          <span class="flex items-center gap-1" title={p.typing ? t('presence.typingTitle', { name: p.name }) : p.name}>
            <span class={`grid h-6 w-6 place-items-center rounded-full text-xs font-semibold ${p.role === 'bot' ? 'bg-violet-200 text-violet-900' : 'bg-teal-200 text-teal-900'}`} aria-hidden="true">{initials(p.name)}</span>
            <span>{t(p.typing ? 'presence.typing' : 'presence.viewing', { name: p.name })}</span>
          </span>
        )}</For>
      </div>
    </Show>
  )
}
