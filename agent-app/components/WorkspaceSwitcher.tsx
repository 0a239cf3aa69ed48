/**
 * The workspace's name, and, for an agent in several (or who may create one), a switcher. Loaded
 * beside the first screen, not in it (the sidebar shows WorkspaceName until then).
 */
import { createResource, createSignal, For, Show, type JSX } from 'solid-js'
import { api } from '../io/api.ts'
import { useApp } from '../store/index.ts'
import { t } from '../i18n/index.ts'
import { WorkspaceName } from './WorkspaceName.tsx'

export default function WorkspaceSwitcher(): JSX.Element {
  const app = useApp()
  const [list] = createResource(() => api.account.workspaces().catch(() => ({ items: [], mayCreate: false })))
  const [error, setError] = createSignal('')
  const choose = async (value: string) => {
    setError('')
    try {
      if (value === '+new') {
        const name = prompt(t('workspace.newName'))?.trim()
        if (!name) return
        value = (await api.account.createWorkspace(name)).id
      }
      const n = app.connection.pending()
      if (n > 0 && !confirm(t('workspace.pending', { n }))) return
      await app.sessions.switchWorkspace(value)
    } catch (e) { setError((e as Error).message) }
  }
  const several = () => (list()?.items.length ?? 0) > 1 || list()?.mayCreate
  return (
    <Show when={several()} fallback={<WorkspaceName />}>
      <div class="flex flex-col gap-1 px-2 pt-1">
        <div class="flex items-center gap-2">
          <img src="/icon.svg" alt="" class="h-7 w-7" />
          <select aria-label={t('workspace.label')} data-testid="workspace-switcher" value={app.workspace.id}
            class="min-w-0 flex-1 truncate rounded-md border border-slate-300 bg-white px-1.5 py-1 text-sm font-semibold focus-visible:outline-2 focus-visible:outline-blue-700"
            onChange={(e) => { const v = e.currentTarget.value; e.currentTarget.value = app.workspace.id; void choose(v) }}>
            <For each={list()?.items ?? []}>{(w) => <option value={w.id} selected={w.id === app.workspace.id} disabled={!w.active}>{w.name}{w.active ? '' : ` ${t('workspace.deactivated')}`}</option>}</For>
            <Show when={list()?.mayCreate}><option value="+new">{t('workspace.new')}</option></Show>
          </select>
        </div>
        <Show when={error()}><p role="alert" class="text-xs text-red-800">{error()}</p></Show>
      </div>
    </Show>
  )
}
