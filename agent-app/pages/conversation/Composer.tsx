/**
 * The reply box. Replies are typed into my own draft (a Y.Text under my id in the internal
 * document, kept offline), or into a teammate's they opened for editing together; notes are
 * private to the writer until sent. `/` opens canned responses.
 */
import { createEffect, createMemo, createSignal, For, on, onCleanup, Show, type JSX } from 'solid-js'
import type { Attachment } from '../../../protocol/index.ts'
import { io, type CannedResponse } from '../../io/index.ts'
import { api } from '../../io/api.ts'
import { formatSize } from '../../lib/format.ts'
import { bindTextarea } from '../../lib/bind-text.ts'
import type { ConversationStore } from '../../store/conversation.ts'
import { useApp } from '../../store/index.ts'
import { AiSuggestion } from './AiSuggestion.tsx'
import { CannedPicker } from './CannedPicker.tsx'
import { TeamDrafts } from './TeamDrafts.tsx'
import type { ComposerMode, ComposerRequest } from './index.tsx'
import { t } from '../../i18n/index.ts'

const SLASH = /(^|\s)\/([a-z0-9_-]*)$/

export function Composer(props: { store: ConversationStore; request: ComposerRequest }): JSX.Element {
  const app = useApp()
  const [mode, setMode] = createSignal<ComposerMode>('message')
  const [query, setQuery] = createSignal<string | null>(null)
  const [highlight, setHighlight] = createSignal(0)
  const [empty, setEmpty] = createSignal(true)
  let replyArea!: HTMLTextAreaElement
  let noteArea!: HTMLTextAreaElement
  const area = () => (mode() === 'message' ? replyArea : noteArea)

  const draft = () => props.store.replyDraft()
  createEffect(() => { if (props.store.draftReady() && !draft()) props.store.ensureReplyDraft() })
  let boundKey: string | null | undefined
  createEffect(() => {
    const text = draft()
    if (!text) return
    // Rebinding to the same draft after a concurrent creation (my other device) lost: what was
    // typed into the losing copy moves over. Switching to another's draft moves nothing.
    const key = props.store.coEditing()
    const typed = replyArea.value
    if (typed && text.length === 0 && boundKey === key) text.insert(0, typed)
    boundKey = key
    const unbind = bindTextarea(replyArea, text)
    const refresh = () => setEmpty(area().value.trim() === '')
    replyArea.addEventListener('parley:remote', refresh)
    refresh()
    onCleanup(() => { unbind(); replyArea.removeEventListener('parley:remote', refresh) })
  })
  createEffect(on(() => props.request, (request) => {
    if (!request.at) return
    setMode(request.mode)
    queueMicrotask(() => area().focus())
  }))

  const matches = createMemo(() => {
    const q = query()
    if (q === null) return []
    return app.canned().filter((c) => c.shortcut.includes(q) || c.title.toLowerCase().includes(q)).slice(0, 8)
  })

  let typingTimer: ReturnType<typeof setTimeout> | undefined
  const typing = (on: boolean) => props.store.setTyping(on, mode() === 'message')
  onCleanup(() => { clearTimeout(typingTimer); typing(false) })

  const onInput = () => {
    const el = area()
    setEmpty(el.value.trim() === '')
    const match = SLASH.exec(el.value.slice(0, el.selectionStart))
    setQuery(match ? match[2]! : null)
    setHighlight(0)
    typing(true)
    clearTimeout(typingTimer)
    typingTimer = setTimeout(() => typing(false), 2000)
  }

  const insertCanned = (canned: CannedResponse) => {
    const el = area()
    const before = el.value.slice(0, el.selectionStart).replace(SLASH, (_m, space: string) => space)
    const after = el.value.slice(el.selectionStart)
    el.value = before + canned.body + after
    el.setSelectionRange(before.length + canned.body.length, before.length + canned.body.length)
    el.dispatchEvent(new Event('input', { bubbles: true }))
    setQuery(null)
    el.focus()
  }

  // Files go up at once (the widget's upload path, size limit and access check) and are sent with
  // the next reply; a message holds at most 10 (protocol/conversation.ts).
  const [files, setFiles] = createSignal<Attachment[]>([])
  /** Files picked without a connection: they go with the reply once online (store/file-outbox.ts). */
  const [waiting, setWaiting] = createSignal<File[]>([])
  const [uploading, setUploading] = createSignal(0)
  const [fileError, setFileError] = createSignal('')
  let fileInput!: HTMLInputElement
  const addFiles = (list: File[]) => {
    setFileError('')
    if (mode() !== 'message') setMode('message')
    for (const file of list) {
      if (files().length + waiting().length + uploading() >= 10) { setFileError(t('composer.tooManyFiles')); break }
      if (!navigator.onLine || app.hub.state !== 'connected') { setWaiting((w) => [...w, file]); continue }
      setUploading((n) => n + 1)
      io.attachments.upload(props.store.id, file)
        .then((attachment) => setFiles((list) => [...list, attachment]))
        .catch((e: Error & { offline?: boolean }) => { if (e.offline) setWaiting((w) => [...w, file]); else setFileError(t('composer.attachFailed', { name: file.name, reason: e.message })) })
        .finally(() => setUploading((n) => n - 1))
    }
  }
  const onPaste = (event: ClipboardEvent) => {
    const pasted = [...(event.clipboardData?.files ?? [])]
    if (pasted.length === 0) return
    event.preventDefault()
    addFiles(pasted)
  }
  const [dragging, setDragging] = createSignal(false)
  const hasFiles = (event: DragEvent) => [...(event.dataTransfer?.types ?? [])].includes('Files')
  const onDragOver = (event: DragEvent) => { if (!hasFiles(event)) return; event.preventDefault(); setDragging(true) }
  const onDrop = (event: DragEvent) => {
    setDragging(false)
    if (!hasFiles(event)) return
    event.preventDefault()
    addFiles([...(event.dataTransfer?.files ?? [])])
  }

  // "Suggest reply": the bot writes its suggestion into the AI draft, shown above the box when it comes.
  const [asking, setAsking] = createSignal<'idle' | 'asking' | string>('idle')
  const suggest = () => {
    setAsking('asking')
    api.conversations.suggest(props.store.id).catch((e: Error) => setAsking(e.message))
  }
  createEffect(() => { if (props.store.aiDraft() && asking() === 'asking') setAsking('idle') })

  const send = () => {
    const el = area()
    const text = el.value.trim()
    const attached = mode() === 'message' ? files() : []
    const later = mode() === 'message' ? waiting() : []
    if (!text && attached.length === 0 && later.length === 0) return
    if (mode() === 'message') {
      // A draft I co-edit is its author's to send; files wait for their upload.
      if (props.store.coEditing() || uploading() > 0) return
      if (later.length > 0) void app.fileOutbox.queue(props.store.id, text, attached, later)
      else props.store.reply(text, attached)
      props.store.clearMyDraft()
      setFiles([])
      setWaiting([])
      replyArea.value = ''
    } else {
      props.store.note(text)
      noteArea.value = ''
    }
    setEmpty(true)
    clearTimeout(typingTimer)
    typing(false)
  }

  const onKeyDown = (event: KeyboardEvent) => {
    const list = matches()
    if (query() !== null && list.length > 0) {
      if (event.key === 'ArrowDown') { event.preventDefault(); setHighlight((highlight() + 1) % list.length); return }
      if (event.key === 'ArrowUp') { event.preventDefault(); setHighlight((highlight() - 1 + list.length) % list.length); return }
      if (event.key === 'Enter' || event.key === 'Tab') { event.preventDefault(); insertCanned(list[highlight()]!); return }
    }
    if (event.key === 'Escape') { if (query() !== null) setQuery(null); else area().blur(); return }
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) { event.preventDefault(); send() }
  }

  const tab = (m: ComposerMode, label: string) => (
    <button role="tab" aria-selected={mode() === m} onClick={() => { setMode(m); setQuery(null); queueMicrotask(() => area().focus()) }}
      class={`rounded-t-md px-3 py-1.5 text-sm focus-visible:outline-2 focus-visible:outline-blue-700 ${mode() === m ? (m === 'note' ? 'bg-amber-100 font-semibold text-amber-950' : 'bg-blue-100 font-semibold text-blue-950') : 'text-slate-700 hover:bg-slate-100'}`}>
      {label}
    </button>
  )
  const fieldClass = (m: ComposerMode) => `block w-full resize-none rounded-md border px-3 py-2 focus:outline-2 ${m === 'note' ? 'border-amber-400 bg-amber-50 focus:outline-amber-600' : 'border-slate-300 focus:outline-blue-700'}`

  return (
    <div class={`relative border-t border-slate-200 bg-white px-3 pb-3 pt-2 md:px-4 ${dragging() ? 'outline-dashed outline-2 -outline-offset-4 outline-blue-700' : ''}`}
      onDragOver={onDragOver} onDragLeave={() => setDragging(false)} onDrop={onDrop} data-testid="composer">
      <Show when={mode() === 'message' && props.store.aiDraft()}>
        <AiSuggestion text={props.store.aiDraft()} onUse={() => { props.store.useAiDraft(); replyArea.focus() }} onDismiss={props.store.dismissAiDraft} />
      </Show>
      <Show when={query() !== null && matches().length > 0}>
        <CannedPicker items={matches()} highlight={highlight()} onPick={insertCanned} />
      </Show>
      <Show when={mode() === 'message'}><TeamDrafts store={props.store} /></Show>
      <div class="flex flex-wrap items-center gap-1">
        <div role="tablist" aria-label={t('composer.write')} class="flex shrink-0 gap-1 whitespace-nowrap">{tab('message', t('composer.reply'))}{tab('note', t('composer.note'))}</div>
        <Show when={mode() === 'message'}>
          <button type="button" class="ml-auto rounded px-1.5 py-0.5 text-sm text-violet-800 hover:underline focus-visible:outline-2 focus-visible:outline-violet-700 disabled:opacity-60"
            data-testid="suggest" disabled={asking() === 'asking'} onClick={suggest}>
            {asking() === 'asking' ? t('composer.asking') : t('composer.suggest')}
          </button>
          <Show when={asking() !== 'idle' && asking() !== 'asking'}><span class="text-xs text-red-800" role="alert">{asking()}</span></Show>
          <span class="text-sm text-slate-700" data-testid="draft-owner">
            <Show when={props.store.coEditing()} fallback={
              <Show when={!empty() || props.store.sharingMine()}><button class="rounded px-1.5 py-0.5 text-blue-800 hover:underline focus-visible:outline-2 focus-visible:outline-blue-700" data-testid="share-draft" title={t('composer.shareTitle')}
                aria-pressed={props.store.sharingMine()} onClick={() => props.store.shareMine(!props.store.sharingMine())}>
                {props.store.sharingMine() ? t('composer.stopTogether') : t('composer.editTogether')}
              </button></Show>
            }>{(author) => (
              <>{t('composer.editingWith', { name: app.agentName(author()) })}{' '}
                <button class="rounded px-1.5 py-0.5 text-blue-800 hover:underline focus-visible:outline-2 focus-visible:outline-blue-700" data-testid="leave-draft" onClick={() => props.store.editTogether(null)}>{t('composer.backToMine')}</button>
              </>
            )}</Show>
          </span>
        </Show>
      </div>
      <Show when={mode() === 'message' && (files().length > 0 || waiting().length > 0 || uploading() > 0 || fileError())}>
        <ul class="mt-1 flex flex-wrap gap-1.5" aria-label={t('composer.filesToSend')} data-testid="pending-files">
          <For each={files()}>{(f) => (
            <li class="flex items-center gap-1 rounded-full bg-slate-200 py-0.5 pl-2.5 pr-1 text-xs text-slate-900">
              {f.name} · {formatSize(f.size)}
              <button type="button" class="rounded-full px-1 hover:bg-slate-300 focus-visible:outline-2 focus-visible:outline-blue-700" aria-label={t('composer.remove', { name: f.name })}
                onClick={() => setFiles((list) => list.filter((x) => x.id !== f.id))}>×</button>
            </li>
          )}</For>
          <For each={waiting()}>{(f) => (
            <li class="flex items-center gap-1 rounded-full bg-amber-100 py-0.5 pl-2.5 pr-1 text-xs text-amber-950">
              {f.name} · {formatSize(f.size)} · {t('composer.waitsForOnline')}
              <button type="button" class="rounded-full px-1 hover:bg-amber-200 focus-visible:outline-2 focus-visible:outline-blue-700" aria-label={t('composer.remove', { name: f.name })}
                onClick={() => setWaiting((list) => list.filter((x) => x !== f))}>×</button>
            </li>
          )}</For>
          <Show when={uploading() > 0}><li class="text-xs text-slate-700" aria-live="polite">{t('composer.uploading', { n: uploading() })}</li></Show>
          <Show when={fileError()}><li class="w-full text-xs text-red-800" role="alert">{fileError()}</li></Show>
        </ul>
      </Show>
      <div class="flex items-end gap-2">
        <Show when={mode() === 'message'}>
          <input ref={fileInput} type="file" multiple class="hidden" data-testid="attach-input" onChange={(e) => { addFiles([...(e.currentTarget.files ?? [])]); e.currentTarget.value = '' }} />
          <button type="button" onClick={() => fileInput.click()} aria-label={t('composer.attach')} title={t('composer.attach')} data-testid="attach"
            class="rounded-md border border-slate-300 px-2.5 py-2 text-slate-800 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-blue-700">
            <svg viewBox="0 0 24 24" class="h-5 w-5" fill="none" stroke="currentColor" stroke-width="2" aria-hidden="true"><path d="M21 11.5 12.5 20a5 5 0 0 1-7-7l8.5-8.5a3.5 3.5 0 0 1 5 5L10.5 18a2 2 0 0 1-3-3l8-8" /></svg>
          </button>
        </Show>
        <div class="min-w-0 flex-1">
          <label for="reply-box" class="sr-only">{t('composer.replyLabel')}</label>
          <textarea id="reply-box" ref={replyArea} rows="3" class={fieldClass('message')} classList={{ hidden: mode() !== 'message' }}
            placeholder={t('composer.replyPlaceholder')} readOnly={!draft()} onInput={onInput} onKeyDown={onKeyDown} onPaste={onPaste} data-testid="reply-box" />
          <label for="note-box" class="sr-only">{t('composer.noteLabel')}</label>
          <textarea id="note-box" ref={noteArea} rows="3" class={fieldClass('note')} classList={{ hidden: mode() !== 'note' }}
            placeholder={t('composer.notePlaceholder')} onInput={onInput} onKeyDown={onKeyDown} data-testid="note-box" />
        </div>
        <button onClick={send} disabled={(empty() && (mode() === 'note' || files().length + waiting().length === 0)) || (mode() === 'message' && (props.store.coEditing() !== null || uploading() > 0))} data-testid="send"
          title={mode() === 'message' && props.store.coEditing() ? t('composer.authorSends') : undefined}
          class={`rounded-md px-4 py-2 font-medium text-white focus-visible:outline-2 focus-visible:outline-offset-2 disabled:opacity-50 ${mode() === 'note' ? 'bg-amber-700 hover:bg-amber-800 focus-visible:outline-amber-700' : 'bg-blue-700 hover:bg-blue-800 focus-visible:outline-blue-700'}`}>
          {mode() === 'note' ? t('composer.addNote') : t('composer.send')}
        </button>
      </div>
    </div>
  )
}
