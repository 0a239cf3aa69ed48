/** The connection as the agent should see it: online, syncing N changes, or offline since HH:MM. */
import { createSignal, onCleanup } from 'solid-js'
import type { SocketState } from '../io/index.ts'
import type { SyncHub } from '../io/sync.ts'

export type ConnectionStore = ReturnType<typeof createConnectionStore>

export function createConnectionStore(hub: SyncHub) {
  const [socket, setSocket] = createSignal<SocketState>(hub.state)
  const [pending, setPending] = createSignal(hub.pendingTotal())
  const [offlineSince, setOfflineSince] = createSignal<number | null>(navigator.onLine ? null : Date.now())
  const [refusals, setRefusals] = createSignal<{ name: string; reason: string }[]>([])

  const markOffline = () => { if (offlineSince() === null) setOfflineSince(Date.now()) }
  const offs = [
    hub.on('socket', (state) => {
      setSocket(state)
      if (state === 'connected') setOfflineSince(null)
      else if (state === 'disconnected') markOffline()
    }),
    hub.on('pending', setPending),
    hub.on('refused', (name, reason) => setRefusals((list) => [...list.filter((r) => r.name !== name), { name, reason }])),
  ]
  // The browser's own word counts at once: navigator offline is offline, whatever the socket says
  // (the hub also closes the socket then; see SyncHub.onOffline).
  const [browserOnline, setBrowserOnline] = createSignal(navigator.onLine)
  const onOffline = () => { setBrowserOnline(false); markOffline() }
  const onOnline = () => setBrowserOnline(true)
  window.addEventListener('offline', onOffline)
  window.addEventListener('online', onOnline)
  // A fresh start with no connection: the socket keeps "connecting"; call it offline within 2 s.
  const startTimer = setTimeout(() => { if (hub.state !== 'connected') markOffline() }, 1500)
  onCleanup(() => { for (const off of offs) off(); window.removeEventListener('offline', onOffline); window.removeEventListener('online', onOnline); clearTimeout(startTimer) })

  const state = (): 'online' | 'syncing' | 'offline' | 'connecting' => {
    if (!browserOnline()) return 'offline'
    if (socket() === 'connected') return pending() > 0 ? 'syncing' : 'online'
    return offlineSince() !== null ? 'offline' : 'connecting'
  }
  return { state, pending, offlineSince, refusals, dismissRefusal: (name: string) => setRefusals((l) => l.filter((r) => r.name !== name)) }
}
