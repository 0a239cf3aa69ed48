import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { reportAgents, reportBot, reportCsat, reportHeatmap, reportOverview, reportResponseTimes, reportSla, type ReportFilter } from '../../db/report.repository.ts'
import { createTestDatabase, testDialects } from '../../db/test-databases.ts'
import { startOfLocalDay } from '../../db/time-zone.ts'
import { DAY_ZONE, MINUTE, at, scriptDay } from './scripted-day.ts'

for (const dialect of testDialects()) {
  test(`${dialect}: a scripted day gives exactly the expected figures`, async () => {
    const t = await createTestDatabase(dialect)
    try {
      const day = await scriptDay(t.db)
      const f: ReportFilter = { workspaceId: day.workspaceId, from: startOfLocalDay('2026-06-10', DAY_ZONE), to: startOfLocalDay('2026-06-11', DAY_ZONE), timeZone: DAY_ZONE }

      const overview = await reportOverview(t.db, f)
      // Open counts conversations not resolved now, whatever their date: D, E and F.
      assert.equal({ ...overview, days: undefined }, { new: 5, resolved: 3, open: 3, replies: 4, repliesPerConversation: 2, days: undefined })
      assert.equal(overview.days, [{ date: '2026-06-10', new: 5, resolved: 3 }])

      const times = await reportResponseTimes(t.db, f)
      // B: handed over 10:02, answered 10:12; C: 10:31 → 11:01.
      assert.equal(times.firstResponse, { count: 2, median: 20 * MINUTE, p90: 28 * MINUTE })
      // A 5 min, B 30, C 121 and (reopened) 240.
      assert.equal(times.resolution, { count: 4, median: 75.5 * MINUTE, p90: Math.round(204.3 * MINUTE) })
      assert.is(times.businessHours, false)

      // Business-hours aware: the desk opens at 10:05 that Wednesday, so B's wait from 10:02 to
      // 10:12 counts 7 minutes; C's 10:31 → 11:01 all 30.
      const hours = { timezone: DAY_ZONE, days: { wed: { open: '10:05', close: '17:00' } } }
      const open = await reportResponseTimes(t.db, { ...f, businessHours: hours })
      assert.equal(open.firstResponse, { count: 2, median: 18.5 * MINUTE, p90: Math.round(27.7 * MINUTE) })
      assert.is(open.businessHours, true)
      // Closed that day (a holiday): no business time passed at all.
      const closed = await reportResponseTimes(t.db, { ...f, businessHours: { ...hours, holidays: [{ date: '2026-06-10' }] } })
      assert.equal(closed.firstResponse, { count: 2, median: 0, p90: 0 })

      const csat = await reportCsat(t.db, f)
      assert.equal({ ...csat, comments: undefined }, { average: 3.5, ratings: 2, resolved: 3, responseRate: 0.667, distribution: { '1': 0, '2': 1, '3': 0, '4': 0, '5': 1 }, comments: undefined })
      assert.equal(csat.comments.map((c) => [c.conversationId, c.rating, c.comment]), [[day.ids.C, 2, 'slow'], [day.ids.B, 5, 'great']])

      assert.equal(await reportBot(t.db, f), {
        conversations: 5, deflected: 2, deflectionRate: 0.4, botResolved: 1, handedOver: 3, handoverRate: 0.6,
        reasons: [{ reason: 'refund', count: 2 }, { reason: 'asks for a person', count: 1 }],
      })

      const agents = await reportAgents(t.db, f)
      assert.equal(agents.map((a) => [a.name, a.conversations, a.replies, a.resolved, a.firstResponse.median, a.resolution.median, a.resolution.p90, a.csatAverage]), [
        ['Ann', 1, 2, 1, 10 * MINUTE, 30 * MINUTE, 30 * MINUTE, 5],
        ['Bob', 1, 2, 2, 30 * MINUTE, 180.5 * MINUTE, Math.round(228.1 * MINUTE), 2],
      ])

      // Wednesday is row 2 (Monday 0); local hours 9, 10 (two), 13 and 15. F (Tuesday 23:30) is outside.
      const heat = await reportHeatmap(t.db, f)
      const cells = heat.flatMap((row, d) => row.map((n, h) => [d, h, n])).filter(([, , n]) => n! > 0)
      assert.equal(cells, [[2, 9, 1], [2, 10, 2], [2, 13, 1], [2, 15, 1]])
      const week = await reportHeatmap(t.db, { ...f, from: startOfLocalDay('2026-06-08', DAY_ZONE) })
      assert.is(week[1]![23], 1)

      // Filters: a widget, the assignee now, a priority, a category.
      const w1 = await reportOverview(t.db, { ...f, widgetId: day.w1 })
      assert.equal([w1.new, w1.resolved, w1.open], [3, 2, 2])
      const bob = await reportOverview(t.db, { ...f, agentId: day.bob })
      assert.equal([bob.new, bob.resolved, bob.replies], [1, 1, 2])
      assert.equal((await reportBot(t.db, { ...f, priority: 'high' })).conversations, 1)
      assert.equal((await reportCsat(t.db, { ...f, category: 'shipping' })).average, 2)
      // The day before holds only F.
      const before = await reportOverview(t.db, { ...f, from: startOfLocalDay('2026-06-09', DAY_ZONE), to: f.from })
      assert.equal([before.new, before.resolved], [1, 0])
      assert.equal(await reportSla(t.db, { ...f, from: startOfLocalDay('2026-06-09', DAY_ZONE), to: f.from }), {
        firstResponse: { conversations: 0, met: 0, breached: 0, inProgress: 0, metRate: null }, resolution: { conversations: 0, met: 0, breached: 0, inProgress: 0, metRate: null },
      })

      // SLA, of the three handed over (B, E in Front: 10 and 60 min; C in Back: 20 and 90 min),
      // swept last at 15:30. First response: B answered 10:12, due 10:12 (met, at the due time);
      // C answered 11:01, due 10:51 (breached); E unanswered, due 15:12 (breached). Resolution:
      // B resolved 10:30, due 11:02 (met); C resolved 12:31, due 12:01 (breached); E due 16:02,
      // still waiting (in progress). C's reopen at 14:00 started a new cycle (answered 14:10 and
      // resolved 14:30, both within it), and its first cycle's breaches still count.
      assert.equal(await reportSla(t.db, f), {
        firstResponse: { conversations: 3, met: 1, breached: 2, inProgress: 0, metRate: 0.333 },
        resolution: { conversations: 3, met: 1, breached: 1, inProgress: 1, metRate: 0.5 },
      })
      // The breaches the sweep recorded, dated by their due times.
      const breaches = await t.db.kysely.selectFrom('conversation_events').select(['conversation_id', 'reason', 'at']).where('kind', '=', 'sla_breached').orderBy('at').execute()
      assert.equal(breaches.map((b) => [b.conversation_id, b.reason, Number(b.at)]), [
        [day.ids.C, 'first_response', at('10:51')], [day.ids.C, 'resolution', at('12:01')], [day.ids.E, 'first_response', at('15:12')],
      ])

      // Inbox and team filters, on every report: Front holds A (never routed: its widget's inbox),
      // B, E and F; the team Billing got B and E, Shipping got C.
      const front = { ...f, inboxId: day.inboxes.front }
      const frontOverview = await reportOverview(t.db, front)
      assert.equal([frontOverview.new, frontOverview.resolved, frontOverview.open], [3, 2, 2])
      assert.equal(await reportSla(t.db, front), {
        firstResponse: { conversations: 2, met: 1, breached: 1, inProgress: 0, metRate: 0.5 },
        resolution: { conversations: 2, met: 1, breached: 0, inProgress: 1, metRate: 1 },
      })
      assert.equal((await reportBot(t.db, front)).deflected, 1)
      assert.equal((await reportCsat(t.db, front)).average, 5)
      assert.equal((await reportResponseTimes(t.db, front)).firstResponse, { count: 1, median: 10 * MINUTE, p90: 10 * MINUTE })
      assert.equal((await reportAgents(t.db, front)).map((a) => [a.name, a.replies]), [['Ann', 2]])
      assert.equal((await reportHeatmap(t.db, front)).flat().reduce((n, x) => n + x, 0), 3)
      const back = await reportOverview(t.db, { ...f, inboxId: day.inboxes.back })
      assert.equal([back.new, back.resolved, back.open], [2, 1, 1])
      const billing = { ...f, teamId: day.teams.billing }
      const billingOverview = await reportOverview(t.db, billing)
      assert.equal([billingOverview.new, billingOverview.resolved, billingOverview.open], [2, 1, 1])
      assert.equal((await reportBot(t.db, billing)).deflected, 0)
      const shipping = { ...f, teamId: day.teams.shipping }
      assert.equal((await reportSla(t.db, shipping)).resolution, { conversations: 1, met: 0, breached: 1, inProgress: 0, metRate: 0 })
      assert.equal((await reportCsat(t.db, shipping)).average, 2)
      // Filters combine: Front and Shipping share no conversation.
      assert.equal((await reportOverview(t.db, { ...front, teamId: day.teams.shipping })).new, 0)
      assert.equal((await reportSla(t.db, { ...f, agentId: day.bob })).firstResponse, { conversations: 1, met: 0, breached: 1, inProgress: 0, metRate: 0 })

      // Without the sweep's events only the current cycles can be judged: a target met late is
      // still breached, one overdue but unmet (E's first response) is in progress until the sweep
      // records it, and C's reopened cycle met both.
      await t.db.kysely.updateTable('conversation_routing').set({ first_response_due_at: at('14:05') }).where('conversation_id', '=', day.ids.C).execute()
      await t.db.kysely.deleteFrom('conversation_events').where('kind', '=', 'sla_breached').execute()
      assert.equal(await reportSla(t.db, f), {
        firstResponse: { conversations: 3, met: 1, breached: 1, inProgress: 1, metRate: 0.5 },
        resolution: { conversations: 3, met: 2, breached: 0, inProgress: 1, metRate: 1 },
      })
    } finally { await t.dispose() }
  })
}

test.run()
