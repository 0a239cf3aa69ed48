/** AI routing above and below the threshold, SLA due times and breaches (test clock), availability across instances, bad input. */
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { appendMessage, formatConversationName, formatInboxName, formatInternalName, getInboxRouting, writeClassification } from '../../protocol/index.ts'
import { api, connectPeer, waitFor } from '../test-kit.ts'
import { startDesk, type Desk } from './routing-kit.ts'

const routingOf = async (desk: Desk, id: string) => (await api(desk.urls[0]!, 'GET', `/api/conversations/${id}/routing`, undefined, desk.owner.token)).body
const classify = async (desk: Desk, id: string, category: string, confidence: number) => {
  const bot = connectPeer(desk.servers[0]!.url.replace('http', 'ws') + '/sync', formatInternalName(id), desk.servers[0]!.serviceToken)
  await bot.ready
  writeClassification(bot.doc, { category, sentiment: 'neutral', language: 'en', confidence })
  return bot
}

test('AI routing: a confident category goes to its team\'s queue with the reason; below the threshold it stays in its inbox', async () => {
  const desk = await startDesk()
  try {
    const billing = (await api(desk.urls[0]!, 'POST', '/api/teams', { name: 'Billing', categories: ['Billing'] }, desk.owner.token)).body
    assert.equal(billing.categories, ['billing'])
    assert.equal((await api(desk.urls[0]!, 'PUT', '/api/settings/routing', { confidenceThreshold: 0.85 }, desk.owner.token)).body.confidenceThreshold, 0.85)
    const sure = await desk.escalate('Sure')
    const unsure = await desk.escalate('Unsure')
    await classify(desk, sure, 'billing', 0.93)
    await classify(desk, unsure, 'billing', 0.6)
    const a = await waitFor(async () => { const r = await routingOf(desk, sure); return r.teamId ? r : null }, 10000, 'the confident one routed')
    assert.is(a.teamId, billing.id)
    assert.is(a.reason, 'routed to Billing: category billing, confidence 0.93')
    const b = await waitFor(async () => { const r = await routingOf(desk, unsure); return r.category ? r : null }, 10000, 'the unsure one judged')
    assert.is(b.teamId, null)
    assert.match(b.reason, /confidence 0\.60: below 0\.85/)
    // The agents' inbox carries the reason (the customer's document never does).
    const inbox = connectPeer(desk.servers[0]!.url.replace('http', 'ws') + '/sync', formatInboxName(desk.workspaceId), desk.owner.token)
    await inbox.ready
    await waitFor(() => getInboxRouting(inbox.doc).get(sure)?.reason === 'routed to Billing: category billing, confidence 0.93', 10000, 'the reason in the inbox document')
  } finally {
    await desk.close()
  }
})

