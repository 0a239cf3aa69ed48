/**
 * Reads an incoming Yjs update, before it is applied, into the list of places it inserts into
 * and deletes from (root type, map key, nested or not), so policy can refuse it while nothing
 * has changed yet. Yjs has no per-operation permissions; this is how the server gets them.
 */
import * as Y from 'yjs'
import { ParleyError } from '../protocol/index.ts'

export interface Location { root: string; key: string | null; nested: boolean }
export interface Insert extends Location { content: unknown }
export interface Inspection { inserts: Insert[]; deletes: Location[]; empty: boolean }

type AnyStruct = Y.Item | Y.GC | Y.Skip

/** Location of an item whose parent Yjs will drop (its origin was garbage-collected): the insert is a no-op. */
const DROPPED: Location = { root: '', key: null, nested: false }

export function inspectUpdate(doc: Y.Doc, update: Uint8Array): Inspection {
  let decoded: { structs: AnyStruct[]; ds: { clients: Map<number, { clock: number; len: number }[]> } }
  try {
    decoded = Y.decodeUpdate(update) as { structs: AnyStruct[]; ds: { clients: Map<number, { clock: number; len: number }[]> } }
  } catch (error) {
    throw new ParleyError('malformed-update', `the update could not be decoded: ${(error as Error).message}`)
  }
  const rootNames = new Map<unknown, string>()
  for (const [name, type] of doc.share) rootNames.set(type, name)

  const incoming = new Map<number, Y.Item[]>()
  for (const struct of decoded.structs) {
    if (!(struct instanceof Y.Item)) continue
    const list = incoming.get(struct.id.client) ?? []
    list.push(struct)
    incoming.set(struct.id.client, list)
  }

  const findIncoming = (id: Y.ID): Y.Item | undefined =>
    incoming.get(id.client)?.find((item) => id.clock >= item.id.clock && id.clock < item.id.clock + item.length)

  const findStored = (id: Y.ID): AnyStruct | undefined => {
    const structs = doc.store.clients.get(id.client)
    if (!structs || Y.getState(doc.store, id.client) <= id.clock) return undefined
    return structs[Y.findIndexSS(structs as AnyStruct[] as Y.Item[], id.clock)] as AnyStruct
  }

  const locateStored = (item: Y.Item): Location => {
    const parent = item.parent as Y.AbstractType<unknown> | null
    if (!parent) return DROPPED
    if (parent._item === null) return { root: rootNames.get(parent) ?? '?', key: item.parentSub, nested: false }
    const outer = locateStored(parent._item)
    return { root: outer.root, key: outer.key, nested: true }
  }

  const locate = (item: Y.Item, depth = 0): Location => {
    if (depth > 10_000) throw new ParleyError('malformed-update', 'the update has a cycle of origins')
    const parent = item.parent as unknown
    if (typeof parent === 'string') return { root: parent, key: item.parentSub, nested: false }
    if (parent instanceof Y.ID) {
      const holder = findIncoming(parent) ?? findStored(parent)
      if (!holder) throw new ParleyError('schema-violation', 'the update refers to a parent this server does not have')
      if (!(holder instanceof Y.Item)) return DROPPED
      const outer = holder.parent instanceof Y.AbstractType ? locateStored(holder) : locate(holder, depth + 1)
      return { root: outer.root, key: outer.key, nested: true }
    }
    if (parent instanceof Y.AbstractType) return locateStored(item)
    const neighbour = item.origin ?? item.rightOrigin
    if (!neighbour) throw new ParleyError('malformed-update', 'an inserted item has neither parent nor neighbours')
    const fromUpdate = findIncoming(neighbour)
    if (fromUpdate) return locate(fromUpdate, depth + 1)
    const stored = findStored(neighbour)
    if (!stored) throw new ParleyError('schema-violation', 'the update refers to an item this server does not have')
    return stored instanceof Y.Item ? locateStored(stored) : DROPPED
  }

  const inserts: Insert[] = []
  for (const item of incoming.values()) {
    for (const struct of item) {
      if (struct.id.clock + struct.length <= Y.getState(doc.store, struct.id.client)) continue // already integrated
      const location = locate(struct)
      if (location === DROPPED) continue
      inserts.push({ ...location, content: struct.content })
    }
  }

  const deletes: Location[] = []
  for (const [client, ranges] of decoded.ds.clients) {
    for (const range of ranges) {
      const end = range.clock + range.len
      const structs = doc.store.clients.get(client) as AnyStruct[] | undefined
      if (structs && Y.getState(doc.store, client) > range.clock) {
        for (let i = Y.findIndexSS(structs as Y.Item[], range.clock); i < structs.length; i++) {
          const struct = structs[i] as AnyStruct
          if (struct.id.clock >= end) break
          if (struct instanceof Y.Item && !struct.deleted) deletes.push(locateStored(struct))
        }
      }
      for (const struct of incoming.get(client) ?? []) {
        // An item the server already has was checked as stored, above. A sync step 2 repeats a
        // client's own overwritten values (a meta key set twice offline) with their deletion.
        if (struct.id.clock + struct.length <= Y.getState(doc.store, client)) continue
        if (struct.id.clock < end && struct.id.clock + struct.length > range.clock) deletes.push(locate(struct))
      }
    }
  }
  return { inserts, deletes, empty: inserts.length === 0 && deletes.length === 0 }
}
