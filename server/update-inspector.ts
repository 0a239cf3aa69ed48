/**
 * Reads an incoming Yjs update, before it is applied, into the list of places it inserts into
 * and deletes from (root type, map key, nested or not), so policy can refuse it while nothing
 * has changed yet. Yjs has no per-operation permissions; this is how the server gets them.
 *
 * Hand-written on purpose (the guard is the product): no library inspects Yjs updates. It also
 * refuses what Yjs would accept but keep *pending* (issue 10):
 * - structs whose clock leaves a gap, or that wait on an item of another client nobody has sent
 *   (Yjs parks them and retries at every later update: thousands of them stalled the server);
 * - deletes of clocks the server does not have, even after this update (Yjs keeps them and
 *   applies them to whatever arrives later: the next customer messages vanished);
 * - nesting deeper than any Parley document has.
 * The integration order is simulated exactly as Yjs' `integrateStructs` walks it (a stack over
 * per-client queues), so "accepted" means "integrates completely". Everything is one pass with
 * memoised locations: time is linear in the size of the update (deep nesting was cubic).
 */
import * as Y from 'yjs'
import { MAX_NESTING_DEPTH, ParleyError } from '../protocol/index.ts'

export interface Location { root: string; key: string | null; nested: boolean }
export interface Insert extends Location { content: unknown }
export interface Inspection {
  inserts: Insert[]
  deletes: Location[]
  empty: boolean
  /**
   * Where the update carries content again for clocks the server holds as deleted: an old copy
   * sent again. Yjs would skip it, but the log stores updates as they came, so the bytes (an erased
   * message, issue 13) would be written back into the database; policy decides which to refuse.
   */
  resentDeleted: Location[]
}

type AnyStruct = Y.Item | Y.GC | Y.Skip
interface Range { clock: number; len: number }
interface Decoded { structs: AnyStruct[]; ds: { clients: Map<number, Range[]> } }
interface Placed extends Location { depth: number }

/** Location of an item whose parent Yjs will drop (its origin or parent was garbage-collected): the insert is a no-op. */
const DROPPED: Placed = { root: '', key: null, nested: false, depth: 0 }

const malformed = (message: string) => new ParleyError('malformed-update', message)

