/**
 * `GET /api/reports/<name>` (overview, response-times, csat, agents, heatmap, bot, sla): figures from
 * the event log over local days, JSON or `?format=csv`. Every member of the workspace may read
 * them, viewers included (as in Chatwoot, reports are read-only and carry no customer data
 * beyond CSAT comments, which agents see in the conversations anyway).
 */
import { ParleyError, REPORT_NAMES, ReportQuery, addDays, parseInput, reportTables, todayIn, toCsv, type ReportBodies, type ReportName } from '../../protocol/index.ts'
import { getMember } from '../../db/agent.repository.ts'
import { reportAgents, reportBot, reportCsat, reportHeatmap, reportOverview, reportResponseTimes, reportSla, type ReportFilter } from '../../db/report.repository.ts'
import { getInbox, getTeam } from '../../db/team.repository.ts'
import { startOfLocalDay } from '../../db/time-zone.ts'
import { getWidget } from '../../db/widget.repository.ts'
import type { Db } from '../../db/database.ts'
import { agentOf } from '../http/principal.ts'
import type { Router } from '../http/router.ts'
import { readAiSettings } from '../http/settings.routes.ts'
import type { Services } from '../services.ts'

const COMPUTE: { [N in ReportName]: (db: Db, f: ReportFilter) => Promise<ReportBodies[N]> } = {
  overview: reportOverview,
  'response-times': reportResponseTimes,
  csat: reportCsat,
  agents: async (db, f) => ({ items: await reportAgents(db, f) }),
  heatmap: async (db, f) => ({ cells: await reportHeatmap(db, f) }),
  bot: reportBot,
  sla: reportSla,
}

const isReportName = (name: string): name is ReportName => (REPORT_NAMES as readonly string[]).includes(name)


export function addReportRoutes(router: Router, services: Services): void {
  router.add('GET', '/api/reports/:name', async (ctx) => {
    const me = await agentOf(services, ctx)
    const name = ctx.params.name as string
    if (!isReportName(name)) throw new ParleyError('not-found', `no report "${name}"; there are ${REPORT_NAMES.join(', ')}`, 'name')
    const query = parseInput(ReportQuery, ctx.query)
    if (query.widget && !(await getWidget(services.db, me.workspaceId, query.widget))) throw new ParleyError('bad-request', 'widget: no widget of this workspace has this id', 'widget')
    if (query.agent) {
      if (!(await getMember(services.db, me.workspaceId, query.agent, { includeRemoved: true }))) throw new ParleyError('bad-request', 'agent: no agent of this workspace has this id', 'agent')
    }
    if (query.inbox && !(await getInbox(services.db, me.workspaceId, query.inbox))) throw new ParleyError('bad-request', 'inbox: no inbox of this workspace has this id', 'inbox')
    if (query.team && !(await getTeam(services.db, me.workspaceId, query.team))) throw new ParleyError('bad-request', 'team: no team of this workspace has this id', 'team')
    const { businessHours } = await readAiSettings(services.db, me.workspaceId)
    const timeZone = query.tz ?? businessHours?.timezone ?? 'UTC'
    const to = query.to ?? todayIn(timeZone)
    const from = query.from ?? addDays(to, -6)
    const filter: ReportFilter = {
      workspaceId: me.workspaceId, timeZone, businessHours,
      from: startOfLocalDay(from, timeZone), to: startOfLocalDay(addDays(to, 1), timeZone),
      ...(query.widget ? { widgetId: query.widget } : {}), ...(query.agent ? { agentId: query.agent } : {}),
      ...(query.category ? { category: query.category } : {}), ...(query.priority ? { priority: query.priority } : {}),
      ...(query.inbox ? { inboxId: query.inbox } : {}), ...(query.team ? { teamId: query.team } : {}),
    }
    const body = await COMPUTE[name](services.db, filter)
    if (query.format !== 'csv') return { ...body, range: { from, to, timeZone } }
    const tables = reportTables(name, body)
    const table = query.table ? tables.find((t) => t.name === query.table) : tables[0]
    if (!table) throw new ParleyError('bad-request', `table: the ${name} report has the tables ${tables.map((t) => t.name).join(', ')}`, 'table')
    ctx.res.writeHead(200, {
      'content-type': 'text/csv; charset=utf-8', 'cache-control': 'no-store',
      'content-disposition': `attachment; filename="parley-${name}-${table.name}-${from}-${to}.csv"`,
    })
    ctx.res.end(toCsv(table))
    return undefined
  }, { summary: 'A report (overview, response times, agents, bot, CSAT, heatmap, SLA) as JSON or CSV', tag: 'Reports', auth: 'viewer', query: ReportQuery })
}
