/**
 * Merges the messages (or notes) of one conversation document into another's as a Yjs merge, not
 * a copy: each message of the merged-away document joins the survivor as the same Yjs item (its
 * original client and clock, so the survivor's history says who wrote it and in which document),
 * placed among the survivor's messages by time. Everything else of the merged-away document
 * (its meta, streams) fills its clocks in the survivor as garbage-collected ranges: the ids are
 * taken, nothing is shown.
 *
 * Hand-written because Yjs has no "move these items there": an item's place is fixed by its
 * origins, so the items are written afresh into an update whose origins are the survivor's
 * neighbours at the right time, in Yjs' own v1 format (the structs' own `write`).
 *
 * An item keeps its id only where the survivor has never seen that client's clocks; otherwise
 * (a second pass after the survivor moved on, a client id met in both) it joins under a fresh
 * client id. Either way it joins exactly once: the message id is the key.
 */
import * as encoding from 'lib0/encoding'
import * as Y from 'yjs'
import type { Message } from '../../protocol/index.ts'

interface Element { id: Y.ID; value: Message }

/** The live (not deleted) elements of an array with their Yjs ids, in order. */
export function elementsOf(array: Y.Array<Message>): Element[] {
  const out: Element[] = []
  for (let item = (array as unknown as { _start: Y.Item | null })._start; item; item = item.right) {
    if (item.deleted || !item.countable) continue
    const values = item.content.getContent() as Message[]
    for (let k = 0; k < values.length; k++) out.push({ id: Y.createID(item.id.client, item.id.clock + k), value: values[k] as Message })
  }
  return out
}

interface Planned { id: Y.ID; origin: Y.ID | null; rightOrigin: Y.ID | null; value: Message }

/**
 * The update that brings into `target`'s array `name` every element of `source`'s that it does
 * not hold yet (by message id), each placed after the last element of its time or before, or null
 * when there is nothing to bring. Pure: reads both documents, changes neither.
 */
export function planArrayMerge(target: Y.Doc, source: Y.Doc, name: string): { update: Uint8Array; count: number } | null {
  const here = elementsOf(target.getArray<Message>(name))
  const present = new Set(here.map((element) => element.value.id))
  const incoming = elementsOf(source.getArray<Message>(name))
    .map((element, order) => ({ element, order }))
    .filter(({ element }) => !present.has(element.value.id))
    .sort((a, b) => a.element.value.createdAt - b.element.value.createdAt || a.order - b.order)
    .map(({ element }) => element)
  if (incoming.length === 0) return null

  // The survivor's clocks per client: an id at or below them is taken there.
  const taken = (client: number) => Y.getState(target.store, client)
  const fresh = freshClient(target, source)
  let freshClock = 0
  const planned: Planned[] = []
  const merged: { id: Y.ID; createdAt: number }[] = here.map((element) => ({ id: element.id, createdAt: element.value.createdAt }))
  const lastKept = new Map<number, number>()
  let at = 0
  for (const element of incoming) {
    // Both lists are in time order (the survivor's as written), so the place only moves forward.
    while (at < merged.length && (merged[at] as { createdAt: number }).createdAt <= element.value.createdAt) at++
    const origin = merged[at - 1]?.id ?? null
    const rightOrigin = merged[at]?.id ?? null
    // Each item depends only on items placed before it. Kept ids must rise in that order within
    // their client too, or Yjs (which integrates a client's clocks in order) would wait for ever.
    const client = element.id.client
    const keep = element.id.clock >= taken(client) && client !== target.clientID && element.id.clock > (lastKept.get(client) ?? -1)
    if (keep) lastKept.set(client, element.id.clock)
    const id = keep ? element.id : Y.createID(fresh, freshClock++)
    planned.push({ id, origin, rightOrigin, value: element.value })
    merged.splice(at, 0, { id, createdAt: element.value.createdAt })
    at++
  }
  return { update: encodePlanned(target, planned, name), count: planned.length }
}

/** A client id neither document has used. */
function freshClient(target: Y.Doc, source: Y.Doc): number {
  for (;;) {
    const client = Math.floor(Math.random() * 0xffffffff) >>> 0
    if (!target.store.clients.has(client) && !source.store.clients.has(client) && client !== target.clientID) return client
  }
}

/**
 * The planned items as a v1 update: per client, its clocks from the target's state on, each one
 * either a planned item or part of a GC range (clocks the survivor must count as used).
 */
function encodePlanned(target: Y.Doc, planned: Planned[], name: string): Uint8Array {
  const byClient = new Map<number, Planned[]>()
  for (const entry of planned) byClient.set(entry.id.client, [...(byClient.get(entry.id.client) ?? []), entry])
  const encoder = new Y.UpdateEncoderV1()
  encoding.writeVarUint(encoder.restEncoder, byClient.size)
  for (const [client, entries] of [...byClient].sort((a, b) => b[0] - a[0])) {
    entries.sort((a, b) => a.id.clock - b.id.clock)
    const structs: (Y.Item | Y.GC)[] = []
    let clock = Y.getState(target.store, client)
    const first = clock
    for (const entry of entries) {
      if (entry.id.clock > clock) structs.push(new Y.GC(Y.createID(client, clock), entry.id.clock - clock))
      const parent = entry.origin || entry.rightOrigin ? null : name
      structs.push(new Y.Item(entry.id, null, entry.origin, null, entry.rightOrigin, parent as unknown as Y.AbstractType<unknown>, null, new Y.ContentAny([entry.value])))
      clock = entry.id.clock + 1
    }
    encoding.writeVarUint(encoder.restEncoder, structs.length)
    encoder.writeClient(client)
    encoding.writeVarUint(encoder.restEncoder, first)
    for (const struct of structs) struct.write(encoder, 0)
  }
  // No deletions.
  encoding.writeVarUint(encoder.restEncoder, 0)
  return encoder.toUint8Array()
}

/**
 * Puts messages that arrived out of time order back in place. A message of the merged-away
 * conversation and one written to the survivor at that moment by a peer that had not seen the
 * merge (or two peers appending at once) share a left neighbour, and Yjs orders those by client
 * id, not time. The earlier of an inverted pair moves back to its time (deleted and inserted
 * again, the same message object): moving back, never forward, so every row from its new place
 * on is projected again (server/extensions/projection.ts projects from the first insert).
 * Looks at the last `window` messages only. Returns how many moved.
 */
export function repairOrder(array: Y.Array<Message>, window = 500): number {
  const values = array.toArray()
  const start = Math.max(0, values.length - window)
  let moved = 0
  for (let i = start + 1; i < values.length; i++) {
    const current = values[i] as Message
    if ((values[i - 1] as Message).createdAt <= current.createdAt) continue
    let to = i - 1
    while (to > start && (values[to - 1] as Message).createdAt > current.createdAt) to--
    values.splice(i, 1)
    values.splice(to, 0, current)
    array.delete(i, 1)
    array.insert(to, [current])
    moved++
  }
  return moved
}
