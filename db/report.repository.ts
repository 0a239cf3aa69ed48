/**
 * Report figures from the event log (issue 14). Counting and grouping happen in SQL; medians
 * and percentiles are taken here over the fetched durations, because SQLite has no percentile
 * function and PostgreSQL's would round differently: the same figures on both dialects.
 * Filters apply to the conversation an event belongs to (its widget, category, priority and
 * assignee as they are now; its inbox and team as routing has them, `applyFilters`).
 */
import { sql, type ExpressionBuilder, type SelectQueryBuilder } from 'kysely'
import type { Db } from './database.ts'
import type { AgentFigures, BotReport, CsatReport, Durations, Heatmap, Overview, ResponseTimes, SlaReport, SlaTarget } from '../protocol/index.ts'
import type { ConversationEventKind, Database } from './tables.ts'
import { offsetStretches } from './time-zone.ts'
import { businessTimeBetween, type BusinessHours, type OpeningCache } from '../protocol/business-hours.ts'

export interface ReportFilter {
  workspaceId: string
  /** [from, to) in milliseconds. */
  from: number
  to: number
  /** IANA zone for days and hours. */
  timeZone: string
  widgetId?: string
  agentId?: string
  inboxId?: string
  teamId?: string
  category?: string
  priority?: string
  /** The workspace's business hours: when set, first-response and resolution times count open hours only. */
  businessHours?: BusinessHours | null
}

/** Linear interpolation between closest ranks (numpy's default), over sorted values. */
export function quantile(sorted: number[], q: number): number | null {
  if (sorted.length === 0) return null
  const at = (sorted.length - 1) * q
  const lo = Math.floor(at)
  const hi = Math.ceil(at)
  return Math.round(sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (at - lo))
}

export function summarizeDurations(values: number[]): Durations {
  const sorted = [...values].sort((a, b) => a - b)
  return { count: sorted.length, median: quantile(sorted, 0.5), p90: quantile(sorted, 0.9) }
}

type Joined = SelectQueryBuilder<Database & { e: Database['conversation_events']; c: Database['conversations'] }, 'e' | 'c', {}>

const filtered = (f: ReportFilter) => Boolean(f.widgetId || f.agentId || f.category || f.priority || f.inboxId || f.teamId)

/**
 * The filters, on a query over conversations as `c`. A conversation's inbox is its routing
 * row's; one routing never saw (the bot kept it) is in its widget's inbox, else the workspace's
 * default: the inbox it would have been routed through. Its team is the one it was routed to.
 */
function applyFilters<Q extends SelectQueryBuilder<any, any, any>>(query: Q, f: ReportFilter): Q {
  let q = query as unknown as SelectQueryBuilder<Database & { c: Database['conversations'] }, 'c', {}>
  if (f.widgetId) q = q.where('c.widget_id', '=', f.widgetId)
  if (f.agentId) q = q.where('c.assignee_id', '=', f.agentId)
  if (f.category) q = q.where('c.category', '=', f.category)
  if (f.priority) q = q.where('c.priority', '=', f.priority)
  if (f.inboxId) {
    q = q.where((eb) => eb(eb.fn.coalesce(
      eb.selectFrom('conversation_routing as fr').select('fr.inbox_id').whereRef('fr.conversation_id', '=', 'c.id'),
      eb.selectFrom('widgets as fw').innerJoin('inboxes as fi', 'fi.id', 'fw.inbox_id').select('fi.id').whereRef('fw.id', '=', 'c.widget_id'),
      eb.selectFrom('inboxes as fd').select('fd.id').whereRef('fd.workspace_id', '=', 'c.workspace_id').where('fd.is_default', '=', 1).limit(1),
    ), '=', f.inboxId!))
  }
  if (f.teamId) q = q.where((eb) => eb.exists(eb.selectFrom('conversation_routing as ft').select('ft.conversation_id').whereRef('ft.conversation_id', '=', 'c.id').where('ft.team_id', '=', f.teamId!)))
  return q as unknown as Q
}

