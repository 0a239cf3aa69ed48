import { For, onMount, type JSX } from 'solid-js'
import { SHORTCUTS } from '../lib/shortcuts.ts'
import { t } from '../i18n/index.ts'

export default function HelpOverlay(props: { onClose: () => void }): JSX.Element {
  let close!: HTMLButtonElement
  onMount(() => close.focus())
  return (
    <div class="fixed inset-0 z-40 grid place-items-center bg-slate-900/50 p-4" onClick={(e) => { if (e.target === e.currentTarget) props.onClose() }}>
      <div role="dialog" aria-modal="true" aria-labelledby="help-title" class="w-full max-w-md rounded-xl bg-white p-6 shadow-lg">
        <div class="mb-4 flex items-center justify-between">
          <h2 id="help-title" class="text-lg font-semibold">{t('shortcuts.title')}</h2>
          <button ref={close} onClick={props.onClose} class="rounded px-2 py-1 text-slate-700 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-blue-700">{t('common.close')}</button>
        </div>
        <dl class="grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 text-sm">
          <For each={SHORTCUTS}>{(s) => (
            <>
              <dt><kbd class="rounded border border-slate-300 bg-slate-50 px-1.5 py-0.5 font-mono text-xs">{s.key}</kbd></dt>
              <dd class="text-slate-800">{t(s.label)}</dd>
            </>
          )}</For>
        </dl>
      </div>
    </div>
  )
}
