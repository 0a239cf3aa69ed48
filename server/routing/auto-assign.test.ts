/** Auto-assignment (issue 12): policies, queue order, capacity, Away agents, pulling on coming online and on resolving. */
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { readMessages, readMeta, updateMeta } from '../../protocol/index.ts'
import { api, waitFor } from '../test-kit.ts'
import { openConversation, startDesk, type Desk } from './routing-kit.ts'

const row = async (desk: Desk, id: string) => (await api(desk.urls[0]!, 'GET', `/api/conversations/${id}`, undefined, desk.owner.token)).body
const assigneeOf = async (desk: Desk, id: string) => (await api(desk.urls[0]!, 'GET', `/api/conversations/${id}/routing`, undefined, desk.owner.token)).body.assignee as string | null
const setup = async (desk: Desk, policy: string, capacities: number[]) => {
  const agents = []
  for (const [i, capacity] of capacities.entries()) {
    const agent = await desk.addAgent(['Ann', 'Ben', 'Cat'][i]!)
    assert.is((await api(desk.urls[0]!, 'PUT', `/api/agents/${agent.id}/capacity`, { capacity }, desk.owner.token)).status, 200)
    agents.push(agent)
  }
  const team = (await api(desk.urls[0]!, 'POST', '/api/teams', { name: 'Support', members: agents.map((a) => a.id) }, desk.owner.token)).body
  const inbox = (await api(desk.urls[0]!, 'GET', '/api/inboxes', undefined, desk.owner.token)).body.items[0]
    ?? (await api(desk.urls[0]!, 'POST', '/api/inboxes', { name: 'Default', isDefault: true }, desk.owner.token)).body
  const patched = await api(desk.urls[0]!, 'PATCH', `/api/inboxes/${inbox.id}`, { teamId: team.id, policy, widgetIds: [desk.widgetId] }, desk.owner.token)
  assert.is(patched.status, 200, JSON.stringify(patched.body))
  return { agents, team }
}

test('round-robin: queue order (high first, then oldest), capacity respected, a full desk waits, a freed slot is filled', async () => {
  const desk = await startDesk()
  try {
    const { agents: [ann, ben] } = await setup(desk, 'round-robin', [1, 1])
    const c1 = await desk.escalate('One')
    const c2 = await desk.escalate('Two')
    const c3 = await desk.escalate('Three')
    // The owner (not in the team) raises the third to high priority.
    const third = await openConversation(desk, desk.owner, c3)
    updateMeta(third.doc, { priority: 'high' })
    await waitFor(async () => (await row(desk, c3)).priority === 'high', 10000, 'the priority projected')
    // Nobody online: all three wait.
    for (const id of [c1, c2, c3]) assert.is(await assigneeOf(desk, id), null)
    await desk.connect(ann!)
    await waitFor(async () => (await assigneeOf(desk, c3)) === ann!.id, 10000, 'Ann to get the high-priority one first')
    await desk.connect(ben!)
    await waitFor(async () => (await assigneeOf(desk, c1)) === ben!.id, 10000, 'Ben to get the oldest normal one')
    // Both are at capacity: the second waits, whatever passes run.
    await desk.servers[0]!.services.routing.pass()
    assert.is(await assigneeOf(desk, c2), null)
    assert.is((await row(desk, c2)).status, 'waiting')
    // Ann resolves hers: the slot frees and she pulls the next at once.
    const annDoc = await openConversation(desk, ann!, c3)
    await waitFor(() => readMeta(annDoc.doc).assignee === ann!.id, 10000, 'the assignment in Ann\'s copy')
    updateMeta(annDoc.doc, { status: 'resolved', updatedAt: Date.now() })
    await waitFor(async () => (await assigneeOf(desk, c2)) === ann!.id, 10000, 'Ann to pull the waiting one after resolving')
    // The customer of the second sees who joined; the first resolved conversation says so.
    const second = await openConversation(desk, desk.owner, c2)
    await waitFor(() => readMessages(second.doc).some((m) => m.kind === 'event' && m.text === 'Ann joined the conversation'), 10000, 'the joined event')
    await waitFor(() => readMessages(annDoc.doc).some((m) => m.kind === 'event' && m.text === 'This conversation was resolved'), 10000, 'the resolved event')
  } finally {
    await desk.close()
  }
})

