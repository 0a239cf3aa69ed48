/**
 * "SLA about to breach" emails (test clock, real SMTP server): once per conversation and target,
 * within the lead, to the assignee or (unassigned) the owners and admins, in the agent's own
 * language, only when they are away, and once across two instances; and "away" for every
 * notification is judged across instances linked by Redis.
 */
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { formatAgentName, getPreferences } from '../../protocol/index.ts'
import { api, connectPeer, waitFor } from '../test-kit.ts'
import { startDesk, type Agent, type Desk } from '../routing/routing-kit.ts'
import { startTestSmtp, type TestSmtp } from './test-smtp.ts'

const to = (smtp: TestSmtp, email: string) => smtp.received.filter((m) => JSON.stringify(m.to).includes(email))
const emailOf = async (desk: Desk, agent: Agent) => (await desk.servers[0]!.services.db.kysely.selectFrom('agents').select('email').where('id', '=', agent.id).executeTakeFirstOrThrow()).email

/** The agent's synced language, as the app writes it (their agent document); they are away again after. */
async function chooseLanguage(desk: Desk, agent: Agent, language: string): Promise<void> {
  const peer = connectPeer(desk.servers[0]!.url.replace('http', 'ws') + '/sync', formatAgentName(agent.id), agent.token)
  await peer.ready
  getPreferences(peer.doc).set('language', language)
  await waitFor(() => peer.provider.unsyncedChanges === 0, 10000, 'the preference stored')
  peer.destroy()
  await waitFor(async () => !(await desk.servers[0]!.services.presence.onlineNow(desk.workspaceId)).has(agent.id), 10000, 'the agent away again')
}

async function waiting(desk: Desk, id: string): Promise<void> {
  await waitFor(async () => (await api(desk.urls[0]!, 'GET', `/api/conversations/${id}`, undefined, desk.owner.token)).body.status === 'waiting', 15000, 'the conversation waiting')
}

test('within the lead, once per target, to the away assignee in German; unassigned: to the owners and admins; switchable', async () => {
  let now = Date.now()
  const smtp = await startTestSmtp()
  const desk = await startDesk({ start: { clock: { now: () => now }, routingIntervalMs: 3_600_000 }, env: { SMTP_URL: smtp.url, EMAIL_FROM: 'Acme <support@acme.test>' } })
  try {
    const url = desk.urls[0]!
    const pass = () => desk.servers[0]!.services.routing.pass()
    assert.is((await api(url, 'POST', '/api/inboxes', { name: 'Support', isDefault: true, firstResponseMinutes: 60, resolutionMinutes: 240, widgetIds: [desk.widgetId] }, desk.owner.token)).status, 201)
    // Lead: 15 minutes, or 20 % of the target when sooner: 12 minutes before a first response due in an hour.
    assert.equal((await api(url, 'PUT', '/api/settings/routing', { slaWarningMinutes: 15, slaWarningPercent: 20 }, desk.owner.token)).body.slaWarningPercent, 20)
    assert.is((await api(url, 'PUT', '/api/settings/routing', { slaWarningPercent: 0 }, desk.owner.token)).body.error.field, 'slaWarningPercent')
    const ann = await desk.addAgent('Ann')
    const annEmail = (await emailOf(desk, ann))!
    await chooseLanguage(desk, ann, 'de')

    const assigned = await desk.escalate('Vera')
    await waiting(desk, assigned)
    await pass()
    assert.is((await api(url, 'POST', `/api/conversations/${assigned}/transfer`, { agentId: ann.id }, desk.owner.token)).status, 200)
    const unassigned = await desk.escalate('Theo')
    await waiting(desk, unassigned)
    await pass()
    const slaMails = () => smtp.received.filter((m) => /SLA/.test(m.subject ?? ''))

    now += 47 * 60_000 // 13 minutes left of the first response: not yet
    await pass()
    // The assignment email is there (it says the clock and the preferences work); no SLA one.
    await waitFor(() => to(smtp, annEmail).find((m) => m.subject?.includes('Ihnen zugewiesen')), 20000, 'the German assignment email')
    assert.is(slaMails().length, 0)

    now += 2 * 60_000 // 11 minutes left
    await pass()
    const warning = await waitFor(() => to(smtp, annEmail).find((m) => m.subject?.includes('SLA')), 20000, 'the SLA warning')
    assert.match(warning.subject ?? '', /^\[My workspace\] SLA läuft bald ab: /)
    assert.match(warning.text ?? '', /braucht bis .* eine erste Antwort \(noch 11 Min\.\)/)
    assert.match(warning.text ?? '', new RegExp(`/inbox/mine/${assigned}`))
    assert.match(String(warning.html), /<html lang="de">/)
    const owner = await waitFor(() => to(smtp, 'owner@example.com').find((m) => m.subject?.includes('SLA')), 20000, 'the owner\'s warning of the unassigned one')
    assert.match(owner.text ?? '', /Nobody has taken it yet\./)
    assert.match(owner.text ?? '', new RegExp(`/inbox/unassigned/${unassigned}`))

    // Passes again, on the same target: nothing more. The resolution target (240 min, lead 15) warns on its own.
    await pass(); await pass()
    await new Promise((r) => setTimeout(r, 300))
    assert.is(slaMails().length, 2)
    assert.equal((await api(url, 'PUT', '/api/me/notifications', { slaWarning: false }, ann.token)).body, { assigned: true, customerReplied: true, slaWarning: false })
    now += 180 * 60_000 // 11 minutes left of the resolution target (the first response breached meanwhile)
    await pass()
    await waitFor(() => slaMails().length === 3, 20000, 'the resolution warning to the owner')
    assert.is(to(smtp, annEmail).filter((m) => m.subject?.includes('SLA')).length, 1, 'Ann turned them off')
    const routing = await desk.servers[0]!.services.db.kysely.selectFrom('conversation_routing').selectAll().where('conversation_id', '=', assigned).executeTakeFirstOrThrow()
    assert.ok(routing.first_response_warned_at && routing.resolution_warned_at, 'both targets claimed')
  } finally {
    await desk.close(); await smtp.close()
  }
})