/**
 * Events of one kind in the range, filters applied. Joined to their conversation only when a
 * filter or the caller (`join`) needs its columns: unjoined, a count reads the index alone.
 */
function events(db: Db, f: ReportFilter, kind: ConversationEventKind, join = false): Joined {
  const q = db.kysely.selectFrom('conversation_events as e')
    .where('e.workspace_id', '=', f.workspaceId).where('e.kind', '=', kind).where('e.at', '>=', f.from).where('e.at', '<', f.to) as unknown as Joined
  if (!join && !filtered(f)) return q
  return applyFilters(q.innerJoin('conversations as c', 'c.id', 'e.conversation_id') as unknown as Joined, f)
}

/** Conversations now, the same filters, whatever their date. */
function conversations(db: Db, f: ReportFilter) {
  return applyFilters(db.kysely.selectFrom('conversations as c').where('c.workspace_id', '=', f.workspaceId), f)
}

const DAY = 86_400_000
const HOUR = 3_600_000

/** Counts of a kind per local day: { 'YYYY-MM-DD': n }. */
async function countPerDay(db: Db, f: ReportFilter, kind: ConversationEventKind): Promise<Map<string, number>> {
  const out = new Map<string, number>()
  for (const s of offsetStretches(f.timeZone, f.from, f.to)) {
    // Literals, not parameters: better-sqlite3 binds numbers as reals, and the division must be an integer one.
    const day = sql<number>`(e.at + ${sql.lit(s.offset)}) / ${sql.lit(DAY)}`
    const rows = await events(db, { ...f, from: s.from, to: s.to }, kind)
      .select([day.as('day'), (eb) => eb.fn.count<number>(sql`distinct e.conversation_id`).as('n')]).groupBy(day).execute()
    for (const r of rows) {
      const key = new Date(Number(r.day) * DAY).toISOString().slice(0, 10)
      out.set(key, (out.get(key) ?? 0) + Number(r.n))
    }
  }
  return out
}

async function countDistinct(db: Db, f: ReportFilter, kind: ConversationEventKind): Promise<number> {
  // One 'created' per conversation: counting rows is the same, and cheaper.
  if (kind === 'created') {
    const row = await events(db, f, kind).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst()
    return Number(row?.n ?? 0)
  }
  const row = await events(db, f, kind).select((eb) => eb.fn.count<number>(sql`distinct e.conversation_id`).as('n')).executeTakeFirst()
  return Number(row?.n ?? 0)
}

export async function reportOverview(db: Db, f: ReportFilter): Promise<Overview> {
  const [created, resolved, open, replies, perDayNew, perDayResolved] = await Promise.all([
    countDistinct(db, f, 'created'),
    countDistinct(db, f, 'resolved'),
    conversations(db, f).where('c.status', '!=', 'resolved').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst(),
    events(db, f, 'human_reply').select([(eb) => eb.fn.countAll<number>().as('n'), (eb) => eb.fn.count<number>(sql`distinct e.conversation_id`).as('conversations')]).executeTakeFirst(),
    countPerDay(db, f, 'created'),
    countPerDay(db, f, 'resolved'),
  ])
  const days: Overview['days'] = []
  for (let at = f.from; at < f.to; at += DAY) {
    const date = new Date(at + (offsetStretches(f.timeZone, at, at + 1)[0]?.offset ?? 0)).toISOString().slice(0, 10)
    if (days.at(-1)?.date === date) continue
    days.push({ date, new: perDayNew.get(date) ?? 0, resolved: perDayResolved.get(date) ?? 0 })
  }
  const replyCount = Number(replies?.n ?? 0)
  const replied = Number(replies?.conversations ?? 0)
  return { new: created, resolved, open: Number(open?.n ?? 0), replies: replyCount, repliesPerConversation: replied ? Math.round((replyCount / replied) * 100) / 100 : null, days }
}

