/** The audit trail: the event log of a workspace, newest first, filtered and keyset-paged. */
import type { Db } from './database.ts'
import { decodeTimeCursor, encodeTimeCursor } from './time-cursor.ts'
import { CONVERSATION_EVENT_KINDS, type ConversationEvent } from './tables.ts'

export interface AuditFilter {
  workspaceId: string
  agentId?: string
  conversationId?: string
  kind?: string
  /** [from, to) in ms. */
  from?: number
  to?: number
  cursor?: string
  limit?: number
}

export const AUDIT_KINDS: readonly string[] = CONVERSATION_EVENT_KINDS

export async function listAuditEvents(db: Db, f: AuditFilter): Promise<{ items: ConversationEvent[]; nextCursor: string | null }> {
  const limit = f.limit ?? 50
  let query = db.kysely.selectFrom('conversation_events').selectAll().where('workspace_id', '=', f.workspaceId)
  if (f.agentId) { const agent = f.agentId; query = query.where((eb) => eb.or([eb('actor_id', '=', agent), eb('assignee_id', '=', agent), eb('from_assignee_id', '=', agent)])) }
  if (f.conversationId) query = query.where('conversation_id', '=', f.conversationId)
  if (f.kind) query = query.where('kind', '=', f.kind as ConversationEvent['kind'])
  if (f.from !== undefined) query = query.where('at', '>=', f.from)
  if (f.to !== undefined) query = query.where('at', '<', f.to)
  if (f.cursor) {
    const [at, id] = decodeTimeCursor(f.cursor)
    query = query.where((eb) => eb.or([eb('at', '<', at), eb.and([eb('at', '=', at), eb('id', '<', id)])]))
  }
  const rows = await query.orderBy('at', 'desc').orderBy('id', 'desc').limit(limit + 1).execute()
  const items = rows.slice(0, limit)
  const last = items.at(-1)
  return { items, nextCursor: rows.length > limit && last ? encodeTimeCursor(Number(last.at), last.id) : null }
}

