import { type Kysely, PostgresAdapter } from 'kysely'

/**
 * REST actions by their client-given id (issue 16): a retried assign, status or label change
 * answers what the first one did and changes nothing, even if someone changed the conversation
 * in between. The primary key makes the first writer win across instances.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const big = db.getExecutor().adapter instanceof PostgresAdapter ? 'bigint' : 'integer'
  await db.schema.createTable('api_actions')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('request', 'text', (c) => c.notNull())
    .addColumn('response', 'text')
    .addColumn('created_at', big, (c) => c.notNull())
    .execute()
  await db.schema.createIndex('api_actions_created').on('api_actions').columns(['created_at']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('api_actions').execute()
}
