import { test } from 'uvu'
import * as assert from 'uvu/assert'
import * as Y from 'yjs'
import { getMessages, getMeta, type Message } from '../../protocol/index.ts'
import { elementsOf, planArrayMerge, repairOrder } from './merge-documents.ts'

const message = (id: string, createdAt: number, text = id): Message => ({ id, author: { role: 'customer', id: 'k1', name: 'K' }, kind: 'message', text, attachments: [], createdAt })

function conversation(times: [string, number][]): Y.Doc {
  const doc = new Y.Doc()
  for (const [id, at] of times) doc.transact(() => { getMessages(doc).push([message(id, at)]); getMeta(doc).set('updatedAt', at) })
  return doc
}

test('the merged-away messages join the survivor in time order, with their own Yjs ids', () => {
  const a = conversation([['a1', 10], ['a2', 30], ['a3', 50]])
  const b = conversation([['b1', 5], ['b2', 20], ['b3', 40], ['b4', 60]])
  const plan = planArrayMerge(a, b, 'messages')
  assert.ok(plan)
  assert.is(plan.count, 4)
  Y.applyUpdate(a, plan.update)
  assert.equal(getMessages(a).toArray().map((m) => m.id), ['b1', 'a1', 'b2', 'a2', 'b3', 'a3', 'b4'])
  // Items of b, under b's client: the merge is of Yjs items, not copies.
  const ids = new Map(elementsOf(getMessages(a)).map((e) => [e.value.id, e.id.client]))
  assert.is(ids.get('b2'), b.clientID)
  assert.is(ids.get('a2'), a.clientID)
  // Nothing pending: the update integrated completely.
  assert.is(a.store.pendingStructs, null)
  // A second pass brings nothing.
  assert.is(planArrayMerge(a, b, 'messages'), null)
  // A peer of the survivor receives the same thing by ordinary sync.
  const peer = new Y.Doc()
  Y.applyUpdate(peer, Y.encodeStateAsUpdate(a))
  assert.equal(getMessages(peer).toArray().map((m) => m.id), getMessages(a).toArray().map((m) => m.id))
})

test('messages written to the merged-away document later join too, once', () => {
  const a = conversation([['a1', 10]])
  const b = conversation([['b1', 5]])
  Y.applyUpdate(a, planArrayMerge(a, b, 'messages')!.update)
  b.transact(() => getMessages(b).push([message('b2', 20)]))
  a.transact(() => getMessages(a).push([message('a2', 30)]))
  const second = planArrayMerge(a, b, 'messages')!
  assert.is(second.count, 1)
  Y.applyUpdate(a, second.update)
  assert.equal(getMessages(a).toArray().map((m) => m.id), ['b1', 'a1', 'b2', 'a2'])
  assert.is(a.store.pendingStructs, null)
})

test('an empty survivor takes the messages as they are', () => {
  const a = new Y.Doc()
  getMeta(a).set('status', 'open')
  const b = conversation([['b1', 5], ['b2', 6]])
  Y.applyUpdate(a, planArrayMerge(a, b, 'messages')!.update)
  assert.equal(getMessages(a).toArray().map((m) => m.id), ['b1', 'b2'])
})

test('repairOrder moves a message that arrived out of order back to its time', () => {
  const a = conversation([['a1', 10], ['b9', 50], ['a2', 30], ['a3', 20], ['a4', 60]])
  assert.is(repairOrder(getMessages(a)), 2)
  assert.equal(getMessages(a).toArray().map((m) => m.id), ['a1', 'a3', 'a2', 'b9', 'a4'])
  assert.is(repairOrder(getMessages(a)), 0)
})

test.run()
