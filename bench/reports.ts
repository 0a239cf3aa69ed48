/**
 * reports: the Reports page's queries over a large history. Seeds `--size` conversations
 * (100,000 by default) with 20 events each on average (2,000,000), by bench/tools/seed-report-events.ts,
 * then times every report the page asks for, SLA included (last 30 days, and the same with a
 * widget filter and with an inbox filter, and the whole year) on SQLite and, when TEST_DATABASE_URL is set, PostgreSQL: p50 and p90 of
 * `--reps` runs (7), and the whole page (its seven reports at once, as the page loads them).
 * Target: under 300 ms p50 each.
 *
 *   npm run bench -- reports                 100,000 conversations, 2,000,000 events
 *   npm run bench -- reports --size 10000    a smaller history (a busy machine)
 */
import { REPORT_NAMES, addDays, todayIn, type ReportName } from '../protocol/index.ts'
import { reportAgents, reportBot, reportCsat, reportHeatmap, reportOverview, reportResponseTimes, reportSla, type ReportFilter } from '../db/report.repository.ts'
import { createTestDatabase } from '../db/test-databases.ts'
import { startOfLocalDay } from '../db/time-zone.ts'
import { sql } from 'kysely'
import type { Db } from '../db/database.ts'
import { fmtMs, percentile, printTable, readOptions, writeResults } from './lib/report.ts'
import { seedReportEvents } from './tools/seed-report-events.ts'

const options = readOptions()
const argv = process.argv.slice(2)
const sizeArg = argv.indexOf('--size')
const SIZE = sizeArg >= 0 ? Number(argv[sizeArg + 1]) : 100_000
const EVENTS_PER = 20
const REPS = options.reps ?? 7
if (!Number.isInteger(SIZE) || SIZE < 100) throw new Error('--size must be a whole number of conversations, at least 100')

const RUN: Record<ReportName, (db: Db, f: ReportFilter) => Promise<unknown>> = {
  overview: reportOverview, 'response-times': reportResponseTimes, csat: reportCsat, agents: reportAgents, heatmap: reportHeatmap, bot: reportBot, sla: reportSla,
}

async function time(fn: () => Promise<unknown>): Promise<number[]> {
  await fn() // warm: the first run reads the pages from disk
  const out: number[] = []
  for (let i = 0; i < REPS; i++) { const t = performance.now(); await fn(); out.push(performance.now() - t) }
  return out
}

const dialects = (['sqlite', 'postgres'] as const).filter((d) => d === 'sqlite' || process.env.TEST_DATABASE_URL)
const rows: Record<string, string | number>[] = []
const results: Record<string, unknown>[] = []
const zone = 'Europe/Berlin'
const end = startOfLocalDay(addDays(todayIn(zone), 1), zone)
for (const dialect of dialects) {
  const t = await createTestDatabase(dialect)
  try {
    const started = performance.now()
    const seeded = await seedReportEvents(t.db, { conversations: SIZE, eventsPer: EVENTS_PER, end })
    // Statistics for the planner, as a live database gathers them over time.
    await sql`analyze`.execute(t.db.kysely)
    console.log(`${dialect}: seeded ${seeded.conversations.toLocaleString('en')} conversations, ${seeded.events.toLocaleString('en')} events in ${((performance.now() - started) / 1000).toFixed(1)} s`)
    const ranges = {
      'last 30 days': { from: startOfLocalDay(addDays(todayIn(zone), -29), zone), to: end },
      'last 30 days, one widget': { from: startOfLocalDay(addDays(todayIn(zone), -29), zone), to: end, widgetId: seeded.widgets[0] },
      'last 30 days, one inbox': { from: startOfLocalDay(addDays(todayIn(zone), -29), zone), to: end, inboxId: seeded.inboxes[1] },
      'last 365 days': { from: startOfLocalDay(addDays(todayIn(zone), -364), zone), to: end },
    }
    for (const [label, range] of Object.entries(ranges)) {
      const f: ReportFilter = { workspaceId: seeded.workspaceId, timeZone: zone, ...range }
      for (const name of REPORT_NAMES) {
        const ms = await time(() => RUN[name](t.db, f))
        rows.push({ dialect, range: label, report: name, 'p50 ms': fmtMs(percentile(ms, 50)), 'p90 ms': fmtMs(percentile(ms, 90)) })
        results.push({ dialect, range: label, report: name, p50: percentile(ms, 50), p90: percentile(ms, 90) })
      }
      const page = await time(() => Promise.all(REPORT_NAMES.map((name) => RUN[name](t.db, f))))
      rows.push({ dialect, range: label, report: `whole page (${REPORT_NAMES.length} at once)`, 'p50 ms': fmtMs(percentile(page, 50)), 'p90 ms': fmtMs(percentile(page, 90)) })
      results.push({ dialect, range: label, report: 'page', p50: percentile(page, 50), p90: percentile(page, 90) })
    }
  } finally { await t.dispose() }
}
printTable(`Reports queries: ${SIZE.toLocaleString('en')} conversations, ~${(SIZE * EVENTS_PER).toLocaleString('en')} events, p50/p90 of ${REPS} runs`, rows)
console.log('written to', writeResults('reports', { size: SIZE, eventsPer: EVENTS_PER, reps: REPS, results }))
