/**
 * Seeds a workspace for the reports benchmark: `conversations` conversations spread over the
 * year before `end`, and on average `eventsPer` events each, shaped like a desk's history
 * (created; bot replies; 60% handed over with one of five reasons, assigned, a first reply and
 * more replies; resolved; a third rated, some with a comment; a few reopened and resolved
 * again). Each widget comes in through its own inbox (SLA first response 30 min, resolution 4 h;
 * two teams); a handed-over conversation has its routing row with its due times, and an
 * `sla_breached` event for each target it missed, as the sweep records them.
 * Rows go straight into the tables in large multi-row inserts, one transaction per batch.
 * Deterministic: the same arguments give the same rows.
 */
import type { Db } from '../../db/database.ts'
import type { ConversationEvent, ConversationRouting, ConversationRow } from '../../db/tables.ts'

const REASONS = ['asks for a person', 'refund', 'not in the knowledge base', 'angry customer', 'billing question']
const CATEGORIES = ['billing', 'shipping', 'account', 'bug', 'other']
const PRIORITIES = ['high', 'normal', 'normal', 'low']
const DAY = 86_400_000

/** A small deterministic generator (mulberry32): benchmarks compare like with like. */
function random(seed: number): () => number {
  let a = seed
  return () => {
    a |= 0; a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export interface Seeded { workspaceId: string; widgets: string[]; inboxes: string[]; teams: string[]; agents: string[]; events: number; conversations: number }

export async function seedReportEvents(db: Db, options: { conversations: number; eventsPer: number; end: number; workspaceId?: string }): Promise<Seeded> {
  const ws = options.workspaceId ?? 'bench-ws'
  const rand = random(42)
  const pick = <T>(list: T[]): T => list[Math.floor(rand() * list.length)]!
  const now = options.end
  await db.kysely.insertInto('workspaces').values({ id: ws, name: 'Bench desk', ai_settings: '{}', created_at: now - 400 * DAY }).execute()
  const agents = Array.from({ length: 20 }, (_, i) => `${ws}-agent-${i}`)
  await db.kysely.insertInto('agents').values(agents.map((id, i) => ({ id, workspace_id: ws, email: `agent${i}@${ws}.example`, name: `Agent ${i}`, role: 'agent' as const, password_hash: 'x', active: 1, created_at: now }))).execute()
  const widgets = [0, 1, 2].map((i) => `${ws}-widget-${i}`)
  await db.kysely.insertInto('widgets').values(widgets.map((id) => ({ id, workspace_id: ws, site_key: `${id}-key`, name: id, config: '{}', secret: 's', created_at: now, updated_at: now }))).execute()
  const teams = [0, 1].map((i) => `${ws}-team-${i}`)
  await db.kysely.insertInto('teams').values(teams.map((id, i) => ({ id, workspace_id: ws, name: `Team ${i}`, categories: '[]', capacity: null, created_at: now }))).execute()
  await db.kysely.insertInto('team_members').values(agents.map((agent_id, i) => ({ team_id: teams[i % 2]!, agent_id, workspace_id: ws }))).execute()
  const inboxes = widgets.map((_, i) => `${ws}-inbox-${i}`)
  const teamOfInbox = (i: number) => teams[i === 2 ? 1 : 0]!
  await db.kysely.insertInto('inboxes').values(inboxes.map((id, i) => ({
    id, workspace_id: ws, name: `Inbox ${i}`, team_id: teamOfInbox(i), policy: 'manual', first_response_minutes: 30, resolution_minutes: 240, is_default: i === 0 ? 1 : 0, last_assigned_agent_id: null, created_at: now,
  }))).execute()
  for (const [i, id] of widgets.entries()) await db.kysely.updateTable('widgets').set({ inbox_id: inboxes[i]! }).where('id', '=', id).execute()
  const contacts = Array.from({ length: 1000 }, (_, i) => `${ws}-contact-${i}`)
  for (let i = 0; i < contacts.length; i += 500) {
    await db.kysely.insertInto('contacts').values(contacts.slice(i, i + 500).map((id) => ({ id, workspace_id: ws, name: id, email: null, external_id: null, fields: '{}', created_at: now, last_seen_at: now }))).execute()
  }

  let events = 0
  const BATCH = 1000
  for (let start = 0; start < options.conversations; start += BATCH) {
    const conversations: ConversationRow[] = []
    const rows: ConversationEvent[] = []
    const routing: ConversationRouting[] = []
    for (let n = start; n < Math.min(options.conversations, start + BATCH); n++) {
      const id = `${ws}-c${n}`
      // Busier on weekdays and in office hours: a created time from a skewed day and hour.
      const created = now - Math.floor(rand() * 365) * DAY - DAY + Math.floor((8 + rand() * 10) * 3_600_000 + rand() * 3_600_000)
      const ev = (kind: ConversationEvent['kind'], at: number, key: string | null, fields: Partial<ConversationEvent> = {}) => rows.push({
        id: `${id}:${kind}${key === null ? '' : `:${key}`}`, workspace_id: ws, conversation_id: id, kind, at,
        actor_id: null, assignee_id: null, from_assignee_id: null, priority: null, reason: null, rating: null, comment: null, until_at: null, ...fields,
      })
      let t = created
      const step = (maxMinutes: number) => (t += Math.floor(rand() * maxMinutes * 60_000) + 1000)
      ev('created', t, null)
      const budget = Math.max(1, Math.round(options.eventsPer * (0.5 + rand())))
      let used = 1
      const human = rand() < 0.6
      const agent = pick(agents)
      const priority = pick(PRIORITIES)
      let status = 'resolved'
      if (!human) {
        while (used < budget - 1) { ev('bot_replied', step(3), `b${used}`, { actor_id: 'bot' }); used++ }
        if (rand() < 0.7) { ev('resolved', step(30), String(t), { priority }); used++ } else status = 'bot'
      } else {
        ev('bot_replied', step(2), 'b0', { actor_id: 'bot' })
        ev('escalated', step(5), String(t), { reason: pick(REASONS), priority })
        const queuedAt = t
        ev('assigned', step(30), `${t}:${agent}`, { assignee_id: agent, priority })
        ev('first_human_reply', step(60), null, { actor_id: agent })
        const firstReplyAt = t
        ev('human_reply', t, `r${used}`, { actor_id: agent })
        used += 5
        const replyEnd = budget - 3
        while (used < replyEnd) { ev('human_reply', step(20), `r${used}`, { actor_id: agent }); used++ }
        if (rand() < 0.85) {
          ev('resolved', step(240), String(t), { assignee_id: agent, priority }); used++
          if (rand() < 0.35) { const rating = 1 + Math.floor(rand() * 5); ev('csat', t, `${t}:${rating}:x`, { rating, assignee_id: agent, priority, comment: rand() < 0.3 ? `comment ${n}` : null }); used++ }
          if (rand() < 0.05) { ev('reopened', step(600), String(t), { assignee_id: agent }); ev('resolved', step(120), String(t), { assignee_id: agent, priority }); used += 2 }
        } else status = 'open'
        const inbox = n % widgets.length
        const frDue = queuedAt + 30 * 60_000, resDue = queuedAt + 240 * 60_000
        const resolvedAt = status === 'resolved' ? t : null
        if (firstReplyAt > frDue) ev('sla_breached', frDue, `first_response:${frDue}`, { reason: 'first_response', assignee_id: agent })
        if ((resolvedAt ?? now) > resDue) ev('sla_breached', resDue, `resolution:${resDue}`, { reason: 'resolution', assignee_id: agent })
        routing.push({
          conversation_id: id, workspace_id: ws, inbox_id: inboxes[inbox]!, team_id: teamOfInbox(inbox), assignee_id: agent, version: 1, assigned_at: queuedAt, reason: null, category: null, confidence: null,
          queued_at: queuedAt, sla_started_at: queuedAt, first_response_warned_at: null, resolution_warned_at: null, first_response_due_at: frDue, resolution_due_at: resDue, first_response_at: firstReplyAt, resolved_at: resolvedAt,
          first_response_breached_at: firstReplyAt > frDue ? frDue : null, resolution_breached_at: (resolvedAt ?? now) > resDue ? resDue : null,
        })
      }
      conversations.push({
        id, workspace_id: ws, contact_id: contacts[n % contacts.length]!, widget_id: widgets[n % widgets.length]!, status, priority, assignee_id: human ? agent : null,
        subject: '', preview: '', labels: '[]', category: pick(CATEGORIES), sentiment: null, language: null, escalation_reason: null, csat_rating: null, csat_comment: null,
        message_count: used, waiting_since: null, snoozed_until: null, created_at: created, updated_at: t, last_activity_at: t,
      })
    }
    await db.kysely.transaction().execute(async (trx) => {
      for (let i = 0; i < conversations.length; i += 500) await trx.insertInto('conversations').values(conversations.slice(i, i + 500)).execute()
      for (let i = 0; i < rows.length; i += 1000) await trx.insertInto('conversation_events').values(rows.slice(i, i + 1000)).execute()
      for (let i = 0; i < routing.length; i += 500) await trx.insertInto('conversation_routing').values(routing.slice(i, i + 500)).execute()
    })
    events += rows.length
  }
  return { workspaceId: ws, widgets, inboxes, teams, agents, events, conversations: options.conversations }
}
