/**
 * Brings snoozed conversations back when their time comes: status open (assigned) or waiting
 * (back in the queue), with a system event in the transcript. Runs on an interval; safe on
 * several instances (the change re-checks the document, so a conversation wakes once).
 */
import { appendMessage, readMeta, updateMeta } from '../protocol/index.ts'
import { listDueSnoozed } from '../db/conversation.repository.ts'
import type { Services } from './services.ts'

export async function wakeDueSnoozed(services: Services, now = Date.now()): Promise<number> {
  let woken = 0
  for (const id of await listDueSnoozed(services.db, now)) {
    const changed = await services.conversations.change(id, (doc) => {
      const meta = readMeta(doc)
      if (meta.status !== 'snoozed' || (meta.snoozedUntil ?? Infinity) > now) return false
      doc.transact(() => {
        updateMeta(doc, meta.assignee ? { status: 'open', snoozedUntil: null } : { status: 'waiting', snoozedUntil: null, waitingSince: now })
        appendMessage(doc, { id: `wake-${id}-${now}`.slice(0, 80), author: { role: 'system', id: 'system', name: 'Parley' }, kind: 'event', text: 'Snooze ended: the conversation is back.', attachments: [], createdAt: now })
      })
      return true
    })
    if (changed) woken += 1
  }
  return woken
}

export function startSnoozeWaker(services: Services, everyMs = 30_000): () => void {
  const timer = setInterval(() => {
    wakeDueSnoozed(services).catch((error) => services.log.error('waking snoozed conversations failed', { error }))
  }, everyMs)
  timer.unref()
  return () => clearInterval(timer)
}
