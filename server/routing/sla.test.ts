/**
 * SLA cycles on a test clock (issue 12): a reopen (the customer writing again) starts a new cycle
 * from the reopen with its inbox's targets; a transfer to a team takes that team's inbox's
 * targets from the same start; a rebuild of the projection gives the live state back. Also the
 * transcript events of the customer's reopen and of the bot's priority.
 */
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { appendMessage, formatConversationName, formatInternalName, readMessages, readMeta, readNotes, readSlaCycles, resolvePatch, updateMeta, writeSlaCycle } from '../../protocol/index.ts'
import { rebuildProjection } from '../rebuild-projection.ts'
import { api, connectPeer, waitFor } from '../test-kit.ts'
import { startDesk, type Desk } from './routing-kit.ts'
import { evaluateCycle, judgeCycles } from './sla.ts'

const routingOf = async (desk: Desk, id: string) => (await api(desk.urls[0]!, 'GET', `/api/conversations/${id}/routing`, undefined, desk.owner.token)).body
const statusOf = async (desk: Desk, id: string) => (await api(desk.urls[0]!, 'GET', `/api/conversations/${id}`, undefined, desk.owner.token)).body.status

const MIN = 60_000
const stretch = (startedAt: number, since: number, fr: number | null, res: number | null) => ({ startedAt, since, inboxId: 'i', firstResponseDueAt: fr === null ? null : startedAt + fr * MIN, resolutionDueAt: res === null ? null : startedAt + res * MIN })

test('the SLA rule: met, late, stopped by a resolve, not yet due, ended early, and a transfer\'s new targets', () => {
  const one = [stretch(0, 0, 5, 60)]
  assert.equal(evaluateCycle(one, Infinity, [4 * MIN], [30 * MIN], 100 * MIN), { firstResponseAt: 4 * MIN, resolvedAt: 30 * MIN, firstResponseBreachedAt: null, resolutionBreachedAt: null })
  assert.equal(evaluateCycle(one, Infinity, [6 * MIN], [], 100 * MIN), { firstResponseAt: 6 * MIN, resolvedAt: null, firstResponseBreachedAt: 5 * MIN, resolutionBreachedAt: 60 * MIN }, 'late: dated at the due times')
  assert.is(evaluateCycle(one, Infinity, [], [3 * MIN], 100 * MIN).firstResponseBreachedAt, null, 'resolved before anyone had to answer')
  assert.is(evaluateCycle(one, Infinity, [], [], 4 * MIN).firstResponseBreachedAt, null, 'not yet due')
  assert.is(evaluateCycle(one, 2 * MIN, [], [], 100 * MIN).firstResponseBreachedAt, null, 'the cycle ended before its due time')
  assert.is(evaluateCycle(one, Infinity, [-1 * MIN], [], 100 * MIN).firstResponseAt, null, 'a reply before the cycle is not its response')
  // Transferred at minute 2 into an inbox with 30 minutes: judged by 30 from the same start.
  const moved = [stretch(0, 0, 5, null), stretch(0, 2 * MIN, 30, null)]
  assert.is(evaluateCycle(moved, Infinity, [10 * MIN], [], 100 * MIN).firstResponseBreachedAt, null)
  assert.is(evaluateCycle(moved, Infinity, [], [], 100 * MIN).firstResponseBreachedAt, 30 * MIN)
  // Transferred at minute 8, after the 5 minutes passed: that breach stays.
  assert.is(evaluateCycle([stretch(0, 0, 5, null), stretch(0, 8 * MIN, 30, null)], Infinity, [10 * MIN], [], 100 * MIN).firstResponseBreachedAt, 5 * MIN)
  // Answered at minute 3, then moved to a stricter inbox (2 minutes): met is met.
  assert.is(evaluateCycle([stretch(0, 0, 5, null), stretch(0, 4 * MIN, 2, null)], Infinity, [3 * MIN], [], 100 * MIN).firstResponseBreachedAt, null)
  // Two cycles: a met one, then a reopen at minute 50 that nobody answered.
  const judged = judgeCycles([stretch(0, 0, 5, 60), stretch(50 * MIN, 50 * MIN, 5, 60)], [1 * MIN], [20 * MIN], 100 * MIN)!
  assert.equal(judged.breaches, [{ which: 'first_response', due: 55 * MIN }])
  assert.equal([judged.last.startedAt, judged.last.firstResponseAt, judged.last.resolvedAt], [50 * MIN, null, null])
})

