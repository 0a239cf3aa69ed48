/**
 * Browser notifications (with permission) and, when the agent turned it on, a chime: a
 * conversation newly waiting in the queue, and a customer message in one of the agent's own
 * conversations. Only changes after the inbox first loaded are announced, never the backlog; a
 * message in the conversation the agent is looking at (tab focused) makes no sound.
 */
import { createEffect, createSignal, untrack } from 'solid-js'
import type { InboxEntry } from '../../protocol/index.ts'
import type { InboxStore } from './inbox.ts'

import { t } from '../i18n/index.ts'

export type NotificationStore = ReturnType<typeof createNotificationStore>

const supported = typeof Notification !== 'undefined'

export function createNotificationStore(inbox: InboxStore, agentId: string, isOpen: (id: string) => boolean, sound: () => boolean) {
  const [permission, setPermission] = createSignal<NotificationPermission>(supported ? Notification.permission : 'denied')
  let known: Map<string, InboxEntry> | null = null

  const show = async (title: string, body: string, id: string) => {
    if (permission() !== 'granted' || (isOpen(id) && document.hasFocus())) return
    const options = { body, tag: `parley-${id}`, icon: '/icon-192.png', data: { id } }
    const registration = await navigator.serviceWorker?.getRegistration().catch(() => undefined)
    if (registration) await registration.showNotification(title, options)
    else new Notification(title, options)
  }

  createEffect(() => {
    if (!inbox.loaded()) return
    const entries = inbox.entries()
    const previous = known
    known = new Map(entries.map((e) => [e.id, e]))
    if (!previous) return
    let chime = false
    for (const entry of entries) {
      const before = previous.get(entry.id)
      if (entry.status === 'waiting' && before?.status !== 'waiting') {
        void show(t('notify.waiting', { name: entry.contactName }), entry.preview || t('notify.waitingBody'), entry.id)
        chime = true
      } else if (entry.assignee === agentId && before && entry.messageCount > before.messageCount && entry.lastMessageAuthor === 'customer') {
        void show(entry.contactName, entry.preview, entry.id)
        if (!(isOpen(entry.id) && document.hasFocus())) chime = true
      }
    }
    // One chime however many arrived at once; untracked so a preference change announces nothing.
    if (chime && untrack(sound)) void import('../lib/chime.ts').then((m) => m.playChime())
  })

  return {
    supported,
    permission,
    async request(): Promise<void> {
      if (!supported) return
      setPermission(await Notification.requestPermission())
    },
  }
}
