/** The contested Take (issue 12): one assignee, one "joined" event, the losers told who has it. */
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { readMessages, readMeta, readNotes, formatInternalName } from '../../protocol/index.ts'
import { api, connectPeer, waitFor } from '../test-kit.ts'
import { openConversation, startDesk } from './routing-kit.ts'

test('20 simultaneous takes across two instances on one PostgreSQL and Redis: one assignee, one "joined" event', async () => {
  const desk = await startDesk({ instances: 2 })
  try {
    const agents = await Promise.all(Array.from({ length: 5 }, (_, i) => desk.addAgent(`Agent ${i}`)))
    const id = await desk.escalate('Vera', 1)
    await waitFor(async () => (await api(desk.urls[0]!, 'GET', `/api/conversations/${id}`, undefined, desk.owner.token)).body.status === 'waiting', 15000, 'the conversation to wait')
    const attempts = Array.from({ length: 20 }, (_, i) => {
      const agent = agents[i % agents.length]!
      return api(desk.urls[i % 2]!, 'POST', `/api/conversations/${id}/take`, {}, agent.token).then((r) => ({ agent, ...r }))
    })
    const results = await Promise.all(attempts)
    for (const r of results) assert.is(r.status, 200, JSON.stringify(r.body))
    const winners = new Set(results.filter((r) => r.body.taken).map((r) => r.agent.id))
    assert.is(winners.size, 1, 'exactly one agent took it')
    const winner = agents.find((a) => winners.has(a.id))!
    // Every loser was told who has it, by name, with no error.
    for (const r of results.filter((r) => !r.body.taken)) assert.equal(r.body.assignee, { id: winner.id, name: winner.name })
    const peer = await openConversation(desk, desk.owner, id, 0)
    await waitFor(() => readMeta(peer.doc).assignee === winner.id, 15000, 'the assignee in the document')
    await waitFor(() => readMessages(peer.doc).some((m) => m.kind === 'event'), 15000, 'the joined event')
    // Give stragglers every chance to write a second event before counting.
    await api(desk.urls[1]!, 'POST', `/api/conversations/${id}/take`, {}, agents[0]!.token)
    const joined = readMessages(peer.doc).filter((m) => m.kind === 'event' && m.text.endsWith('joined the conversation'))
    assert.equal(joined.map((m) => m.text), [`${winner.name} joined the conversation`])
    assert.is(readMeta(peer.doc).status, 'open')
    // The customer sees it too: the event is in the document they read.
    peer.destroy()
  } finally {
    await desk.close()
  }
})

test('an agent cannot set the assignee in the document directly; take and transfer go through the server', async () => {
  const desk = await startDesk()
  try {
    const bob = await desk.addAgent('Bob')
    const id = await desk.escalate()
    await waitFor(async () => (await api(desk.urls[0]!, 'GET', `/api/conversations/${id}`, undefined, desk.owner.token)).body.status === 'waiting', 10000, 'waiting')
    const peer = await openConversation(desk, bob, id)
    peer.doc.getMap('meta').set('assignee', bob.id)
    await waitFor(() => peer.closes.some((c) => c.code === 4423 || /assignee is set by the server only/.test(c.reason ?? '')), 10000, 'the refusal')
    peer.destroy()
    const taken = await api(desk.urls[0]!, 'POST', `/api/conversations/${id}/take`, {}, bob.token)
    assert.equal(taken.body, { taken: true, assignee: { id: bob.id, name: 'Bob' } })
    // A transfer to the owner with a private note: the customer reads "You are now talking with", the team reads the note.
    const moved = await api(desk.urls[0]!, 'POST', `/api/conversations/${id}/transfer`, { agentId: desk.owner.id, note: 'VIP, refund approved' }, bob.token)
    assert.is(moved.status, 200, JSON.stringify(moved.body))
    const doc = await openConversation(desk, desk.owner, id)
    await waitFor(() => readMeta(doc.doc).assignee === desk.owner.id, 10000, 'the new assignee')
    await waitFor(() => readMessages(doc.doc).some((m) => m.text === `You are now talking with ${desk.owner.name}`), 10000, 'the customer-facing event')
    const internal = connectPeer(desk.servers[0]!.url.replace('http', 'ws') + '/sync', formatInternalName(id), desk.owner.token)
    await internal.ready
    await waitFor(() => readNotes(internal.doc).some((n) => n.kind === 'note' && n.text === 'VIP, refund approved'), 10000, 'the private note')
    assert.ok(readNotes(internal.doc).some((n) => n.kind === 'event' && n.text === `Bob transferred the conversation to ${desk.owner.name}`))
    // Nothing of the note reached the customer's document.
    assert.not.ok(readMessages(doc.doc).some((m) => m.text.includes('VIP')))
    // A viewer may not take; a bad body names its field.
    const bad = await api(desk.urls[0]!, 'POST', `/api/conversations/${id}/transfer`, { agentId: 'nobody-here' }, bob.token)
    assert.is(bad.status, 400)
    assert.is(bad.body.error.field, 'agentId')
    const both = await api(desk.urls[0]!, 'POST', `/api/conversations/${id}/transfer`, {}, bob.token)
    assert.is(both.status, 400)
    internal.destroy(); doc.destroy()
  } finally {
    await desk.close()
  }
})

test.run()