/** A customer through the widget API, who can write again later. */
async function customer(desk: Desk, name: string) {
  const url = desk.urls[0]!
  const session = await api(url, 'POST', '/api/widget/session', { siteKey: desk.siteKey, name })
  const created = await api(url, 'POST', '/api/widget/conversations', { siteKey: desk.siteKey, message: { id: `first-${name}-${Date.now()}`, text: `Hello, I am ${name}` } }, session.body.token)
  if (created.status !== 201) throw new Error(JSON.stringify(created.body))
  let n = 0
  return {
    id: created.body.id as string,
    write: async (text: string) => {
      const r = await api(url, 'POST', `/api/widget/conversations/${created.body.id}/messages`, { id: `again-${name}-${++n}-${Date.now()}`, text }, session.body.token)
      if (r.status !== 201) throw new Error(JSON.stringify(r.body))
    },
  }
}

/** What the SLA state is, live or rebuilt: the routing rows' SLA columns and the breach events. */
async function slaState(desk: Desk) {
  const db = desk.servers[0]!.services.db
  const rows = await db.kysely.selectFrom('conversation_routing')
    .select(['conversation_id', 'inbox_id', 'sla_started_at', 'first_response_due_at', 'resolution_due_at', 'first_response_at', 'resolved_at', 'first_response_breached_at', 'resolution_breached_at'])
    .orderBy('conversation_id').execute()
  const breaches = await db.kysely.selectFrom('conversation_events').select(['id', 'conversation_id', 'at', 'reason', 'assignee_id']).where('kind', '=', 'sla_breached').orderBy('id').execute()
  const num = (v: unknown) => (v === null ? null : Number(v))
  return {
    rows: rows.map((r) => ({ ...r, sla_started_at: num(r.sla_started_at), first_response_due_at: num(r.first_response_due_at), resolution_due_at: num(r.resolution_due_at), first_response_at: num(r.first_response_at), resolved_at: num(r.resolved_at), first_response_breached_at: num(r.first_response_breached_at), resolution_breached_at: num(r.resolution_breached_at) })),
    breaches: breaches.map((b) => ({ ...b, at: Number(b.at) })),
  }
}

