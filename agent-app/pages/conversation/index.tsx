/** The conversation page: lazily loads the screen (store, view) with the pages' strings. */
import { lazy, Suspense, type JSX } from 'solid-js'
import { t, withPageStrings } from '../../i18n/index.ts'

// Its strings and its store come with it (i18n/index.ts): the first-load chunk carries only the first screen.
const ConversationScreen = lazy(() => withPageStrings(import('./ConversationScreen.tsx')))

export type ComposerMode = 'message' | 'note'
export interface ComposerRequest { mode: ComposerMode; at: number }

export function ConversationPage(props: { id: string; backHref: string }): JSX.Element {
  return (
    <Suspense fallback={<p class="p-6 text-slate-600">{t('common.loading')}</p>}>
      <ConversationScreen id={props.id} backHref={props.backHref} />
    </Suspense>
  )
}
