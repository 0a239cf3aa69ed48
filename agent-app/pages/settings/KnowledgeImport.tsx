/**
 * Import articles: Markdown or HTML files, a zip of them, or a Zendesk Guide / Intercom export.
 * The files are read here (a zip as base64) and sent in one request; the server imports all of
 * them or none, and its report is shown file by file either way.
 */
import { createSignal, For, Show, type JSX } from 'solid-js'
import type { ImportFileReport, KnowledgeImportInput, KnowledgeImportReport } from '../../../protocol/index.ts'
import { errorText, primaryButton } from '../../components/FormStatus.tsx'
import { ApiError } from '../../io/http.ts'
import { api } from '../../io/api.ts'
import { t } from '../../i18n/index.ts'

const ACCEPT = '.md,.markdown,.txt,.html,.htm,.json,.zip'

async function readForImport(file: File): Promise<KnowledgeImportInput['files'][number]> {
  if (!/\.zip$/i.test(file.name)) return { name: file.name, content: await file.text(), encoding: 'text' }
  const bytes = new Uint8Array(await file.arrayBuffer())
  let binary = ''
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  return { name: file.name, content: btoa(binary), encoding: 'base64' }
}

export function ImportButton(props: { onImported(): void }): JSX.Element {
  const [busy, setBusy] = createSignal(false)
  const [error, setError] = createSignal('')
  const [report, setReport] = createSignal<KnowledgeImportReport | null>(null)
  let input!: HTMLInputElement
  const run = async () => {
    const files = [...(input.files ?? [])]
    input.value = ''
    if (files.length === 0) return
    setBusy(true); setError(''); setReport(null)
    try {
      const answer = await api.articles.import(await Promise.all(files.map(readForImport)))
      setReport(answer)
      props.onImported()
    } catch (e) {
      setError(errorText(e))
      const refused = e instanceof ApiError ? (e.body as { report?: KnowledgeImportReport } | undefined)?.report : undefined
      if (refused) setReport(refused)
    } finally { setBusy(false) }
  }
  return (
    <div class="flex flex-col gap-2">
      <div class="flex flex-wrap items-center gap-3">
        <button type="button" class={primaryButton} disabled={busy()} onClick={() => input.click()}>{busy() ? t('kb.importing') : t('kb.import')}</button>
        <span class="text-sm text-slate-600">{t('kb.formats')}</span>
        <input ref={input} type="file" multiple accept={ACCEPT} class="hidden" aria-label={t('kb.files')} data-testid="kb-import-files" onChange={() => void run()} />
      </div>
      <Show when={error()}><p role="alert" class="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">{error()}</p></Show>
      <Show when={report()}>{(r) => <ImportReport report={r()} />}</Show>
    </div>
  )
}

function ImportReport(props: { report: KnowledgeImportReport }): JSX.Element {
  return (
    <section aria-label={t('kb.report')} class="rounded-lg border border-slate-200 p-3 text-sm">
      <p role="status" class={props.report.ok ? 'font-medium text-green-800' : 'font-medium text-red-800'}>
        {props.report.ok ? t('kb.imported', { created: props.report.created, updated: props.report.updated, unchanged: props.report.unchanged }) : t('kb.nothing')}
      </p>
      <ul class="mt-2 flex flex-col gap-1">
        <For each={props.report.files}>{(file) => <FileLine file={file} />}</For>
      </ul>
    </section>
  )
}

function FileLine(props: { file: ImportFileReport }): JSX.Element {
  const counts = () => {
    const by = (a: string) => props.file.articles.filter((x) => x.action === a).length
    return ([['kb.new', by('created')], ['kb.updated', by('updated')], ['kb.unchanged', by('unchanged')]] as const).filter(([, n]) => n).map(([key, n]) => t(key, { n })).join(', ')
  }
  return (
    <li data-file={props.file.name} class={props.file.error ? 'text-red-800' : 'text-slate-800'}>
      <span class="font-mono text-xs">{props.file.name}</span>{' — '}
      {props.file.error ? <strong>{props.file.error}</strong> : counts() || (props.file.articles.length ? '' : t('kb.checked'))}
      <Show when={props.file.skipped.length}><span class="text-slate-600"> {t('kb.skipped', { list: props.file.skipped.join('; ') })}</span></Show>
    </li>
  )
}
