import type { Kysely } from 'kysely'

/**
 * Indexes for the SLA report (issue 14): it reads the routing rows of a workspace whose SLA cycle
 * started in a range, and for each one the first reply, the last resolve and any breach since then,
 * which are single index seeks on (conversation, kind, at).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('conversation_routing_sla_started').on('conversation_routing').columns(['workspace_id', 'sla_started_at']).execute()
  await db.schema.createIndex('conversation_events_conversation_kind').on('conversation_events').columns(['conversation_id', 'kind', 'at']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('conversation_events_conversation_kind').execute()
  await db.schema.dropIndex('conversation_routing_sla_started').execute()
}
