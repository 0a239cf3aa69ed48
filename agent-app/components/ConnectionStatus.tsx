/** The connection, honestly: online, syncing N changes, or offline since HH:MM with what waits. */
import { For, Show, type JSX } from 'solid-js'
import { formatClock } from '../lib/format.ts'
import { useApp } from '../store/index.ts'
import { t } from '../i18n/index.ts'

export function ConnectionStatus(props: { compact?: boolean }): JSX.Element {
  const { connection, inbox } = useApp()
  // Connected, but this server cannot reach the other instances (Redis down): say what that means.
  const linkDown = () => connection.state() !== 'offline' && connection.state() !== 'connecting' && inbox.serverLink() === 'degraded'
  const label = () => {
    const n = connection.pending()
    switch (connection.state()) {
      case 'online': return t('connection.online')
      case 'syncing': return t('connection.syncing', { n })
      case 'connecting': return t('connection.connecting')
      case 'offline': return t(n > 0 ? 'connection.offlinePending' : 'connection.offline', { n, time: formatClock(connection.offlineSince()!) })
    }
  }
  const dot = () => ({ online: 'bg-green-600', syncing: 'bg-amber-500', connecting: 'bg-amber-500', offline: 'bg-slate-500' })[connection.state()]
  return (
    <div class="min-w-0">
      <p role="status" aria-live="polite" data-testid="connection" data-state={connection.state()}
        class={`flex items-center gap-2 text-sm ${connection.state() === 'offline' ? 'font-medium text-slate-900' : 'text-slate-700'}`}>
        <span class={`inline-block h-2.5 w-2.5 shrink-0 rounded-full ${dot()}`} aria-hidden="true" />
        <span>{label()}</span>
      </p>
      <Show when={linkDown()}>
        <p role="status" data-testid="server-link" class="mt-1 rounded bg-amber-50 px-2 py-1 text-xs text-amber-900">{t('connection.linkDegraded')}</p>
      </Show>
      <For each={connection.refusals()}>{(r) => (
        <p role="alert" class="mt-1 rounded bg-red-50 px-2 py-1 text-xs text-red-800">
          {t('connection.refused', { reason: r.reason })}
          <button class="ml-1 underline" onClick={() => connection.dismissRefusal(r.name)}>{t('common.dismiss')}</button>
        </p>
      )}</For>
    </div>
  )
}
