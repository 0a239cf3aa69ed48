/**
 * Reports (`GET /api/reports/<name>`): the query every report takes, the figures each returns,
 * and the tables they are shown and exported as. The server's CSV and the agent app's tables
 * are both made by `reportTables`, so a download holds the numbers on the screen.
 */
import * as v from 'valibot'
import { PRIORITIES } from './conversation.ts'

export const REPORT_NAMES = ['overview', 'response-times', 'csat', 'agents', 'heatmap', 'bot', 'sla'] as const
export type ReportName = (typeof REPORT_NAMES)[number]

const date = v.pipe(v.string(), v.regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date like 2026-06-10'), v.check((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), 'must be a real date'))
const id = v.pipe(v.string(), v.minLength(1), v.maxLength(80))

/**
 * Query parameters; `from` and `to` are local days in `tz` (the workspace's zone by default),
 * both included; without them, the last 7 days, today included.
 */
export const ReportQuery = v.pipe(
  v.strictObject({
    from: v.optional(date),
    to: v.optional(date),
    tz: v.optional(v.pipe(v.string(), v.maxLength(64), v.check((tz) => { try { new Intl.DateTimeFormat('en', { timeZone: tz }); return true } catch { return false } }, 'must be an IANA time zone'))),
    widget: v.optional(id),
    agent: v.optional(id),
    /** The inbox a conversation came in through (its routing row's; before routing saw it, its widget's). */
    inbox: v.optional(id),
    /** The team whose queue a conversation was routed to. */
    team: v.optional(id),
    category: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(100))),
    priority: v.optional(v.picklist(PRIORITIES)),
    format: v.optional(v.picklist(['json', 'csv'])),
    /** Which table a CSV holds (a report's first by default). */
    table: v.optional(v.pipe(v.string(), v.maxLength(40))),
  }),
  v.forward(v.check((q) => (q.from === undefined) === (q.to === undefined), 'from and to come together'), ['to']),
  v.forward(v.check((q) => !q.from || !q.to || q.from <= q.to, 'must not be before from'), ['to']),
  v.forward(v.check((q) => !q.from || !q.to || Date.parse(q.to) - Date.parse(q.from) <= 366 * 86_400_000, 'a report covers at most 366 days'), ['to']),
)
export type ReportQuery = v.InferOutput<typeof ReportQuery>

export interface Durations { count: number; median: number | null; p90: number | null }
export interface Overview {
  new: number; resolved: number; open: number
  replies: number; repliesPerConversation: number | null
  days: { date: string; new: number; resolved: number }[]
}
/** `businessHours`: the times count the workspace's open hours only (it has business hours set). */
export interface ResponseTimes { firstResponse: Durations; resolution: Durations; businessHours: boolean }
export interface CsatReport {
  average: number | null; ratings: number; resolved: number; responseRate: number | null
  distribution: Record<'1' | '2' | '3' | '4' | '5', number>
  comments: { conversationId: string; rating: number; comment: string; at: number }[]
}
export interface BotReport {
  conversations: number; deflected: number; deflectionRate: number | null; botResolved: number
  handedOver: number; handoverRate: number | null; reasons: { reason: string; count: number }[]
}
export interface AgentFigures {
  agentId: string; name: string
  conversations: number; replies: number; resolved: number
  firstResponse: Durations; resolution: Durations; csatAverage: number | null; ratings: number
}
/** New conversations by local weekday (0 = Monday) and hour: cells[weekday][hour]. */
export type Heatmap = number[][]

/**
 * One SLA target over the conversations queued in the range that have it (a due time):
 * met before (or at) the due time, breached (the sweep recorded it, or it was met late), or
 * neither yet (in progress). `metRate` is met of the settled ones (met + breached).
 */
export interface SlaTarget { conversations: number; met: number; breached: number; inProgress: number; metRate: number | null }
export interface SlaReport { firstResponse: SlaTarget; resolution: SlaTarget }

export interface ReportBodies {
  overview: Overview; 'response-times': ResponseTimes; csat: CsatReport; agents: { items: AgentFigures[] }; heatmap: { cells: Heatmap }; bot: BotReport; sla: SlaReport
}
/** What `GET /api/reports/<name>` answers: the figures, and the range and zone they were taken over. */
export type ReportReply<N extends ReportName> = ReportBodies[N] & { range: { from: string; to: string; timeZone: string } }

export interface ReportTable { name: string; title: string; columns: string[]; rows: (string | number | null)[][] }

