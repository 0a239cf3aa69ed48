import type { JSX } from 'solid-js'
import { t } from '../../i18n/index.ts'

/** The AI's suggested reply, live as the bot writes it; the agent takes it into the reply box or dismisses it. */
export function AiSuggestion(props: { text: string; onUse: () => void; onDismiss: () => void }): JSX.Element {
  return (
    <div class="mb-2 rounded-lg border border-violet-300 bg-violet-50 p-2" data-testid="ai-draft">
      <p class="text-xs font-medium text-violet-900">{t('composer.suggestion')}</p>
      <p class="max-h-24 overflow-y-auto whitespace-pre-wrap break-words text-sm text-slate-900">{props.text}</p>
      <div class="mt-1 flex gap-2">
        <button class="rounded-md bg-violet-700 px-2.5 py-1 text-sm text-white hover:bg-violet-800 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-violet-700" onClick={props.onUse}>{t('composer.useSuggestion')}</button>
        <button class="rounded-md px-2.5 py-1 text-sm text-slate-800 hover:bg-violet-100 focus-visible:outline-2 focus-visible:outline-violet-700" onClick={props.onDismiss}>{t('common.dismiss')}</button>
      </div>
    </div>
  )
}
