import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { testDialects } from '../../db/test-databases.ts'
import { api, startTestServer, startVisitorConversation } from '../test-kit.ts'
import { MINUTE, scriptDay } from './scripted-day.ts'

const DAY = 'from=2026-06-10&to=2026-06-10&tz=Europe/Berlin'

for (const dialect of testDialects()) {
  test(`${dialect}: reports answer in JSON and CSV, for every member, with the filters`, async () => {
    const t = await startTestServer({ dialect })
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
    await refuse(`/api/reports/overview?${DAY}&format=csv&table=nope`, 400, 'table')
    await refuse(`/api/reports/sales?${DAY}`, 404, 'name')
  } finally { await t.close() }
})

test.run()