export const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] as const
/** Minutes to one decimal: what tables and CSV show for a duration. */
export const toMinutes = (ms: number | null): number | null => (ms === null ? null : Math.round(ms / 6_000) / 10)
const pct = (x: number | null) => (x === null ? null : Math.round(x * 1000) / 10)

export function reportTables<N extends ReportName>(name: N, body: ReportBodies[N]): ReportTable[] {
  switch (name) {
    case 'overview': {
      const b = body as Overview
      return [
        { name: 'days', title: 'Conversations per day', columns: ['date', 'new', 'resolved'], rows: b.days.map((d) => [d.date, d.new, d.resolved]) },
        { name: 'totals', title: 'Totals', columns: ['figure', 'value'], rows: [['new', b.new], ['resolved', b.resolved], ['open now', b.open], ['human replies', b.replies], ['replies per conversation', b.repliesPerConversation]] },
      ]
    }
    case 'response-times': {
      const b = body as ResponseTimes
      const row = (label: string, d: Durations) => [label, d.count, toMinutes(d.median), toMinutes(d.p90)]
      return [{ name: 'times', title: 'Response times (minutes)', columns: ['measure', 'count', 'median_min', 'p90_min'], rows: [row('first response', b.firstResponse), row('resolution', b.resolution)] }]
    }
    case 'csat': {
      const b = body as CsatReport
      return [
        { name: 'distribution', title: 'Ratings', columns: ['rating', 'count'], rows: (['1', '2', '3', '4', '5'] as const).map((r) => [Number(r), b.distribution[r]]) },
        { name: 'comments', title: 'Comments', columns: ['conversation', 'rating', 'comment', 'at'], rows: b.comments.map((c) => [c.conversationId, c.rating, c.comment, new Date(c.at).toISOString()]) },
      ]
    }
    case 'agents': {
      const b = body as { items: AgentFigures[] }
      return [{
        name: 'agents', title: 'Agents', columns: ['agent', 'conversations', 'replies', 'resolved', 'first_response_median_min', 'resolution_median_min', 'csat_average', 'ratings'],
        rows: b.items.map((a) => [a.name, a.conversations, a.replies, a.resolved, toMinutes(a.firstResponse.median), toMinutes(a.resolution.median), a.csatAverage, a.ratings]),
      }]
    }
    case 'heatmap': {
      const b = body as { cells: Heatmap }
      return [{ name: 'heatmap', title: 'New conversations by weekday and hour', columns: ['weekday', ...Array.from({ length: 24 }, (_, h) => String(h).padStart(2, '0'))], rows: b.cells.map((row, d) => [WEEKDAYS[d]!, ...row]) }]
    }
    case 'bot': {
      const b = body as BotReport
      return [
        { name: 'bot', title: 'Bot', columns: ['figure', 'value'], rows: [['conversations', b.conversations], ['never needed a human', b.deflected], ['deflection %', pct(b.deflectionRate)], ['closed by the bot', b.botResolved], ['handed over', b.handedOver], ['handover %', pct(b.handoverRate)]] },
        { name: 'reasons', title: 'Handover reasons', columns: ['reason', 'count'], rows: b.reasons.map((r) => [r.reason, r.count]) },
      ]
    }
    case 'sla': {
      const b = body as SlaReport
      const row = (label: string, s: SlaTarget) => [label, s.conversations, s.met, s.breached, s.inProgress, pct(s.metRate)]
      return [{ name: 'sla', title: 'SLA targets', columns: ['target', 'conversations', 'met', 'breached', 'in_progress', 'met_pct'], rows: [row('first response', b.firstResponse), row('resolution', b.resolution)] }]
    }
  }
  return []
}

/** RFC 4180: fields with a comma, quote or line break are quoted; a leading =+-@ is prefixed so spreadsheets do not run it. */
export function toCsv(table: ReportTable): string {
  const field = (value: string | number | null) => {
    if (value === null) return ''
    let s = String(value)
    if (typeof value === 'string' && /^[=+\-@]/.test(s)) s = `'${s}`
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
  }
  return [table.columns, ...table.rows].map((row) => row.map(field).join(',')).join('\r\n') + '\r\n'
}

/** A local date (`YYYY-MM-DD`) `days` after another (negative: before). */
export const addDays = (date: string, days: number): string => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10)
/** Today's date in a zone. */
export const todayIn = (timeZone: string, now = Date.now()): string => new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now)
/** Days from `from` to `to`, both included. */
export const daysBetween = (from: string, to: string): number => Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000) + 1