/** First response: from the handover to a human (or the creation, when there was none before it) to the first human reply. */
async function firstResponses(db: Db, f: ReportFilter): Promise<{ agent: string | null; ms: number }[]> {
  const rows = await events(db, f, 'first_human_reply', true)
    .select(['e.at', 'e.actor_id', 'c.created_at'])
    .select((eb) => eb.selectFrom('conversation_events as x').select((x) => x.fn.min('x.at').as('m'))
      .whereRef('x.conversation_id', '=', 'e.conversation_id').where('x.kind', '=', 'escalated').whereRef('x.at', '<=', 'e.at').as('escalated_at'))
    .execute()
  const openings: OpeningCache = new Map()
  return rows.map((r) => ({ agent: r.actor_id, ms: businessTimeBetween(f.businessHours ?? null, Number(r.escalated_at ?? r.created_at), Number(r.at), openings) }))
}

/** Resolution: from the creation to each resolve in the range. */
async function resolutions(db: Db, f: ReportFilter): Promise<{ agent: string | null; ms: number }[]> {
  const rows = await events(db, f, 'resolved', true).select(['e.at', 'e.assignee_id', 'c.created_at']).execute()
  const openings: OpeningCache = new Map()
  return rows.map((r) => ({ agent: r.assignee_id, ms: businessTimeBetween(f.businessHours ?? null, Number(r.created_at), Number(r.at), openings) }))
}

export async function reportResponseTimes(db: Db, f: ReportFilter): Promise<ResponseTimes> {
  const [first, resolved] = await Promise.all([firstResponses(db, f), resolutions(db, f)])
  return { firstResponse: summarizeDurations(first.map((r) => r.ms)), resolution: summarizeDurations(resolved.map((r) => r.ms)), businessHours: Boolean(f.businessHours) }
}

/** The last rating of each conversation rated in the range (a visitor may rate again to add a comment). */
async function lastRatings(db: Db, f: ReportFilter) {
  const rows = await events(db, f, 'csat').select(['e.conversation_id', 'e.at', 'e.id', 'e.rating', 'e.comment', 'e.assignee_id']).orderBy('e.at').orderBy('e.id').execute()
  const last = new Map<string, (typeof rows)[number]>()
  for (const r of rows) last.set(r.conversation_id, r)
  return [...last.values()]
}

export async function reportCsat(db: Db, f: ReportFilter): Promise<CsatReport> {
  const [ratings, resolved] = await Promise.all([lastRatings(db, f), countDistinct(db, f, 'resolved')])
  const distribution = { '1': 0, '2': 0, '3': 0, '4': 0, '5': 0 }
  let sum = 0
  for (const r of ratings) { distribution[String(r.rating) as keyof typeof distribution] += 1; sum += Number(r.rating) }
  return {
    average: ratings.length ? Math.round((sum / ratings.length) * 100) / 100 : null,
    ratings: ratings.length, resolved,
    responseRate: resolved ? Math.round((ratings.length / resolved) * 1000) / 1000 : null,
    distribution,
    comments: ratings.filter((r) => r.comment).map((r) => ({ conversationId: r.conversation_id, rating: Number(r.rating), comment: r.comment as string, at: Number(r.at) })).sort((a, b) => b.at - a.at).slice(0, 200),
  }
}

/**
 * Of the conversations created in the range: deflected ones never needed a human (no escalation,
 * no assignment, no human reply, ever); the bot closed those of them that are resolved.
 */
export async function reportBot(db: Db, f: ReportFilter): Promise<BotReport> {
  const [total, deflected, reasons] = await Promise.all([
    countDistinct(db, f, 'created'),
    events(db, f, 'created', true).where((eb) => eb.not(eb.exists(eb.selectFrom('conversation_events as h').select('h.conversation_id')
      .whereRef('h.conversation_id', '=', 'e.conversation_id').where('h.kind', 'in', ['escalated', 'assigned', 'human_reply']))))
      .select([(eb) => eb.fn.countAll<number>().as('n'), (eb) => eb.fn.sum<number>(eb.case().when('c.status', '=', 'resolved').then(1).else(0).end()).as('resolved')]).executeTakeFirst(),
    events(db, f, 'escalated').select(['e.reason', (eb) => eb.fn.count<number>(sql`distinct e.conversation_id`).as('n')]).groupBy('e.reason').execute(),
  ])
  const handedOver = reasons.reduce((n, r) => n + Number(r.n), 0)
  const d = Number(deflected?.n ?? 0)
  return {
    conversations: total, deflected: d, deflectionRate: total ? Math.round((d / total) * 1000) / 1000 : null, botResolved: Number(deflected?.resolved ?? 0),
    handedOver, handoverRate: total ? Math.round((handedOver / total) * 1000) / 1000 : null,
    reasons: reasons.map((r) => ({ reason: r.reason ?? '(none given)', count: Number(r.n) })).sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason)),
  }
}

