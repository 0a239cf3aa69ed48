/**
 * A scripted day of a support desk, for tests of the reports: five conversations on Wednesday
 * 2026-06-10 in Europe/Berlin (and one the evening before), each change applied to its document
 * under a controlled clock and projected as the server does, so the event log is the one the
 * projection would write. The figures they must give are in report-figures.test.ts.
 *
 * Routing as the server does it (issue 12): w1 comes in through the inbox Front (team Billing;
 * SLA first response 10 min, resolution 60), w2 through Back (team Shipping; 20 and 90 min).
 * Each handover queues the conversation (its routing row, with its due times), takes and
 * transfers go through the routing row, a reopen clears its resolve, and the SLA sweep runs
 * after every change and once more at 15:30, the script's "now" (SWEPT_AT): the breaches it
 * records are in the event log.
 */
import * as Y from 'yjs'
import { appendMessage, createId, initConversation, updateMeta, type ConversationMeta } from '../../protocol/index.ts'
import { createAgent } from '../../db/agent.repository.ts'
import { createContact } from '../../db/contact.repository.ts'
import { insertConversation, updateConversation } from '../../db/conversation.repository.ts'
import type { Db } from '../../db/database.ts'
import { createWidget } from '../../db/widget.repository.ts'
import { createWorkspace } from '../../db/workspace.repository.ts'
import { claimUnassigned, ensureRouting, getRouting, reassign } from '../../db/routing.repository.ts'
import { saveInbox, saveTeam } from '../../db/team.repository.ts'
import type { Inbox } from '../../db/tables.ts'
import { projectConversation } from '../projection.ts'
import { dueTimes, restartCycle, sweepBreaches } from '../routing/sla.ts'

export const DAY_ZONE = 'Europe/Berlin'
/** 2026-06-10 local time (CEST, UTC+2) as an instant. */
export const at = (hhmm: string, date = '2026-06-10'): number => Date.parse(`${date}T${hhmm}:00+02:00`)
export const MINUTE = 60_000

/** The last SLA sweep of the script: a server whose routing clock reads this sweeps to the same breaches. */
export const SWEPT_AT = at('15:30')

export interface ScriptedDay {
  workspaceId: string; ann: string; bob: string; w1: string; w2: string
  inboxes: { front: string; back: string }; teams: { billing: string; shipping: string }
  ids: Record<'A' | 'B' | 'C' | 'D' | 'E' | 'F', string>
}

/** Runs `fn` with Date.now() reading `clock`: the projection and appendMessage read the time. */
function withClock<T>(clock: number, fn: () => T): T {
  const real = Date.now
  Date.now = () => clock
  try { return fn() } finally { Date.now = real }
}

