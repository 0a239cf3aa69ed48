import { test } from 'uvu'
import * as assert from 'uvu/assert'
import type { Message } from '../../protocol/index.ts'
import { deriveMessageEvents, deriveTransitions, stateOfMeta } from './derive-events.ts'

const base = { workspaceId: 'w', status: 'open' as const, assignee: 'ann', priority: 'normal' as const, createdAt: 1, updatedAt: 100 }
const brief = (events: ReturnType<typeof deriveTransitions>) => events.map((e) => [e.kind, e.id, e.assignee_id, e.from_assignee_id, e.until_at])

test('a transfer, an unassignment, a snooze and a reopen are told apart, each keyed by what the document holds', () => {
  const before = stateOfMeta(base)
  assert.equal(brief(deriveTransitions('c', before, { ...base, assignee: 'bob', updatedAt: 200 })), [['assigned', 'c:assigned:200:bob', 'bob', 'ann', null]])
  assert.equal(brief(deriveTransitions('c', before, { ...base, assignee: null, status: 'waiting', updatedAt: 300 })), [['unassigned', 'c:unassigned:300', null, 'ann', null]])
  assert.equal(brief(deriveTransitions('c', before, { ...base, status: 'snoozed', snoozedUntil: 999, updatedAt: 400 })), [['snoozed', 'c:snoozed:400', 'ann', null, 999]])
  assert.equal(brief(deriveTransitions('c', stateOfMeta({ ...base, status: 'resolved' }), { ...base, status: 'open', updatedAt: 500 })), [['reopened', 'c:reopened:500', 'ann', null, null]])
  // Nothing changed: nothing to log, whatever updatedAt says.
  assert.equal(deriveTransitions('c', before, { ...base, updatedAt: 600 }), [])
  // An agent unassigning (open → waiting) is no escalation; the bot handing over is.
  assert.ok(!deriveTransitions('c', before, { ...base, assignee: null, status: 'waiting' }).some((e) => e.kind === 'escalated'))
  const handover = deriveTransitions('c', stateOfMeta({ ...base, status: 'bot', assignee: null }), { ...base, status: 'waiting', assignee: null, escalationReason: 'refund', waitingSince: 50, priority: 'high' })
  assert.equal(handover.map((e) => [e.kind, e.id, e.at, e.reason, e.priority]), [['escalated', 'c:escalated:50', 50, 'refund', 'high']])
})

test('a rating given again with a comment is a second event; the same rating again is none', () => {
  const resolved = { ...base, status: 'resolved' as const }
  const rated = { ...resolved, csat: { rating: 4 } }
  assert.equal(deriveTransitions('c', stateOfMeta(resolved), rated).map((e) => [e.kind, e.rating, e.comment]), [['csat', 4, null]])
  assert.equal(deriveTransitions('c', stateOfMeta(rated), rated), [])
  const commented = deriveTransitions('c', stateOfMeta(rated), { ...resolved, csat: { rating: 4, comment: 'thanks' } })
  assert.equal(commented.map((e) => [e.kind, e.comment]), [['csat', 'thanks']])
  assert.is.not(commented[0]!.id, deriveTransitions('c', stateOfMeta(resolved), rated)[0]!.id)
})

test('message events: bot and human replies by id; the first human reply once, not when one came before', () => {
  const m = (id: string, role: Message['author']['role'], kind: Message['kind'] = 'message'): Message => ({ id, author: { role, id: `${role}-1`, name: role }, kind, text: 'x', attachments: [], createdAt: id.length })
  const all = [m('c1', 'customer'), m('b1', 'bot'), m('s1', 'system'), m('a1', 'agent'), m('a22', 'agent'), m('e1', 'agent', 'event')]
  assert.equal(deriveMessageEvents('c', 'w', all).map((e) => e.id), ['c:bot_replied:b1', 'c:first_human_reply', 'c:human_reply:a1', 'c:human_reply:a22'])
  assert.equal(deriveMessageEvents('c', 'w', all.slice(4), true).map((e) => e.id), ['c:human_reply:a22'])
})

test.run()
