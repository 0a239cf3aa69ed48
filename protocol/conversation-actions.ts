/**
 * What each team action changes in a conversation's meta, as pure functions of the current meta:
 * the REST writes (server/rest-api) use them, and they say what the agent app's buttons do
 * (agent-app/store/conversation.ts), so an action taken through the API looks the same.
 */
import type { ConversationMeta } from './conversation.ts'

type Meta = Partial<ConversationMeta>
type Patch = Partial<ConversationMeta>

/** Assigning a waiting (or bot) conversation opens it; unassigning an open one puts it back in the queue. */
export function assignPatch(meta: Meta, assignee: string | null, now: number): Patch {
  if (assignee && (meta.status === 'waiting' || meta.status === 'bot')) return { assignee, status: 'open', waitingSince: null, updatedAt: now }
  if (!assignee && meta.status === 'open') return { assignee: null, status: 'waiting', waitingSince: now, updatedAt: now }
  return { assignee, updatedAt: now }
}

/** A human reply takes an unassigned conversation, as typing one in the app does. */
export function replyPatch(meta: Meta, author: string, now: number): Patch {
  return !meta.assignee && meta.status !== 'resolved' ? { assignee: author, status: 'open', waitingSince: null, updatedAt: now } : { updatedAt: now }
}

export const snoozePatch = (until: number, now: number): Patch => ({ status: 'snoozed', snoozedUntil: until, updatedAt: now })
export const resolvePatch = (now: number): Patch => ({ status: 'resolved', snoozedUntil: null, updatedAt: now })

/** Back to the team: open with its assignee, or waiting in the queue without one. */
export function reopenPatch(meta: Meta, now: number): Patch {
  return meta.assignee ? { status: 'open', snoozedUntil: null, updatedAt: now } : { status: 'waiting', waitingSince: now, snoozedUntil: null, updatedAt: now }
}

/** Status `open` without an assignee is taken by whoever opens it. */
export function statusPatch(meta: Meta, status: 'open' | 'waiting' | 'resolved', actor: string, now: number): Patch {
  if (status === 'resolved') return resolvePatch(now)
  if (status === 'waiting') return { status: 'waiting', assignee: null, waitingSince: meta.status === 'waiting' ? (meta.waitingSince ?? now) : now, snoozedUntil: null, updatedAt: now }
  return meta.assignee ? { status: 'open', snoozedUntil: null, waitingSince: null, updatedAt: now } : { status: 'open', assignee: actor, snoozedUntil: null, waitingSince: null, updatedAt: now }
}