for (const dialect of process.env.TEST_DATABASE_URL ? ['sqlite', 'postgres'] : ['sqlite']) test(`SLA (${dialect}): a reopen starts a new cycle from the reopen; a transfer to a team takes its inbox's targets from the same start; a rebuild gives the same due times and breaches`, async () => {
  let now = Date.now()
  // No periodic pass: the test runs each one, and none races the rebuild below.
  const desk = await startDesk({ postgres: dialect === 'postgres', start: { clock: { now: () => now }, routingIntervalMs: 3_600_000 } })
  const routing = desk.servers[0]!.services.routing
  const db = desk.servers[0]!.services.db
  try {
    const url = desk.urls[0]!
    const support = (await api(url, 'POST', '/api/inboxes', { name: 'Support', isDefault: true, firstResponseMinutes: 5, resolutionMinutes: 60, widgetIds: [desk.widgetId] }, desk.owner.token)).body
    const back = (await api(url, 'POST', '/api/teams', { name: 'Back office' }, desk.owner.token)).body
    const backInbox = (await api(url, 'POST', '/api/inboxes', { name: 'Back office', teamId: back.id, firstResponseMinutes: 30, resolutionMinutes: 240 }, desk.owner.token)).body

    const vera = await customer(desk, 'Vera')
    const tom = await customer(desk, 'Tom')
    await waitFor(async () => (await statusOf(desk, tom.id)) === 'waiting', 10000, 'both waiting')
    await routing.pass()
    const first = await routingOf(desk, vera.id)
    assert.is(first.slaStartedAt, first.queuedAt)
    assert.is(first.firstResponseDueAt - first.slaStartedAt, 5 * 60_000)

    // Tom is transferred to the Back office team before his 5 minutes are up: its inbox's 30 minutes, from when Tom queued.
    const tomBefore = await routingOf(desk, tom.id)
    const moved = await api(url, 'POST', `/api/conversations/${tom.id}/transfer`, { teamId: back.id, note: 'needs the warehouse' }, desk.owner.token)
    assert.is(moved.status, 200, JSON.stringify(moved.body))
    const tomRouting = await routingOf(desk, tom.id)
    assert.is(tomRouting.inboxId, backInbox.id)
    assert.is(tomRouting.slaStartedAt, tomBefore.slaStartedAt, 'the customer\'s wait does not restart')
    assert.is(tomRouting.firstResponseDueAt, tomRouting.slaStartedAt + 30 * 60_000, 'the new inbox\'s target, from the same start')
    assert.is(tomRouting.resolutionDueAt, tomRouting.slaStartedAt + 240 * 60_000)

    // Vera's first cycle: taken, answered and resolved in time.
    assert.is((await api(url, 'POST', `/api/conversations/${vera.id}/take`, {}, desk.owner.token)).body.taken, true)
    const peer = connectPeer(url.replace('http', 'ws') + '/sync', formatConversationName(vera.id), desk.owner.token)
    await peer.ready
    appendMessage(peer.doc, { id: 'answer-1', author: { role: 'agent', id: desk.owner.id, name: desk.owner.name }, kind: 'message', text: 'Sent again', attachments: [], createdAt: Date.now() })
    await waitFor(async () => (await routingOf(desk, vera.id)).firstResponseAt !== null, 10000, 'the first response recorded at once')
    updateMeta(peer.doc, resolvePatch(Date.now()))
    await waitFor(async () => (await routingOf(desk, vera.id)).resolvedAt !== null, 10000, 'the resolve recorded')
    await waitFor(() => readMessages(peer.doc).some((m) => m.text === 'This conversation was resolved'), 10000, 'the customer told it was resolved')

    // Ten minutes on, Vera writes again: a new cycle from her message, nothing of the old one carried over.
    now += 10 * 60_000
    const before = Date.now()
    await vera.write('It still has not arrived')
    const second = await waitFor(async () => { const r = await routingOf(desk, vera.id); return r.slaStartedAt > first.slaStartedAt ? r : null }, 10000, 'a new cycle')
    assert.ok(second.slaStartedAt >= before, 'the cycle starts at the reopen')
    assert.is(second.firstResponseDueAt, second.slaStartedAt + 5 * 60_000)
    assert.is(second.resolutionDueAt, second.slaStartedAt + 60 * 60_000)
    assert.equal([second.firstResponseAt, second.resolvedAt, second.firstResponseBreachedAt, second.resolutionBreachedAt], [null, null, null, null])
    assert.is(await statusOf(desk, vera.id), 'open', 'back with its assignee')
    // The team reads who reopened it; the customer's document does not carry it.
    const internal = connectPeer(url.replace('http', 'ws') + '/sync', formatInternalName(vera.id), desk.owner.token)
    await internal.ready
    await waitFor(() => readNotes(internal.doc).some((n) => n.kind === 'event' && n.text === 'Vera wrote again and reopened the conversation'), 10000, 'the reopen event')
    assert.not.ok(readMessages(peer.doc).some((m) => m.text.includes('reopened')))
    await waitFor(() => readSlaCycles(internal.doc).length === 2, 10000, 'both cycles in the internal document')

    // Six minutes after the reopen: Vera's second first response is late; Tom (sixteen minutes in) is not, under 30.
    now += 6 * 60_000
    await routing.pass()
    const late = await routingOf(desk, vera.id)
    assert.is(late.firstResponseBreachedAt, second.firstResponseDueAt, 'breached, dated at its due time')
    assert.is((await routingOf(desk, tom.id)).firstResponseBreachedAt, null)
    // Forty minutes in, Tom breaches the Back office target.
    now += 25 * 60_000
    await routing.pass()
    assert.is((await routingOf(desk, tom.id)).firstResponseBreachedAt, tomRouting.firstResponseDueAt)
    const live = await slaState(desk)
    assert.equal(live.breaches.map((b) => [b.conversation_id, b.reason, b.at]), [
      [tom.id, 'first_response', tomRouting.firstResponseDueAt], [vera.id, 'first_response', second.firstResponseDueAt],
    ].sort((a, b) => `${a[0]}:sla_breached:${a[1]}:${a[2]}`.localeCompare(`${b[0]}:sla_breached:${b[1]}:${b[2]}`)), 'one breach each, none in Vera\'s met first cycle')

    // The SQL side is lost; the rebuild gives the same due times and breaches from the documents.
    await db.kysely.deleteFrom('conversation_events').execute()
    await db.kysely.updateTable('conversation_routing').set({ sla_started_at: null, inbox_id: null, first_response_due_at: null, resolution_due_at: null, first_response_at: null, resolved_at: null, first_response_breached_at: null, resolution_breached_at: null }).execute()
    await rebuildProjection(db, undefined, now)
    assert.equal(await slaState(desk), live)
    // And again: nothing doubles.
    await rebuildProjection(db, undefined, now)
    assert.equal(await slaState(desk), live)
    // Even with the routing rows gone.
    await db.kysely.deleteFrom('conversation_routing').execute()
    await db.kysely.deleteFrom('conversation_events').execute()
    await rebuildProjection(db, undefined, now)
    assert.equal(await slaState(desk), live)
    peer.destroy(); internal.destroy()
  } finally {
    await desk.close()
  }
})