/** Per agent: conversations they replied in, their replies, first responses, resolves of theirs, ratings of their conversations. */
export async function reportAgents(db: Db, f: ReportFilter): Promise<AgentFigures[]> {
  const [replies, first, resolved, ratings, agents] = await Promise.all([
    events(db, f, 'human_reply').select(['e.actor_id', (eb) => eb.fn.countAll<number>().as('n'), (eb) => eb.fn.count<number>(sql`distinct e.conversation_id`).as('conversations')]).groupBy('e.actor_id').execute(),
    firstResponses(db, f), resolutions(db, f), lastRatings(db, f),
    // Removed members too: their replies stay attributed to them by name.
    db.kysely.selectFrom('agents').innerJoin('workspace_members as m', 'm.agent_id', 'agents.id').select(['agents.id as id', 'agents.name as name']).where('m.workspace_id', '=', f.workspaceId).execute(),
  ])
  const ids = new Set<string>()
  for (const r of replies) if (r.actor_id) ids.add(r.actor_id)
  for (const r of [...first, ...resolved]) if (r.agent) ids.add(r.agent)
  const names = new Map(agents.map((a) => [a.id, a.name]))
  return [...ids].map((id) => {
    const mine = ratings.filter((r) => r.assignee_id === id)
    const reply = replies.find((r) => r.actor_id === id)
    return {
      agentId: id, name: names.get(id) ?? id,
      conversations: Number(reply?.conversations ?? 0), replies: Number(reply?.n ?? 0),
      resolved: resolved.filter((r) => r.agent === id).length,
      firstResponse: summarizeDurations(first.filter((r) => r.agent === id).map((r) => r.ms)),
      resolution: summarizeDurations(resolved.filter((r) => r.agent === id).map((r) => r.ms)),
      csatAverage: mine.length ? Math.round((mine.reduce((n, r) => n + Number(r.rating), 0) / mine.length) * 100) / 100 : null,
      ratings: mine.length,
    }
  }).sort((a, b) => b.conversations - a.conversations || a.name.localeCompare(b.name))
}

/** New conversations by local weekday (0 = Monday) and hour: cells[weekday][hour]. */
export async function reportHeatmap(db: Db, f: ReportFilter): Promise<Heatmap> {
  const cells = Array.from({ length: 7 }, () => Array.from({ length: 24 }, () => 0))
  for (const s of offsetStretches(f.timeZone, f.from, f.to)) {
    // Hours since the epoch, local; the epoch's day was a Thursday (weekday 3 counting from Monday).
    const hour = sql<number>`(e.at + ${sql.lit(s.offset)}) / ${sql.lit(HOUR)}`
    const rows = await events(db, { ...f, from: s.from, to: s.to }, 'created').select([hour.as('hour'), (eb) => eb.fn.countAll<number>().as('n')]).groupBy(hour).execute()
    for (const r of rows) {
      const h = Number(r.hour)
      cells[(Math.floor(h / 24) + 3) % 7]![h % 24]! += Number(r.n)
    }
  }
  return cells
}

/**
 * SLA met/breached (issue 14, on routing's due times, issue 12). The conversations queued in
 * the range that have a due time, per target: first response (the first human reply since it
 * was queued) and resolution (its last resolve since then, if it is resolved now). A target is
 * breached when the sweep recorded an `sla_breached` event for it in this queueing (dated by its
 * due time) or it was met after the due time; met when met at or before it; otherwise in
 * progress. Counted in SQL, one row, the same on both dialects: each look-up is one seek on
 * (conversation, kind, at), once per conversation.
 */
