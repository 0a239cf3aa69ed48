/**
 * Malformed and hostile Yjs updates, made with Yjs from a real document and then mutated: what
 * the update guard must refuse without stalling (issue 10). Shared by the fuzz test
 * (server/update-guard-fuzz.test.ts) and the hostile benchmark (bench/hostile.ts).
 */
import * as encoding from 'lib0/encoding'
import * as Y from 'yjs'
import { appendMessage, getInternalDrafts, getMeta, type Message } from '../../protocol/index.ts'

/** mulberry32: small, seedable, good enough to pick mutations. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export type HostileKind = 'message' | 'meta' | 'clock-gap' | 'unknown-deletes' | 'nesting' | 'merged'
export const HOSTILE_KINDS: HostileKind[] = ['message', 'meta', 'clock-gap', 'unknown-deletes', 'nesting', 'merged']

/**
 * One update against `base` (the state a client has): a valid change, or one of the attacks,
 * then, half the time, truncated, bit-flipped or given a stray byte. `say` makes a valid message.
 */
export function makeHostileUpdate(base: Y.Doc, rand: () => number, say: (text: string) => Message, kind?: HostileKind): Uint8Array {
  const int = (n: number) => Math.floor(rand() * n)
  const sv = Y.encodeStateVector(base)
  const fork = new Y.Doc()
  Y.applyUpdate(fork, Y.encodeStateAsUpdate(base))
  const clients = [...base.store.clients.keys()]
  const anyClient = (known: number) => clients.length && rand() < known ? clients[int(clients.length)] as number : 1 + int(2 ** 30)
  let update: Uint8Array
  switch (kind ?? HOSTILE_KINDS[int(HOSTILE_KINDS.length)]) {
    case 'message': appendMessage(fork, say(`fuzz ${int(1e9)}`)); update = Y.encodeStateAsUpdate(fork, sv); break
    case 'meta': getMeta(fork).set('priority', ['high', 'low', 'normal', 'urgent'][int(4)] as 'high'); update = Y.encodeStateAsUpdate(fork, sv); break
    case 'clock-gap': { // a client's clocks moved ahead: the update skips clocks
      const client = anyClient(0.5)
      const from = Y.getState(fork.store, client)
      fork.clientID = client // after the state is applied: Yjs renames a doc that receives its own id
      const gap = Math.min(1 + int(2 ** int(20)), 5000)
      fork.getArray('filler').push(Array.from({ length: gap }, () => 0))
      appendMessage(fork, say('ahead'))
      update = Y.diffUpdate(Y.encodeStateAsUpdate(fork, sv), Y.encodeStateVector(new Map([...Y.decodeStateVector(sv), [client, from + gap]])))
      break
    }
    case 'unknown-deletes': { // a delete set, alone, over ranges the server may not have, of any client
      const client = anyClient(0.7)
      update = deleteSetUpdate(client, Math.max(0, Y.getState(base.store, client) - int(3)) + int(50), 1 + int(100))
      break
    }
    case 'nesting': { // from shallow to very deep, in a root that holds nested text
      const depth = 1 + int(2 ** (1 + int(12)))
      fork.transact(() => {
        let level = (rand() < 0.5 ? fork.getMap('streams') : getInternalDrafts(fork)) as unknown as Y.Map<unknown>
        for (let i = 0; i < depth; i++) { const inner = new Y.Map(); level.set('k', inner); level = inner }
      })
      update = Y.encodeStateAsUpdate(fork, sv)
      break
    }
    default: // a valid update merged with everything before it
      appendMessage(fork, say('merged'))
      update = Y.mergeUpdates([Y.encodeStateAsUpdate(fork, sv), Y.encodeStateAsUpdate(fork)])
  }
  if (rand() < 0.5) return mutateBytes(update, rand)
  return update
}

/** Only what must be refused: the attacks, and valid changes damaged at the byte level. */
export function makeMalformedUpdate(base: Y.Doc, rand: () => number, say: (text: string) => Message): Uint8Array {
  const attacks: HostileKind[] = ['clock-gap', 'unknown-deletes', 'nesting']
  const pick = Math.floor(rand() * (attacks.length + 1))
  if (pick < attacks.length) return makeHostileUpdate(base, rand, say, attacks[pick])
  const fork = new Y.Doc()
  Y.applyUpdate(fork, Y.encodeStateAsUpdate(base))
  appendMessage(fork, say('damaged'))
  return mutateBytes(Y.encodeStateAsUpdate(fork, Y.encodeStateVector(base)), rand)
}

/**
 * An update of nothing but a delete set over [from, from + count) of `client`, in Yjs' v1 format
 * (no structs; then clients, each with its ranges). Written directly rather than made by a Yjs
 * doc holding `from` items: a client's clock can be very large (an accepted update may carry
 * deleted content millions of clocks long), and making that many items is what ran out of memory.
 */
export function deleteSetUpdate(client: number, from: number, count: number): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, 0) // clients with structs
  encoding.writeVarUint(encoder, 1) // clients with deletes
  encoding.writeVarUint(encoder, client)
  encoding.writeVarUint(encoder, 1) // ranges
  encoding.writeVarUint(encoder, from)
  encoding.writeVarUint(encoder, count)
  return encoding.toUint8Array(encoder)
}

/** Truncation, bit flips, or a stray byte. */
export function mutateBytes(update: Uint8Array, rand: () => number): Uint8Array {
  const int = (n: number) => Math.floor(rand() * n)
  const bytes = update.slice()
  switch (int(3)) {
    case 0: return bytes.slice(0, int(bytes.length))
    case 1: {
      for (let i = 0, n = 1 + int(4); i < n; i++) { const at = int(bytes.length); bytes[at] = (bytes[at] as number) ^ (1 << int(8)) }
      return bytes
    }
    default: { const at = int(bytes.length); return Uint8Array.from([...bytes.slice(0, at), int(256), ...bytes.slice(at)]) }
  }
}