test('the bot\'s priority change is a team-only transcript event', async () => {
  const desk = await startDesk()
  try {
    const id = await desk.escalate('Pia')
    await waitFor(async () => (await statusOf(desk, id)) === 'waiting', 10000, 'waiting')
    const server = desk.servers[0]!
    const bot = connectPeer(server.url.replace('http', 'ws') + '/sync', formatConversationName(id), server.serviceToken)
    await bot.ready
    updateMeta(bot.doc, { priority: 'high' })
    const internal = connectPeer(server.url.replace('http', 'ws') + '/sync', formatInternalName(id), desk.owner.token)
    await internal.ready
    await waitFor(() => readNotes(internal.doc).some((n) => n.kind === 'event' && n.text === 'The assistant changed the priority to high'), 10000, 'the priority event')
    assert.is(readMeta(bot.doc).priority, 'high')
    assert.not.ok(readMessages(bot.doc).some((m) => m.text.includes('priority')), 'the customer does not read it')
    // The SLA cycles are the server's: an agent writing them is refused, and nothing is kept.
    writeSlaCycle(internal.doc, { startedAt: 1, since: 1, inboxId: null, firstResponseDueAt: null, resolutionDueAt: null })
    await waitFor(() => internal.closes.some((c) => /unknown part "sla"/.test(c.reason ?? '')), 10000, 'the refusal')
    const fresh = connectPeer(server.url.replace('http', 'ws') + '/sync', formatInternalName(id), desk.owner.token)
    await fresh.ready
    assert.equal(readSlaCycles(fresh.doc).filter((c) => c.startedAt === 1), [])
    bot.destroy(); internal.destroy(); fresh.destroy()
  } finally {
    await desk.close()
  }
})

test.run()