test('least-loaded picks the member with the fewest open conversations; Away agents get nothing', async () => {
  const desk = await startDesk()
  try {
    const { agents: [ann, ben] } = await setup(desk, 'manual', [3, 3])
    await desk.connect(ann!)
    await desk.connect(ben!)
    // Under manual, Ann takes two herself.
    const first = [await desk.escalate('A'), await desk.escalate('B')]
    for (const id of first) {
      await waitFor(async () => (await row(desk, id)).status === 'waiting', 10000, 'waiting')
      assert.is((await api(desk.urls[0]!, 'POST', `/api/conversations/${id}/take`, {}, ann!.token)).body.taken, true)
    }
    await waitFor(async () => (await row(desk, first[1]!)).status === 'open', 10000, 'open')
    const inbox = (await api(desk.urls[0]!, 'GET', '/api/inboxes', undefined, desk.owner.token)).body.items[0]
    await api(desk.urls[0]!, 'PATCH', `/api/inboxes/${inbox.id}`, { policy: 'least-loaded' }, desk.owner.token)
    const next = await desk.escalate('C')
    await waitFor(async () => (await assigneeOf(desk, next)) === ben!.id, 10000, 'Ben (0 open) rather than Ann (2 open)')
    // Ben goes Away: the next goes to Ann although she has more.
    const away = await api(desk.urls[0]!, 'PUT', '/api/me/availability', { availability: 'away' }, ben!.token)
    assert.equal(away.body, { chosen: 'away', availability: 'away' })
    const later = await desk.escalate('D')
    await waitFor(async () => (await assigneeOf(desk, later)) === ann!.id, 10000, 'Ann, Ben being away')
    // Ann goes Away too: the next waits.
    await api(desk.urls[0]!, 'PUT', '/api/me/availability', { availability: 'away' }, ann!.token)
    const last = await desk.escalate('E')
    await waitFor(async () => (await row(desk, last)).status === 'waiting', 10000, 'waiting')
    await desk.servers[0]!.services.routing.pass()
    assert.is(await assigneeOf(desk, last), null)
    // Ben comes back and pulls it.
    await api(desk.urls[0]!, 'PUT', '/api/me/availability', { availability: 'online' }, ben!.token)
    await waitFor(async () => (await assigneeOf(desk, last)) === ben!.id, 10000, 'Ben pulling on coming online')
  } finally {
    await desk.close()
  }
})

test('20 concurrent auto-assign passes and takes across two instances: one assignee, one "joined" event', async () => {
  const desk = await startDesk({ instances: 2, start: { routingIntervalMs: 60_000 } })
  try {
    const { agents } = await setup(desk, 'manual', [5, 5, 5])
    for (const [i, agent] of agents.entries()) await desk.connect(agent, i % 2)
    const id = await desk.escalate('Race')
    await waitFor(async () => (await row(desk, id)).status === 'waiting', 15000, 'waiting')
    const inbox = (await api(desk.urls[0]!, 'GET', '/api/inboxes', undefined, desk.owner.token)).body.items[0]
    // Policy switched on while every instance runs passes and agents click Take at once.
    await api(desk.urls[0]!, 'PATCH', `/api/inboxes/${inbox.id}`, { policy: 'least-loaded' }, desk.owner.token)
    await Promise.all(Array.from({ length: 20 }, (_, i) => i % 2 === 0
      ? desk.servers[(i / 2) % 2]!.services.routing.autoAssign.request(desk.workspaceId)
      : api(desk.urls[i % 2]!, 'POST', `/api/conversations/${id}/take`, {}, agents[i % 3]!.token)))
    const assignee = await waitFor(() => assigneeOf(desk, id), 15000, 'an assignee')
    const doc = await openConversation(desk, desk.owner, id, 1)
    await waitFor(() => readMeta(doc.doc).assignee === assignee, 15000, 'the document to follow')
    await waitFor(() => readMessages(doc.doc).some((m) => m.kind === 'event'), 15000, 'the event')
    const joined = readMessages(doc.doc).filter((m) => m.kind === 'event' && m.text.endsWith('joined the conversation'))
    assert.is(joined.length, 1, joined.map((m) => m.text).join(' | '))
  } finally {
    await desk.close()
  }
})

test.run()
