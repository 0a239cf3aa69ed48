import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { testDialects } from '../../db/test-databases.ts'
import { api, startTestServer, startVisitorConversation } from '../test-kit.ts'
import { saveInbox, saveTeam } from '../../db/team.repository.ts'
import { createWorkspace } from '../../db/workspace.repository.ts'
import { MINUTE, SWEPT_AT, scriptDay } from './scripted-day.ts'

const DAY = 'from=2026-06-10&to=2026-06-10&tz=Europe/Berlin'

for (const dialect of testDialects()) {
  test(`${dialect}: reports answer in JSON and CSV, for every member, with the filters`, async () => {
    // Routing's clock reads the scripted day's last sweep: the server's own sweeps find nothing new.
    const t = await startTestServer({ dialect, start: { clock: { now: () => SWEPT_AT } } })
    try {
      const day = await scriptDay(t.server.services.db, t.workspaceId, true)
      const get = (path: string, token = t.ownerToken) => api(t.url, 'GET', path, undefined, token)

      const overview = await get(`/api/reports/overview?${DAY}`)
      assert.is(overview.status, 200)
      assert.equal([overview.body.new, overview.body.resolved, overview.body.open, overview.body.repliesPerConversation], [5, 3, 3, 2])
      assert.equal(overview.body.range, { from: '2026-06-10', to: '2026-06-10', timeZone: 'Europe/Berlin' })
      assert.is((await get(`/api/reports/response-times?${DAY}`)).body.firstResponse.median, 20 * MINUTE)
      assert.is((await get(`/api/reports/csat?${DAY}`)).body.average, 3.5)
      assert.equal((await get(`/api/reports/agents?${DAY}`)).body.items.map((a: { name: string }) => a.name), ['Ann', 'Bob'])
      assert.is((await get(`/api/reports/heatmap?${DAY}`)).body.cells[2][10], 2)
      assert.is((await get(`/api/reports/bot?${DAY}`)).body.deflected, 2)
      assert.is((await get(`/api/reports/overview?${DAY}&widget=${day.w1}`)).body.new, 3)
      assert.is((await get(`/api/reports/overview?${DAY}&agent=${day.bob}`)).body.new, 1)
      assert.is((await get(`/api/reports/bot?${DAY}&priority=high`)).body.conversations, 1)
      // Inbox and team: on every report.
      assert.equal([(await get(`/api/reports/overview?${DAY}&inbox=${day.inboxes.front}`)).body.new, (await get(`/api/reports/overview?${DAY}&team=${day.teams.billing}`)).body.new], [3, 2])
      assert.is((await get(`/api/reports/csat?${DAY}&team=${day.teams.shipping}`)).body.average, 2)

      // SLA: JSON, filtered, and its table as CSV.
      const sla = await get(`/api/reports/sla?${DAY}`)
      assert.is(sla.status, 200)
      assert.equal({ ...sla.body, range: undefined }, {
        firstResponse: { conversations: 3, met: 1, breached: 2, inProgress: 0, metRate: 0.333 },
        resolution: { conversations: 3, met: 1, breached: 1, inProgress: 1, metRate: 0.5 }, range: undefined,
      })
      assert.equal((await get(`/api/reports/sla?${DAY}&inbox=${day.inboxes.front}`)).body.firstResponse, { conversations: 2, met: 1, breached: 1, inProgress: 0, metRate: 0.5 })
      assert.equal((await get(`/api/reports/sla?${DAY}&team=${day.teams.shipping}`)).body.resolution, { conversations: 1, met: 0, breached: 1, inProgress: 0, metRate: 0 })
      const slaCsv = await fetch(`${t.url}/api/reports/sla?${DAY}&format=csv`, { headers: { authorization: `Bearer ${t.ownerToken}` } })
      assert.match(slaCsv.headers.get('content-disposition') ?? '', /filename="parley-sla-sla-2026-06-10-2026-06-10.csv"/)
      assert.is(await slaCsv.text(), 'target,conversations,met,breached,in_progress,met_pct\r\nfirst response,3,1,2,0,33.3\r\nresolution,3,1,1,1,50\r\n')
      const frontCsv = await fetch(`${t.url}/api/reports/sla?${DAY}&inbox=${day.inboxes.front}&format=csv`, { headers: { authorization: `Bearer ${t.ownerToken}` } })
      assert.is(await frontCsv.text(), 'target,conversations,met,breached,in_progress,met_pct\r\nfirst response,2,1,1,0,50\r\nresolution,2,1,0,1,100\r\n')

      // CSV: the same numbers, one table at a time.
      const csv = await fetch(`${t.url}/api/reports/response-times?${DAY}&format=csv`, { headers: { authorization: `Bearer ${t.ownerToken}` } })
      assert.is(csv.headers.get('content-type'), 'text/csv; charset=utf-8')
      assert.match(csv.headers.get('content-disposition') ?? '', /attachment; filename="parley-response-times-times-2026-06-10-2026-06-10.csv"/)
      assert.is(await csv.text(), 'measure,count,median_min,p90_min\r\nfirst response,2,20,28\r\nresolution,4,75.5,204.3\r\n')
      const comments = await fetch(`${t.url}/api/reports/csat?${DAY}&format=csv&table=comments`, { headers: { authorization: `Bearer ${t.ownerToken}` } })
      assert.match(await comments.text(), new RegExp(`^conversation,rating,comment,at\\r\\n${day.ids.C},2,slow,`))

      // A viewer reads them too; a visitor and a stranger do not.
      assert.is((await api(t.url, 'POST', '/api/agents', { email: 'vic@example.com', name: 'Vic', role: 'viewer', password: 'correct horse battery' }, t.ownerToken)).status, 201)
      const viewer = (await api(t.url, 'POST', '/api/auth/sign-in', { email: 'vic@example.com', password: 'correct horse battery' })).body.token
      assert.is((await get(`/api/reports/overview?${DAY}`, viewer)).body.new, 5)
      const { visitorToken } = await startVisitorConversation(t)
      assert.is((await get(`/api/reports/overview?${DAY}`, visitorToken)).status, 403)
      assert.is((await api(t.url, 'GET', `/api/reports/overview?${DAY}`)).status, 401)
    } finally { await t.close() }
  })
}