/** Into a new workspace, or (`existing`) into one that is there already, such as a test server's. */
export async function scriptDay(db: Db, workspaceId = 'w-day', existing = false): Promise<ScriptedDay> {
  if (!existing) await createWorkspace(db, { id: workspaceId, name: 'Day desk' })
  const ann = `${workspaceId}-ann`, bob = `${workspaceId}-bob`
  await createAgent(db, { id: ann, workspace_id: workspaceId, email: `ann@${workspaceId}.example`, name: 'Ann', role: 'agent', password_hash: 'x' })
  await createAgent(db, { id: bob, workspace_id: workspaceId, email: `bob@${workspaceId}.example`, name: 'Bob', role: 'agent', password_hash: 'x' })
  const w1 = `${workspaceId}-w1`, w2 = `${workspaceId}-w2`
  for (const id of [w1, w2]) await createWidget(db, { id, workspace_id: workspaceId, site_key: `${id}-key`, name: id, config: '{}', secret: 's' })
  const teams = { billing: `${workspaceId}-billing`, shipping: `${workspaceId}-shipping` }
  await saveTeam(db, { id: teams.billing, workspace_id: workspaceId, name: 'Billing', categories: '[]', capacity: null, created_at: at('08:00') }, [ann])
  await saveTeam(db, { id: teams.shipping, workspace_id: workspaceId, name: 'Shipping', categories: '[]', capacity: null, created_at: at('08:00') }, [ann, bob])
  const front: Omit<Inbox, 'last_assigned_agent_id'> = { id: `${workspaceId}-front`, workspace_id: workspaceId, name: 'Front', team_id: teams.billing, policy: 'manual', first_response_minutes: 10, resolution_minutes: 60, is_default: 0, created_at: at('08:00') }
  const back: Omit<Inbox, 'last_assigned_agent_id'> = { id: `${workspaceId}-back`, workspace_id: workspaceId, name: 'Back', team_id: teams.shipping, policy: 'manual', first_response_minutes: 20, resolution_minutes: 90, is_default: 0, created_at: at('08:00') }
  await saveInbox(db, front, [w1])
  await saveInbox(db, back, [w2])
  const inboxOf = (widget: string) => (widget === w1 ? front : back)
  await createContact(db, { id: `${workspaceId}-vera`, workspace_id: workspaceId, name: 'Vera', email: null, external_id: null, fields: '{}' })

  const open = async (label: string, widget: string, category: string, createdAt: number) => {
    const id = `${workspaceId}-${label}-${createId('c').slice(-6)}`
    await insertConversation(db, {
      id, workspace_id: workspaceId, contact_id: `${workspaceId}-vera`, widget_id: widget, status: 'bot', priority: 'normal', assignee_id: null, subject: '', preview: '', labels: '[]',
      category, sentiment: null, language: null, escalation_reason: null, csat_rating: null, csat_comment: null, message_count: 0, waiting_since: null,
      created_at: createdAt, updated_at: createdAt, last_activity_at: createdAt,
    })
    const doc = new Y.Doc()
    withClock(createdAt, () => initConversation(doc, { workspaceId, contact: { id: `${workspaceId}-vera`, name: 'Vera' }, status: 'bot', widgetId: widget }))
    const project = () => projectConversation(db, id, doc, category).then(() => updateConversation(db, id, { category }))
    await project()
    /** One change at a local time, projected as the live projection does after each change. */
    const step = async (time: number, change: (doc: Y.Doc) => void) => {
      withClock(time, () => doc.transact(() => change(doc)))
      await project()
      await sweepBreaches(db, time)
    }
    const say = (time: number, role: 'customer' | 'bot' | 'agent', author: string, text = '…') => step(time, (d) => {
      appendMessage(d, { id: createId('m'), author: { role, id: author, name: author }, kind: 'message', text, attachments: [], createdAt: time })
    })
    const meta = (time: number, patch: Partial<ConversationMeta>) => step(time, (d) => updateMeta(d, { ...patch, updatedAt: time }))
    /** Handed over: queued in its widget's inbox, to that inbox's team, with the inbox's due times. */
    const escalate = async (time: number, reason: string, priority: ConversationMeta['priority']) => {
      const inbox = inboxOf(widget)
      await ensureRouting(db, { conversation_id: id, workspace_id: workspaceId, inbox_id: inbox.id, team_id: inbox.team_id, queued_at: time, sla_started_at: time, ...dueTimes(inbox, time) })
      await step(time, (d) => {
        updateMeta(d, { status: 'waiting', priority, escalationReason: reason, waitingSince: time })
        appendMessage(d, { id: createId('m'), author: { role: 'system', id: 'system', name: 'Parley' }, kind: 'message', text: 'Handing over.', attachments: [], createdAt: time })
      })
    }
    /** A take (nobody has it) or a transfer, through the routing row; the document follows it. */
    const assign = async (time: number, agent: string) => {
      const row = (await getRouting(db, id))!
      const done = row.assignee_id === null ? await claimUnassigned(db, id, agent, time) : await reassign(db, id, row.version, agent, undefined, time)
      if (!done) throw new Error(`the scripted assignment of ${id} to ${agent} was refused`)
      await meta(time, row.assignee_id === null ? { assignee: agent, status: 'open', waitingSince: null } : { assignee: agent })
    }
    /** The CSAT route sets meta.csat alone: the event is dated by the last updatedAt. */
    const rate = (time: number, rating: number, comment?: string) => step(time, (d) => updateMeta(d, { csat: { rating, ...(comment ? { comment } : {}) } }))
    return { id, say, meta, escalate, assign, rate }
  }

  // A: the bot answers and closes it.
  const A = await open('A', w1, 'billing', at('09:00'))
  await A.say(at('09:00'), 'customer', 'vera')
  await A.say(at('09:01'), 'bot', 'bot')
  await A.meta(at('09:05'), { status: 'resolved' })
  // B: escalated (refund, high), Ann takes it, two replies, resolves, rated 5.
  const B = await open('B', w1, 'billing', at('10:00'))
  await B.say(at('10:01'), 'bot', 'bot')
  await B.escalate(at('10:02'), 'refund', 'high')
  await B.assign(at('10:05'), ann)
  await B.say(at('10:12'), 'agent', ann)
  await B.say(at('10:20'), 'agent', ann)
  await B.meta(at('10:30'), { status: 'resolved' })
  await B.rate(at('10:40'), 5, 'great')
  // C: escalated (refund), Ann takes it and transfers it to Bob; resolved, rated 2, reopened, resolved again.
  const C = await open('C', w2, 'shipping', at('10:30'))
  await C.escalate(at('10:31'), 'refund', 'normal')
  await C.assign(at('10:40'), ann)
  await C.assign(at('10:50'), bob)
  await C.say(at('11:01'), 'agent', bob)
  await C.meta(at('12:31'), { status: 'resolved' })
  await C.rate(at('12:45'), 2, 'slow')
  await C.say(at('14:00'), 'customer', 'vera')
  await C.meta(at('14:00'), { status: 'open' })
  await restartCycle(db, C.id, { ...back, last_assigned_agent_id: null }, at('14:00'), at('14:00')) // as routing does on a reopen: a new cycle
  await C.say(at('14:10'), 'agent', bob)
  await C.meta(at('14:30'), { status: 'resolved' })
  // D: the bot answers; never needed a human, still open with the bot.
  const D = await open('D', w2, 'shipping', at('13:00'))
  await D.say(at('13:01'), 'bot', 'bot')
  // E: escalated, still waiting.
  const E = await open('E', w1, 'other', at('15:00'))
  await E.escalate(at('15:02'), 'asks for a person', 'low')
  // F: the evening before, outside the day.
  const F = await open('F', w1, 'billing', at('23:30', '2026-06-09'))
  await F.say(at('23:31', '2026-06-09'), 'bot', 'bot')
  await sweepBreaches(db, SWEPT_AT)
  return { workspaceId, ann, bob, w1, w2, inboxes: { front: front.id, back: back.id }, teams, ids: { A: A.id, B: B.id, C: C.id, D: D.id, E: E.id, F: F.id } }
}