export function inspectUpdate(doc: Y.Doc, update: Uint8Array): Inspection {
  let decoded: Decoded
  try {
    decoded = Y.decodeUpdate(update) as unknown as Decoded
  } catch (error) {
    throw malformed(`the update could not be decoded: ${(error as Error).message}`)
  }
  const store = doc.store
  const incoming = groupByClient(decoded.structs)
  const finalState = simulateIntegration(store, incoming)
  checkDeletes(decoded.ds.clients, finalState, store)

  const rootNames = new Map<unknown, string>()
  for (const [name, type] of doc.share) rootNames.set(type, name)
  const stateOf = (client: number) => Y.getState(store, client)

  const findIncoming = (id: Y.ID): AnyStruct | undefined => {
    const list = incoming.get(id.client)
    if (!list) return undefined
    let lo = 0
    let hi = list.length - 1
    while (lo <= hi) {
      const mid = (lo + hi) >> 1
      const s = list[mid] as AnyStruct
      if (id.clock < s.id.clock) hi = mid - 1
      else if (id.clock >= s.id.clock + s.length) lo = mid + 1
      else return s
    }
    return undefined
  }
  const findStored = (id: Y.ID): AnyStruct | undefined => {
    if (stateOf(id.client) <= id.clock) return undefined
    const structs = store.clients.get(id.client) as AnyStruct[]
    return structs[Y.findIndexSS(structs as Y.Item[], id.clock)]
  }
  /** The struct holding an id: the store's copy when it has one (it is the one Yjs links to). */
  const find = (id: Y.ID): AnyStruct | undefined => findStored(id) ?? findIncoming(id)

  const storedPlaces = new Map<Y.Item, Placed>()
  const locateStored = (item: Y.Item): Placed => {
    const chain: Y.Item[] = []
    let at: Y.Item | null = item
    let base: Placed | undefined
    while (at) {
      base = storedPlaces.get(at)
      if (base) break
      chain.push(at)
      const parent = at.parent as Y.AbstractType<unknown> | null
      if (!parent) { base = DROPPED; break }
      if (parent._item === null) {
        base = { root: rootNames.get(parent) ?? '?', key: at.parentSub, nested: false, depth: 1 }
        storedPlaces.set(chain.pop() as Y.Item, base)
        break
      }
      at = parent._item
    }
    let place = base as Placed
    while (chain.length) {
      place = place === DROPPED ? DROPPED : { root: place.root, key: place.key, nested: true, depth: place.depth + 1 }
      storedPlaces.set(chain.pop() as Y.Item, place)
    }
    return place
  }

  // An incoming item is placed by its parent (a root name, or the id of the item holding its
  // type: one level deeper) or, without one, by its neighbours (the same place). Chains of
  // neighbours in one update can be as long as the update: followed with a loop, not recursion.
  const incomingPlaces = new Map<Y.Item, Placed>()
  const locate = (start: Y.Item): Placed => {
    const chain: { item: Y.Item; deeper: boolean }[] = []
    let item: Y.Item = start
    let place: Placed
    for (;;) {
      const known = incomingPlaces.get(item)
      if (known) { place = known; break }
      const parent = item.parent as unknown
      if (typeof parent === 'string') { place = { root: parent, key: item.parentSub, nested: false, depth: 1 }; incomingPlaces.set(item, place); break }
      if (parent instanceof Y.AbstractType) { place = locateStored(item); break }
      const left = item.origin ? find(item.origin) : undefined
      const right = item.rightOrigin ? find(item.rightOrigin) : undefined
      if ((item.origin && !left) || (item.rightOrigin && !right)) throw new ParleyError('schema-violation', 'the update refers to an item this server does not have')
      // Yjs garbage-collects an item next to a collected one, or whose parent was collected.
      if (left instanceof Y.GC || right instanceof Y.GC) { place = DROPPED; break }
      let next: AnyStruct | undefined
      let deeper = false
      if (parent instanceof Y.ID) {
        next = find(parent)
        if (!next) throw new ParleyError('schema-violation', 'the update refers to a parent this server does not have')
        deeper = true
        if (!(next instanceof Y.Item) || !(next.content instanceof Y.ContentType)) { place = DROPPED; break }
      } else {
        next = left ?? right
        if (!next) throw malformed('an inserted item has neither parent nor neighbours')
      }
      if (!(next instanceof Y.Item)) { place = DROPPED; break }
      chain.push({ item, deeper })
      if (isStored(store, next)) { place = locateStored(next); break }
      item = next
    }
    while (chain.length) {
      const { item: linked, deeper } = chain.pop() as { item: Y.Item; deeper: boolean }
      if (place !== DROPPED && deeper) place = { root: place.root, key: place.key, nested: true, depth: place.depth + 1 }
      incomingPlaces.set(linked, place)
    }
    if (place.depth > MAX_NESTING_DEPTH) throw new ParleyError('schema-violation', `the update nests types ${place.depth} levels deep; Parley documents nest at most ${MAX_NESTING_DEPTH}`)
    return place
  }

  const inserts: Insert[] = []
  const resentDeleted: Location[] = []
  for (const [client, list] of incoming) {
    const known = stateOf(client)
    for (const struct of list) {
      if (!(struct instanceof Y.Item)) continue
      // Clients send what the server lacks; a struct below its clock is a resend (rare), checked here.
      if (struct.id.clock < known && resentDeleted.length < 8 && carriesContent(struct)) {
        const stored = deletedUnder(store, struct, known)
        if (stored) { const place = locateStored(stored); if (place !== DROPPED) resentDeleted.push({ root: place.root, key: place.key, nested: place.nested }) }
      }
      if (struct.id.clock + struct.length <= known) continue // already integrated
      const place = locate(struct)
      if (place === DROPPED) continue
      inserts.push({ root: place.root, key: place.key, nested: place.nested, content: struct.content })
    }
  }

  const deletes: Location[] = []
  const seen = new Set<string>()
  const addDelete = (place: Placed) => {
    if (place === DROPPED) return
    const id = `${place.root}\u0000${place.key ?? ''}\u0000${place.nested}`
    if (seen.has(id)) return
    seen.add(id)
    deletes.push({ root: place.root, key: place.key, nested: place.nested })
  }
  for (const [client, ranges] of decoded.ds.clients) {
    const known = stateOf(client)
    const structs = store.clients.get(client) as AnyStruct[] | undefined
    for (const range of mergeRanges(ranges)) {
      const end = range.clock + range.len
      if (structs && known > range.clock) {
        for (let i = Y.findIndexSS(structs as Y.Item[], range.clock); i < structs.length; i++) {
          const struct = structs[i] as AnyStruct
          if (struct.id.clock >= end) break
          if (struct instanceof Y.Item && !struct.deleted) addDelete(locateStored(struct))
        }
      }
      if (end <= known) continue
      // A sync step 2 repeats a client's own overwritten values (a meta key set twice offline)
      // with their deletion: the new part of the range is checked where it is inserted.
      const list = incoming.get(client) ?? []
      for (let i = firstEndingAfter(list, Math.max(range.clock, known)); i < list.length; i++) {
        const struct = list[i] as AnyStruct
        if (struct.id.clock >= end) break
        if (struct instanceof Y.Item) addDelete(locate(struct))
      }
    }
  }
  return { inserts, deletes, empty: inserts.length === 0 && deletes.length === 0, resentDeleted }
}

