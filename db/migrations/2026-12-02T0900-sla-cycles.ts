import { type Kysely, PostgresAdapter, sql } from 'kysely'

/**
 * SLA cycles (issue 12): when the current first-response/resolution cycle of a conversation
 * started. `queued_at` stays the start of its current wait for a person (the widget's "usually
 * answers in N min"); a reopen starts a new SLA cycle, a transfer to a team keeps it
 * (server/routing/sla.ts). Existing rows started their cycle when they queued.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const big = db.getExecutor().adapter instanceof PostgresAdapter ? 'bigint' : 'integer'
  await db.schema.alterTable('conversation_routing').addColumn('sla_started_at', big).execute()
  await sql`update conversation_routing set sla_started_at = queued_at`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('conversation_routing').dropColumn('sla_started_at').execute()
}
