import { type Kysely, PostgresAdapter } from 'kysely'

/**
 * API keys (issue 16): a workspace's keys for other systems, stored as the sha256 of the token
 * (shown once, like a session token). `revoked_at` is read on every request, so a revoked key is
 * refused at once by every instance. Requests made with a key are kept a week for its health.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter
  const big = pg ? 'bigint' : 'integer'
  await db.schema.createTable('api_keys')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('prefix', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', big, (c) => c.notNull())
    .addColumn('last_used_at', big)
    .addColumn('revoked_at', big)
    .execute()
  await db.schema.createIndex('api_keys_workspace').on('api_keys').columns(['workspace_id', 'created_at']).execute()
  await db.schema.createTable('api_key_requests')
    .addColumn('id', pg ? 'bigserial' : 'integer', (c) => (pg ? c.primaryKey() : c.primaryKey().autoIncrement()))
    .addColumn('key_id', 'text', (c) => c.notNull())
    .addColumn('at', big, (c) => c.notNull())
    .addColumn('method', 'text', (c) => c.notNull())
    .addColumn('route', 'text', (c) => c.notNull())
    .addColumn('status', 'integer', (c) => c.notNull())
    .addColumn('duration_ms', 'integer', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('api_key_requests_key').on('api_key_requests').columns(['key_id', 'at']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('api_key_requests').execute()
  await db.schema.dropTable('api_keys').execute()
}