/** Content that shows something (values, text, a type), not a deletion's placeholder. */
const carriesContent = (item: Y.Item): boolean => !(item.content instanceof Y.ContentDeleted)

/** A deleted stored item in the resent struct's range (below `known`), if any (collected ranges have no place to tell). */
function deletedUnder(store: Y.Doc['store'], item: Y.Item, known: number): Y.Item | null {
  const structs = store.clients.get(item.id.client) as AnyStruct[] | undefined
  if (!structs) return null
  const end = Math.min(item.id.clock + item.length, known)
  for (let i = Y.findIndexSS(structs as Y.Item[], item.id.clock); i < structs.length; i++) {
    const stored = structs[i] as AnyStruct
    if (stored.id.clock >= end) break
    if (stored instanceof Y.Item && stored.deleted) return stored
  }
  return null
}

/** Index of the first struct of a clock-ordered run that ends after `clock`. */
function firstEndingAfter(list: AnyStruct[], clock: number): number {
  let lo = 0
  let hi = list.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    const s = list[mid] as AnyStruct
    if (s.id.clock + s.length <= clock) lo = mid + 1
    else hi = mid
  }
  return lo
}

const isStored = (store: Y.Doc['store'], item: Y.Item): boolean => {
  const structs = store.clients.get(item.id.client)
  if (!structs || Y.getState(store, item.id.client) <= item.id.clock) return false
  return structs[Y.findIndexSS(structs as Y.Item[], item.id.clock)] === item
}

/**
 * Structs by client, in clock order. An encoder writes each client once, as one run of
 * consecutive clocks; a client written twice (Yjs would keep only the last run) or a run that
 * is not consecutive is no update a Yjs client makes.
 */
function groupByClient(structs: AnyStruct[]): Map<number, AnyStruct[]> {
  const byClient = new Map<number, AnyStruct[]>()
  let current: AnyStruct[] | null = null
  let currentClient = -1
  for (const struct of structs) {
    const client = struct.id.client
    if (client !== currentClient || !current) {
      if (byClient.has(client)) throw malformed(`client ${client} appears twice in the update`)
      current = []
      currentClient = client
      byClient.set(client, current)
    } else {
      const last = current[current.length - 1] as AnyStruct
      if (struct.id.clock !== last.id.clock + last.length) throw malformed(`the structs of client ${client} are not consecutive`)
    }
    current.push(struct)
  }
  return byClient
}