test('bad report queries are refused with the field named', async () => {
  const t = await startTestServer()
  try {
    const refuse = async (path: string, status: number, field: string) => {
      const reply = await api(t.url, 'GET', path, undefined, t.ownerToken)
      assert.is(reply.status, status, path)
      assert.is(reply.body.error.field, field, path)
    }
    await refuse('/api/reports/overview?to=2026-06-10', 400, 'to')
    assert.is((await api(t.url, 'GET', '/api/reports/overview', undefined, t.ownerToken)).body.range.timeZone, 'UTC')
    await refuse('/api/reports/overview?from=2026-02-30&to=2026-03-01', 400, 'from')
    await refuse('/api/reports/overview?from=2026-06-10&to=2026-06-01', 400, 'to')
    await refuse('/api/reports/overview?from=2024-01-01&to=2026-06-01', 400, 'to')
    await refuse(`/api/reports/overview?${DAY}&tz=Mars/Olympus`, 400, 'tz')
    await refuse(`/api/reports/overview?${DAY}&priority=urgent`, 400, 'priority')
    await refuse(`/api/reports/overview?${DAY}&format=xml`, 400, 'format')
    await refuse(`/api/reports/overview?${DAY}&colour=red`, 400, 'colour')
    await refuse(`/api/reports/overview?${DAY}&widget=nope`, 400, 'widget')
    await refuse(`/api/reports/overview?${DAY}&agent=nope`, 400, 'agent')
    await refuse(`/api/reports/sla?${DAY}&inbox=nope`, 400, 'inbox')
    await refuse(`/api/reports/overview?${DAY}&team=nope`, 400, 'team')
    await refuse(`/api/reports/sla?${DAY}&inbox=`, 400, 'inbox')
    await refuse(`/api/reports/sla?${DAY}&team=${'x'.repeat(81)}`, 400, 'team')
    // Another workspace's inbox and team are not this one's to filter by.
    const db = t.server.services.db
    await createWorkspace(db, { id: 'w-other', name: 'Other desk' })
    await saveTeam(db, { id: 'other-team', workspace_id: 'w-other', name: 'Theirs', categories: '[]', capacity: null, created_at: 0 }, [])
    await saveInbox(db, { id: 'other-inbox', workspace_id: 'w-other', name: 'Theirs', team_id: null, policy: 'manual', first_response_minutes: 5, resolution_minutes: null, is_default: 0, created_at: 0 }, [])
    await refuse(`/api/reports/sla?${DAY}&inbox=other-inbox`, 400, 'inbox')
    await refuse(`/api/reports/agents?${DAY}&team=other-team`, 400, 'team')
    await refuse(`/api/reports/overview?${DAY}&format=csv&table=nope`, 400, 'table')
    await refuse(`/api/reports/sales?${DAY}`, 404, 'name')
  } finally { await t.close() }
})

test.run()