test('SLA: due times from the inbox targets, breaches marked once with a test clock, met targets not marked', async () => {
  let now = Date.now()
  const desk = await startDesk({ start: { clock: { now: () => now }, routingIntervalMs: 60_000 } })
  try {
    const inbox = (await api(desk.urls[0]!, 'POST', '/api/inboxes', { name: 'Support', isDefault: true, firstResponseMinutes: 5, resolutionMinutes: 60, widgetIds: [desk.widgetId] }, desk.owner.token)).body
    assert.is(inbox.firstResponseMinutes, 5)
    const late = await desk.escalate('Late')
    const answered = await desk.escalate('Answered')
    await waitFor(async () => (await api(desk.urls[0]!, 'GET', `/api/conversations/${answered}`, undefined, desk.owner.token)).body.status === 'waiting', 10000, 'waiting')
    await desk.servers[0]!.services.routing.pass()
    const r = await routingOf(desk, late)
    assert.is(r.firstResponseDueAt - r.queuedAt, 5 * 60_000)
    assert.is(r.resolutionDueAt - r.queuedAt, 60 * 60_000)
    // The second gets a human reply in time.
    assert.is((await api(desk.urls[0]!, 'POST', `/api/conversations/${answered}/take`, {}, desk.owner.token)).body.taken, true)
    const doc = connectPeer(desk.servers[0]!.url.replace('http', 'ws') + '/sync', formatConversationName(answered), desk.owner.token)
    await doc.ready
    appendMessage(doc.doc, { id: 'reply-in-time-1', author: { role: 'agent', id: desk.owner.id, name: desk.owner.name }, kind: 'message', text: 'Hello!', attachments: [], createdAt: Date.now() })
    await waitFor(async () => (await desk.servers[0]!.services.db.kysely.selectFrom('conversation_events').select('id').where('conversation_id', '=', answered).where('kind', '=', 'first_human_reply').executeTakeFirst()) !== undefined, 10000, 'the first reply in the event log')
    await desk.servers[0]!.services.routing.pass()
    assert.is((await routingOf(desk, late)).firstResponseBreachedAt, null, 'not yet due')
    now += 6 * 60_000
    await desk.servers[0]!.services.routing.pass()
    await desk.servers[0]!.services.routing.pass()
    assert.ok((await routingOf(desk, late)).firstResponseBreachedAt, 'the late one is breached')
    assert.is((await routingOf(desk, answered)).firstResponseBreachedAt, null, 'the answered one met its target')
    const breaches = await desk.servers[0]!.services.db.kysely.selectFrom('conversation_events').selectAll().where('kind', '=', 'sla_breached').execute()
    assert.equal(breaches.map((e) => [e.conversation_id, e.reason]), [[late, 'first_response']])
    const inboxDoc = connectPeer(desk.servers[0]!.url.replace('http', 'ws') + '/sync', formatInboxName(desk.workspaceId), desk.owner.token)
    await inboxDoc.ready
    await waitFor(() => getInboxRouting(inboxDoc.doc).get(late)?.firstResponseBreached === true, 10000, 'the breach in the inbox document')
    assert.is(getInboxRouting(inboxDoc.doc).get(answered)?.firstResponseBreached, false)
  } finally {
    await desk.close()
  }
})

test('availability is counted across two Redis-linked instances; the last device leaving makes an agent offline', async () => {
  const desk = await startDesk({ instances: 2 })
  try {
    const ann = await desk.addAgent('Ann')
    const stateOnA = async () => (await api(desk.urls[0]!, 'GET', '/api/availability', undefined, desk.owner.token)).body.items.find((i: { agentId: string }) => i.agentId === ann.id)?.availability
    assert.is(await stateOnA(), 'offline')
    const phone = await desk.connect(ann, 1)
    await waitFor(async () => (await stateOnA()) === 'online', 10000, 'Ann online, seen from the other instance')
    const laptop = await desk.connect(ann, 0)
    phone.destroy()
    await new Promise((r) => setTimeout(r, 300))
    assert.is(await stateOnA(), 'online', 'one device is still connected')
    laptop.destroy()
    await waitFor(async () => (await stateOnA()) === 'offline', 10000, 'offline once the last device left')
    // The widget hears "nobody is online" on either instance.
    await waitFor(async () => (await api(desk.urls[1]!, 'GET', `/api/public/widgets/${desk.siteKey}/availability`)).body.agentsOnline === false, 10000, 'nobody online')
  } finally {
    await desk.close()
  }
})

test('auto-Away after the configured idle time', async () => {
  let now = Date.now()
  const desk = await startDesk({ start: { clock: { now: () => now }, routingIntervalMs: 60_000 } })
  try {
    const ann = await desk.addAgent('Ann')
    await api(desk.urls[0]!, 'PUT', '/api/settings/routing', { autoAwayMinutes: 10 }, desk.owner.token)
    await desk.connect(ann)
    const mine = async () => (await api(desk.urls[0]!, 'GET', '/api/availability', undefined, ann.token)).body.mine
    assert.is(await mine(), 'online')
    now += 11 * 60_000
    assert.is(await mine(), 'away')
    await api(desk.urls[0]!, 'POST', '/api/me/activity', {}, ann.token)
    assert.is(await mine(), 'online')
  } finally {
    await desk.close()
  }
})

