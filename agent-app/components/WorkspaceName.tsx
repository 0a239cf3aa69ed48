/** The workspace's name beside the logo: what the sidebar shows for an agent in one workspace (WorkspaceSwitcher.tsx). */
import type { JSX } from 'solid-js'
import { useApp } from '../store/index.ts'

export function WorkspaceName(): JSX.Element {
  const app = useApp()
  return (
    <div class="flex items-center gap-2 px-2 pt-1">
      <img src="/icon.svg" alt="" class="h-7 w-7" />
      <span class="truncate font-semibold" data-testid="workspace-name">{app.workspace.name || 'Parley'}</span>
    </div>
  )
}
