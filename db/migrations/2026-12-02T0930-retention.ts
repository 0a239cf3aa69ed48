import { PostgresAdapter, type Kysely } from 'kysely'

/**
 * Retention (server/housekeeping/retention.ts): a workspace's policy (days after which a resolved
 * conversation is erased; null is off), the claim that lets one instance run it at a time, and the
 * mark on each conversation it erased (so a run never does one twice).
 */
export async function up(db: Kysely<any>): Promise<void> {
  const big = db.getExecutor().adapter instanceof PostgresAdapter ? 'bigint' : 'integer'
  await db.schema.alterTable('workspaces').addColumn('retention_days', 'integer').execute()
  await db.schema.alterTable('workspaces').addColumn('retention_claimed_at', big).execute()
  await db.schema.alterTable('conversations').addColumn('retention_erased_at', big).execute()
  await db.schema.createIndex('conversations_retention').on('conversations').columns(['workspace_id', 'status', 'last_activity_at']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('conversations_retention').execute()
  await db.schema.alterTable('conversations').dropColumn('retention_erased_at').execute()
  await db.schema.alterTable('workspaces').dropColumn('retention_claimed_at').execute()
  await db.schema.alterTable('workspaces').dropColumn('retention_days').execute()
}
