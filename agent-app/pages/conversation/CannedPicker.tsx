import { For, type JSX } from 'solid-js'
import type { CannedResponse } from '../../io/index.ts'
import { t } from '../../i18n/index.ts'

export function CannedPicker(props: { items: CannedResponse[]; highlight: number; onPick: (c: CannedResponse) => void }): JSX.Element {
  return (
    <ul role="listbox" aria-label={t('composer.canned')} data-testid="canned-picker"
      class="absolute bottom-full left-3 right-3 mb-1 max-h-64 overflow-y-auto rounded-lg border border-slate-200 bg-white py-1 shadow-lg md:left-4 md:right-auto md:w-96">
      <For each={props.items}>{(item, i) => (
        <li role="option" aria-selected={i() === props.highlight}
          class={`cursor-pointer px-3 py-2 text-sm ${i() === props.highlight ? 'bg-blue-100' : 'hover:bg-slate-50'}`}
          onMouseDown={(e) => { e.preventDefault(); props.onPick(item) }}>
          <span class="font-mono text-blue-900">/{item.shortcut}</span> <span class="font-medium">{item.title}</span>
          <p class="truncate text-slate-700">{item.body}</p>
        </li>
      )}</For>
    </ul>
  )
}
