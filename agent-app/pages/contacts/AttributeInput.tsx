/** One custom attribute's input, by its type: text, number, date, a yes/no box or a list of options. */
import { For, Match, Switch, type JSX } from 'solid-js'
import type { AttributeDefinition, AttributeValue } from '../../../protocol/index.ts'
import { t } from '../../i18n/index.ts'

const input = 'w-full rounded-md border border-slate-300 px-2.5 py-1.5 text-sm focus:outline-2 focus:outline-blue-700'

export function AttributeInput(props: { definition: AttributeDefinition; value: AttributeValue | undefined; disabled: boolean; onChange: (value: AttributeValue | null) => void }): JSX.Element {
  const id = `attr-${props.definition.key}`
  const text = () => (props.value === undefined ? '' : String(props.value))
  return (
    <div class="flex flex-col gap-1">
      <label for={id} class="text-sm text-slate-700">{props.definition.label}</label>
      <Switch>
        <Match when={props.definition.type === 'boolean'}>
          <select id={id} class={input} disabled={props.disabled} data-testid={id} value={props.value === undefined ? '' : String(props.value)}
            onChange={(e) => props.onChange(e.currentTarget.value === '' ? null : e.currentTarget.value === 'true')}>
            <option value="">—</option><option value="true">{t('attr.yes')}</option><option value="false">{t('attr.no')}</option>
          </select>
        </Match>
        <Match when={props.definition.type === 'list'}>
          <select id={id} class={input} disabled={props.disabled} data-testid={id} value={text()} onChange={(e) => props.onChange(e.currentTarget.value || null)}>
            <option value="">—</option>
            <For each={props.definition.options}>{(o) => <option value={o}>{o}</option>}</For>
          </select>
        </Match>
        <Match when={props.definition.type === 'number'}>
          <input id={id} type="number" step="any" class={input} disabled={props.disabled} data-testid={id} value={text()}
            onInput={(e) => props.onChange(e.currentTarget.value === '' ? null : Number(e.currentTarget.value))} />
        </Match>
        <Match when={props.definition.type === 'date'}>
          <input id={id} type="date" class={input} disabled={props.disabled} data-testid={id} value={text()} onInput={(e) => props.onChange(e.currentTarget.value || null)} />
        </Match>
        <Match when={props.definition.type === 'text'}>
          <input id={id} type="text" maxLength={1000} class={input} disabled={props.disabled} data-testid={id} value={text()} onInput={(e) => props.onChange(e.currentTarget.value || null)} />
        </Match>
      </Switch>
    </div>
  )
}
