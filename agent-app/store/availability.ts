/**
 * My availability and my teammates': read live from the inbox document the server writes
 * (`availability`), set through the API. While I use the app it says so now and then, so the
 * server does not turn me Away for idling (the workspace's auto-Away time).
 */
import { createSignal, onCleanup } from 'solid-js'
import type { Availability } from '../../protocol/index.ts'
import { io } from '../io/index.ts'
import type { InboxStore } from './inbox.ts'

const ACTIVITY_EVERY_MS = 60_000

export function createAvailabilityStore(inbox: InboxStore, agentId: string) {
  const [error, setError] = createSignal('')
  let lastReported = 0
  const onInput = () => {
    const now = Date.now()
    if (now - lastReported < ACTIVITY_EVERY_MS) return
    lastReported = now
    void io.routing.activity().catch(() => {})
  }
  for (const type of ['pointerdown', 'keydown'] as const) window.addEventListener(type, onInput, { passive: true })
  onCleanup(() => { for (const type of ['pointerdown', 'keydown'] as const) window.removeEventListener(type, onInput) })
  const of = (id: string | null | undefined): Availability => (id ? inbox.availability().get(id)?.availability ?? 'offline' : 'offline')
  return {
    mine: () => of(agentId),
    of,
    error,
    set: async (availability: Availability) => {
      setError('')
      try { await io.routing.setAvailability(availability) } catch (e) { setError((e as Error).message) }
    },
  }
}
