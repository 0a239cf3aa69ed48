/** A report's table, as shown under its chart, with the server's CSV of the same table. */
import { createSignal, For, Show, type JSX } from 'solid-js'
import type { ReportName, ReportTable } from '../../../protocol/index.ts'
import { api } from '../../io/api.ts'
import { t } from '../../i18n/index.ts'

export function ReportTableView(props: { report: ReportName; table: ReportTable; query: string; cell?: (value: string | number | null, column: number, row: (string | number | null)[]) => JSX.Element }): JSX.Element {
  const [error, setError] = createSignal('')
  const download = async () => {
    setError('')
    try {
      const blob = await api.reports.csv(props.report, props.query, props.table.name)
      const a = document.createElement('a')
      a.href = URL.createObjectURL(blob)
      a.download = `parley-${props.report}-${props.table.name}.csv`
      a.click()
      setTimeout(() => URL.revokeObjectURL(a.href), 10_000)
    } catch (e) { setError((e as Error).message) }
  }
  return (
    <div class="mt-2">
      <div class="flex items-center justify-between gap-2">
        <h4 class="text-sm font-medium text-slate-700">{props.table.title}</h4>
        <button type="button" onClick={() => void download()} data-testid={`csv-${props.report}-${props.table.name}`}
          class="rounded border border-slate-300 px-2 py-0.5 text-xs hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-blue-700">CSV</button>
      </div>
      <Show when={error()}><p role="alert" class="text-xs text-red-800">{error()}</p></Show>
      <div class="mt-1 overflow-x-auto">
        <table class="w-full text-left text-xs" data-testid={`table-${props.report}-${props.table.name}`}>
          <thead><tr><For each={props.table.columns}>{(c) => <th scope="col" class="border-b border-slate-200 px-1.5 py-1 font-medium text-slate-600">{c}</th>}</For></tr></thead>
          <tbody>
            <For each={props.table.rows} fallback={<tr><td class="px-1.5 py-1 text-slate-500" colSpan={props.table.columns.length}>{t('reports.nothing')}</td></tr>}>{(row) => (
              <tr class="border-b border-slate-100">
                <For each={row}>{(value, i) => <td class="px-1.5 py-1 tabular-nums">{props.cell ? props.cell(value, i(), row) : value ?? '—'}</td>}</For>
              </tr>
            )}</For>
          </tbody>
        </table>
      </div>
    </div>
  )
}