test('team and inbox endpoints: owners and admins only; bad input is a 400 naming the field, nothing changed', async () => {
  const desk = await startDesk()
  try {
    const agent = await desk.addAgent('Ann')
    const url = desk.urls[0]!
    assert.is((await api(url, 'POST', '/api/teams', { name: 'X' }, agent.token)).status, 403)
    assert.is((await api(url, 'POST', '/api/inboxes', { name: 'X' }, agent.token)).status, 403)
    assert.is((await api(url, 'PUT', '/api/settings/routing', { confidenceThreshold: 0.5 }, agent.token)).status, 403)
    const cases: [string, string, unknown, string][] = [
      ['POST', '/api/teams', { name: '' }, 'name'],
      ['POST', '/api/teams', { name: 'A', members: ['nobody'] }, 'members.0'],
      ['POST', '/api/teams', { name: 'A', capacity: -1 }, 'capacity'],
      ['POST', '/api/teams', { name: 'A', categories: [''] }, 'categories.0'],
      ['POST', '/api/teams', { name: 'A', colour: 'red' }, 'colour'],
      ['POST', '/api/inboxes', { name: 'I', policy: 'random' }, 'policy'],
      ['POST', '/api/inboxes', { name: 'I', teamId: 'no-such-team' }, 'teamId'],
      ['POST', '/api/inboxes', { name: 'I', firstResponseMinutes: 0 }, 'firstResponseMinutes'],
      ['POST', '/api/inboxes', { name: 'I', widgetIds: ['nope'] }, 'widgetIds.0'],
      ['PUT', '/api/settings/routing', { confidenceThreshold: 2 }, 'confidenceThreshold'],
      ['PUT', '/api/me/availability', { availability: 'busy' }, 'availability'],
      ['PUT', `/api/agents/${agent.id}/capacity`, { capacity: 1.5 }, 'capacity'],
    ]
    for (const [method, path, body, field] of cases) {
      const reply = await api(url, method, path, body, desk.owner.token)
      assert.is(reply.status, 400, `${method} ${path} ${JSON.stringify(body)}: ${JSON.stringify(reply.body)}`)
      assert.is(reply.body.error.field, field, `${method} ${path}`)
    }
    assert.equal((await api(url, 'GET', '/api/teams', undefined, agent.token)).body.items, [])
    const team = (await api(url, 'POST', '/api/teams', { name: 'Billing', members: [agent.id] }, desk.owner.token)).body
    assert.is((await api(url, 'POST', '/api/teams', { name: 'Billing' }, desk.owner.token)).body.error.field, 'name')
    assert.is((await api(url, 'PATCH', `/api/teams/${team.id}`, { members: [agent.id, 'ghost'] }, desk.owner.token)).body.error.field, 'members.1')
    assert.equal((await api(url, 'GET', '/api/teams', undefined, agent.token)).body.items[0].members, [agent.id])
    assert.equal((await api(url, 'GET', '/api/me/teams', undefined, agent.token)).body.teamIds, [team.id])
    const inbox = (await api(url, 'POST', '/api/inboxes', { name: 'Main', teamId: team.id }, desk.owner.token)).body
    assert.is(inbox.isDefault, true, 'the first inbox is the default')
    assert.is((await api(url, 'DELETE', `/api/inboxes/${inbox.id}`, undefined, desk.owner.token)).status, 409)
    assert.is((await api(url, 'DELETE', `/api/teams/${team.id}`, undefined, desk.owner.token)).status, 200)
    assert.is((await api(url, 'GET', '/api/inboxes', undefined, agent.token)).body.items[0].teamId, null, 'its inbox routes to everyone now')
  } finally {
    await desk.close()
  }
})

test.run()
