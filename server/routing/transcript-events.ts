/**
 * System events in the transcript. What the customer may read goes into the conversation
 * document ("Ann joined the conversation"); what only the team should read (who transferred,
 * the routing policy, a priority change) goes into the internal document's notes array as kind
 * 'event', which the agent app merges into the transcript and the customer never receives.
 * Ids are given by the caller and deterministic where a retry could repeat the write.
 */
import type { Hocuspocus } from '@hocuspocus/server'
import type * as Y from 'yjs'
import { checkMessage, findMessage, formatInternalName, getMessages, getNotes, writeSlaCycle, type Message, type SlaCycle } from '../../protocol/index.ts'
import type { DurabilityExtension } from '../extensions/durability.ts'

export const systemEvent = (id: string, text: string, at = Date.now()): Message => ({
  id: id.slice(0, 80), author: { role: 'system', id: 'system', name: 'Parley' }, kind: 'event', text, attachments: [], createdAt: at,
})

/**
 * Appends a customer-visible event (inside the caller's transaction), once per id. Unlike a
 * message it leaves meta.updatedAt alone: an event records a change, it is not one, and the
 * event log dates what a rebuild finds by the last real change (server/events/derive-events.ts).
 */
export function appendPublicEvent(doc: Y.Doc, event: Message): boolean {
  const checked = checkMessage(event)
  if (findMessage(doc, checked.id)) return false
  getMessages(doc).push([checked])
  return true
}

/** Appends team-only events to the internal document (and any private note alongside), once per id; resolves when durable. */
export async function appendInternal(hocuspocus: Hocuspocus, durability: DurabilityExtension, conversationId: string, entries: Message[]): Promise<void> {
  if (entries.length === 0) return
  await changeInternal(hocuspocus, durability, conversationId, (doc) => {
    const notes = getNotes(doc)
    const have = new Set(notes.toArray().slice(-200).map((n) => n.id))
    const fresh = entries.filter((e) => !have.has(e.id))
    if (fresh.length > 0) notes.push(fresh)
  })
}

/** Records an SLA cycle (or a change of its targets) in the internal document, for a rebuild (server/routing/sla.ts); resolves when durable. */
export async function recordSlaCycle(hocuspocus: Hocuspocus, durability: DurabilityExtension, conversationId: string, cycle: SlaCycle | null): Promise<void> {
  if (cycle) await changeInternal(hocuspocus, durability, conversationId, (doc) => writeSlaCycle(doc, cycle))
}

async function changeInternal(hocuspocus: Hocuspocus, durability: DurabilityExtension, conversationId: string, change: (doc: Y.Doc) => void): Promise<void> {
  const name = formatInternalName(conversationId)
  const connection = await hocuspocus.openDirectConnection(name, { internal: 'server' })
  try {
    await connection.transact(change)
    await durability.flush(name)
  } finally {
    await connection.disconnect({ unloadImmediately: false })
  }
}