export async function reportSla(db: Db, f: ReportFilter): Promise<SlaReport> {
  const firstReplyAt = (eb: ExpressionBuilder<Database & { r: Database['conversation_routing'] }, 'r'>) => eb.selectFrom('conversation_events as x').select((x) => x.fn.min('x.at').as('m'))
    .whereRef('x.conversation_id', '=', 'r.conversation_id').where('x.kind', '=', 'human_reply').whereRef('x.at', '>=', 'r.sla_started_at')
  const resolvedAt = (eb: ExpressionBuilder<Database & { r: Database['conversation_routing'] }, 'r'>) => eb.selectFrom('conversation_events as x').select((x) => x.fn.max('x.at').as('m'))
    .whereRef('x.conversation_id', '=', 'r.conversation_id').where('x.kind', '=', 'resolved').whereRef('x.at', '>=', 'r.sla_started_at')
  const breach = (which: 'first_response' | 'resolution') =>
    // Any cycle's breach of this target counts (a reopen starts a new cycle, and must not wash out the breach before it), as Chatwoot counts a conversation that missed its SLA.
    sql<number>`case when exists (select 1 from conversation_events b where b.conversation_id = r.conversation_id and b.kind = 'sla_breached' and b.reason = ${which}) then 1 else 0 end`
  const base = applyFilters(db.kysely.selectFrom('conversation_routing as r').innerJoin('conversations as c', 'c.id', 'r.conversation_id')
    .where('r.workspace_id', '=', f.workspaceId).where('r.sla_started_at', '>=', f.from).where('r.sla_started_at', '<', f.to)
    .where((eb) => eb.or([eb('r.first_response_due_at', 'is not', null), eb('r.resolution_due_at', 'is not', null)])), f)
    .select((eb) => [
      'r.first_response_due_at as fr_due', 'r.resolution_due_at as res_due',
      firstReplyAt(eb).as('fr_at'),
      eb.case().when('c.status', '=', 'resolved').then(resolvedAt(eb)).else(null).end().as('res_at'),
      breach('first_response').as('fr_breach'),
      breach('resolution').as('res_breach'),
    ])
  const count = (condition: ReturnType<typeof sql>) => sql<number>`sum(case when ${condition} then 1 else 0 end)`
  const target = (due: string, at: string, flag: string) => {
    const [d, a, b] = [sql.ref(`t.${due}`), sql.ref(`t.${at}`), sql.ref(`t.${flag}`)]
    return {
      n: count(sql`${d} is not null`),
      breached: count(sql`${d} is not null and (${b} = 1 or ${a} > ${d})`),
      met: count(sql`${d} is not null and ${b} = 0 and ${a} <= ${d}`),
    }
  }
  const fr = target('fr_due', 'fr_at', 'fr_breach')
  const res = target('res_due', 'res_at', 'res_breach')
  // Materialized: each row's look-ups run once, not once per use in the sums (both dialects would inline a subquery in FROM).
  const row = await db.kysely.with((w) => w('t').materialized(), () => base).selectFrom('t').select([
    fr.n.as('fr_n'), fr.met.as('fr_met'), fr.breached.as('fr_breached'),
    res.n.as('res_n'), res.met.as('res_met'), res.breached.as('res_breached'),
  ]).executeTakeFirst()
  const figures = (n: unknown, met: unknown, breached: unknown): SlaTarget => {
    const [conversations, m, b] = [Number(n ?? 0), Number(met ?? 0), Number(breached ?? 0)]
    return { conversations, met: m, breached: b, inProgress: conversations - m - b, metRate: m + b ? Math.round((m / (m + b)) * 1000) / 1000 : null }
  }
  return { firstResponse: figures(row?.fr_n, row?.fr_met, row?.fr_breached), resolution: figures(row?.res_n, row?.res_met, row?.res_breached) }
}