/** The ids an item needs before Yjs can integrate it. */
const dependencies = (item: Y.Item): Y.ID[] => {
  const ids: Y.ID[] = []
  if (item.origin) ids.push(item.origin)
  if (item.rightOrigin) ids.push(item.rightOrigin)
  if (item.parent instanceof Y.ID) ids.push(item.parent)
  return ids
}

/**
 * Walks the update in the order Yjs' integrateStructs does (highest client first, a stack for
 * items waiting on another client) over clocks only, and refuses it at the first point where Yjs
 * would park something as pending. Returns each client's state after the update.
 */
function simulateIntegration(store: Y.Doc['store'], incoming: Map<number, AnyStruct[]>): Map<number, number> {
  const state = new Map<number, number>()
  const stateOf = (client: number): number => {
    let s = state.get(client)
    if (s === undefined) { s = Y.getState(store, client); state.set(client, s) }
    return s
  }
  const cursor = new Map<number, number>()
  for (const client of incoming.keys()) cursor.set(client, 0)
  const clients = [...incoming.keys()].sort((a, b) => a - b)
  const nextOf = (client: number): AnyStruct | undefined => {
    const list = incoming.get(client)
    const i = cursor.get(client)
    if (!list || i === undefined || i >= list.length) return undefined
    cursor.set(client, i + 1)
    return list[i]
  }
  const nextTarget = (): AnyStruct | undefined => {
    while (clients.length) {
      const struct = nextOf(clients[clients.length - 1] as number)
      if (struct) return struct
      clients.pop()
    }
    return undefined
  }
  const stack: AnyStruct[] = []
  let head = nextTarget()
  while (head) {
    if (!(head instanceof Y.Skip)) {
      const client = head.id.client
      const offset = stateOf(client) - head.id.clock
      if (offset < 0) throw malformed(`the update skips clocks of client ${client} (${stateOf(client)} to ${head.id.clock}) the server does not have`)
      let missing: number | null = null
      if (head instanceof Y.Item) {
        for (const dep of dependencies(head)) {
          if (dep.client === client) {
            // Yjs does not wait for the same client: it assumes the dependency came earlier.
            if (dep.clock >= head.id.clock) throw malformed(`an item of client ${client} depends on a later clock of its own`)
          } else if (dep.clock >= stateOf(dep.client)) { missing = dep.client; break }
        }
      }
      if (missing !== null) {
        stack.push(head)
        const next = nextOf(missing)
        if (!next) throw malformed(`the update depends on clocks of client ${missing} the server does not have`)
        head = next
        continue
      }
      if (offset < head.length) state.set(client, head.id.clock + head.length)
    }
    head = stack.pop() ?? nextTarget()
  }
  return state
}

/** Yjs applies a delete of a clock it does not have yet to whatever arrives there later: never. */
function checkDeletes(ds: Map<number, Range[]>, finalState: Map<number, number>, store: Y.Doc['store']): void {
  for (const [client, ranges] of ds) {
    const known = finalState.get(client) ?? Y.getState(store, client)
    for (const range of ranges) {
      if (range.len <= 0) continue
      if (range.clock + range.len > known) throw new ParleyError('schema-violation', `the update deletes clocks of client ${client} (up to ${range.clock + range.len}) the server does not have (it has ${known})`)
    }
  }
}

/** Sorted, overlapping ranges joined: a delete set repeating one range thousands of times costs one walk. */
function mergeRanges(ranges: Range[]): Range[] {
  const sorted = ranges.filter((r) => r.len > 0).sort((a, b) => a.clock - b.clock)
  const merged: Range[] = []
  for (const range of sorted) {
    const last = merged[merged.length - 1]
    if (last && range.clock <= last.clock + last.len) last.len = Math.max(last.len, range.clock + range.len - last.clock)
    else merged.push({ clock: range.clock, len: range.len })
  }
  return merged
}
