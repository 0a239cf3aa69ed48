import type { JSX } from 'solid-js'
import { t } from '../../i18n/index.ts'

/** A drawing of the widget with the unsaved settings: launcher and open panel, in the chosen colour. */
export function WidgetPreview(props: { draft: { title: string; welcomeMessage: string; primaryColor: string; position: string; businessName: string } }): JSX.Element {
  const side = () => (props.draft.position === 'left' ? 'left-4 items-start' : 'right-4 items-end')
  return (
    <div class="relative h-96 overflow-hidden rounded-lg border border-slate-200 bg-slate-100" data-testid="widget-preview" aria-label={t('widgets.previewLabel')} role="img">
      <div class={`absolute bottom-4 flex flex-col gap-3 ${side()}`}>
        <div class="w-64 overflow-hidden rounded-xl bg-white shadow-lg">
          <div class="px-4 py-3 text-white" style={{ background: props.draft.primaryColor }}>
            <p class="font-semibold">{props.draft.title || '…'}</p>
            <p class="text-xs opacity-90">{props.draft.businessName}</p>
          </div>
          <div class="p-3">
            <p class="rounded-2xl rounded-bl-sm bg-slate-100 px-3 py-2 text-sm text-slate-900">{props.draft.welcomeMessage || '…'}</p>
          </div>
          <div class="border-t border-slate-200 px-3 py-2 text-sm text-slate-500">{t('widgets.previewType')}</div>
        </div>
        <div class="grid h-12 w-12 place-items-center rounded-full text-white shadow-lg" style={{ background: props.draft.primaryColor }}>
          <svg viewBox="0 0 24 24" class="h-6 w-6" fill="currentColor" aria-hidden="true"><path d="M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z" /></svg>
        </div>
      </div>
    </div>
  )
}