test('two instances on PostgreSQL + Redis: the warning is claimed once; an agent connected to the other instance is not emailed', async () => {
  let now = Date.now()
  const smtp = await startTestSmtp()
  const desk = await startDesk({
    instances: 2, start: { clock: { now: () => now }, routingIntervalMs: 3_600_000 },
    env: { SMTP_URL: smtp.url, EMAIL_BACKOFF_MS: '100', PARLEY_QUEUE_PREFIX: `parley-sla-test-${process.pid}-${Date.now()}` },
  })
  try {
    const [a, b] = desk.servers as [typeof desk.servers[0], typeof desk.servers[0]]
    const url = desk.urls[0]!
    await api(url, 'POST', '/api/inboxes', { name: 'Support', isDefault: true, firstResponseMinutes: 60, widgetIds: [desk.widgetId] }, desk.owner.token)
    // The test clock jumps 50 minutes: nobody turns Away for idling meanwhile.
    await api(url, 'PUT', '/api/settings/routing', { autoAwayMinutes: 1440 }, desk.owner.token)
    const ann = await desk.addAgent('Ann')
    const bob = await desk.addAgent('Bob')
    const [annEmail, bobEmail] = [(await emailOf(desk, ann))!, (await emailOf(desk, bob))!]
    const ids = [await desk.escalate('Vera'), await desk.escalate('Theo')]
    for (const id of ids) await waiting(desk, id)
    await a.services.routing.pass()
    assert.is((await api(url, 'POST', `/api/conversations/${ids[0]}/transfer`, { agentId: ann.id }, desk.owner.token)).status, 200)
    assert.is((await api(url, 'POST', `/api/conversations/${ids[1]}/transfer`, { agentId: bob.id }, desk.owner.token)).status, 200)
    // Bob is at his desk, on instance B; Ann is away.
    await desk.connect(bob, 1)
    await waitFor(async () => (await a.services.presence.onlineNow(desk.workspaceId)).has(bob.id), 10000, 'instance A seeing Bob online on B')
    assert.not.ok(a.services.presence.isOnline(desk.workspaceId, bob.id), 'A\'s own view (its last pass) had not seen him: the old check would have emailed him')

    now += 50 * 60_000
    await Promise.all([a.services.routing.pass(), b.services.routing.pass(), a.services.routing.pass(), b.services.routing.pass()])
    await waitFor(() => to(smtp, annEmail).some((m) => m.subject?.includes('SLA')), 30000, 'Ann\'s warning')
    const rows = await a.services.db.kysely.selectFrom('email_deliveries').select(['recipient', 'kind']).where('kind', '=', 'sla-warning').execute()
    assert.equal(rows.map((r) => r.recipient), [annEmail], 'one warning, to Ann only (Bob is online on B)')

    // A customer writes through instance A into Bob's conversation: Bob (on B) is not emailed; once he has left, he is.
    const visitor = await api(url, 'POST', '/api/widget/session', { siteKey: desk.siteKey, name: 'Wanda' })
    const created = await api(url, 'POST', '/api/widget/conversations', { siteKey: desk.siteKey, message: { id: 'wanda-message-1', text: 'Hello' } }, visitor.body.token)
    await waiting(desk, created.body.id)
    assert.is((await api(url, 'POST', `/api/conversations/${created.body.id}/transfer`, { agentId: bob.id }, desk.owner.token)).status, 200)
    const say = (id: string, text: string) => api(url, 'POST', `/api/widget/conversations/${created.body.id}/messages`, { id, text }, visitor.body.token)
    assert.is((await say('wanda-message-2', 'Are you there, Bob?')).status, 201)
    await waitFor(async () => (await a.services.db.kysely.selectFrom('messages').select('id').where('id', '=', 'wanda-message-2').executeTakeFirst()), 20000, 'the message projected on A')
    await a.projection.flush()
    for (const peer of desk.peers()) peer.destroy()
    await waitFor(async () => !(await a.services.presence.onlineNow(desk.workspaceId)).has(bob.id), 15000, 'Bob gone')
    assert.is((await say('wanda-message-3', 'Last try')).status, 201)
    await waitFor(() => to(smtp, bobEmail).find((m) => m.text?.includes('Last try')), 30000, 'the control email once Bob left')
    assert.not.ok(to(smtp, bobEmail).some((m) => m.text?.includes('Are you there, Bob?')), 'not emailed while connected to the other instance')
  } finally {
    await desk.close(); await smtp.close()
  }
})

test.run()
