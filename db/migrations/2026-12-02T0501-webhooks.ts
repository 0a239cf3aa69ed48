import { type Kysely, PostgresAdapter } from 'kysely'

/**
 * Webhooks (issue 16). `webhook_deliveries` is the outbox: one row per (subscription, event),
 * written in the projection's transaction with the event log, so an event that is logged is
 * delivered (at least once) even if the process dies before sending. `seq` orders a stream (the
 * deliveries of one subscription for one conversation or contact): only a stream's oldest
 * pending delivery is ever sent, leased by a conditional write, so every instance keeps the order.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter
  const big = pg ? 'bigint' : 'integer'
  const serial = (table: any) => table.addColumn('seq', pg ? 'bigserial' : 'integer', (c: any) => (pg ? c.primaryKey() : c.primaryKey().autoIncrement()))
  await db.schema.createTable('webhook_subscriptions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('events', 'text', (c) => c.notNull())
    .addColumn('secret', 'text', (c) => c.notNull())
    .addColumn('active', 'integer', (c) => c.notNull())
    .addColumn('disabled_reason', 'text')
    .addColumn('consecutive_failures', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('failing_since', big)
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', big, (c) => c.notNull())
    .addColumn('updated_at', big, (c) => c.notNull())
    .execute()
  await db.schema.createIndex('webhook_subscriptions_workspace').on('webhook_subscriptions').columns(['workspace_id']).execute()
  await serial(db.schema.createTable('webhook_deliveries'))
    .addColumn('id', 'text', (c: any) => c.notNull().unique())
    .addColumn('subscription_id', 'text', (c: any) => c.notNull())
    .addColumn('workspace_id', 'text', (c: any) => c.notNull())
    .addColumn('event_id', 'text', (c: any) => c.notNull())
    .addColumn('event_type', 'text', (c: any) => c.notNull())
    .addColumn('stream_key', 'text', (c: any) => c.notNull())
    .addColumn('payload', 'text', (c: any) => c.notNull())
    .addColumn('status', 'text', (c: any) => c.notNull())
    .addColumn('attempts', 'integer', (c: any) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', big, (c: any) => c.notNull())
    .addColumn('lease_until', big)
    .addColumn('last_error', 'text')
    .addColumn('response_status', 'integer')
    .addColumn('duration_ms', 'integer')
    .addColumn('redelivery_of', 'text')
    .addColumn('created_at', big, (c: any) => c.notNull())
    .addColumn('delivered_at', big)
    .addUniqueConstraint('webhook_deliveries_event', ['subscription_id', 'event_id'])
    .execute()
  await db.schema.createIndex('webhook_deliveries_due').on('webhook_deliveries').columns(['status', 'next_attempt_at']).execute()
  await db.schema.createIndex('webhook_deliveries_stream').on('webhook_deliveries').columns(['subscription_id', 'stream_key', 'status', 'seq']).execute()
  await db.schema.createIndex('webhook_deliveries_log').on('webhook_deliveries').columns(['workspace_id', 'created_at']).execute()
  await serial(db.schema.createTable('webhook_attempts'))
    .addColumn('delivery_id', 'text', (c: any) => c.notNull())
    .addColumn('subscription_id', 'text', (c: any) => c.notNull())
    .addColumn('at', big, (c: any) => c.notNull())
    .addColumn('ok', 'integer', (c: any) => c.notNull())
    .addColumn('response_status', 'integer')
    .addColumn('duration_ms', 'integer', (c: any) => c.notNull())
    .addColumn('error', 'text')
    .addColumn('request_headers', 'text', (c: any) => c.notNull())
    .addColumn('response_body', 'text')
    .execute()
  await db.schema.createIndex('webhook_attempts_delivery').on('webhook_attempts').columns(['delivery_id', 'seq']).execute()
  await db.schema.createIndex('webhook_attempts_subscription').on('webhook_attempts').columns(['subscription_id', 'at']).execute()
  await serial(db.schema.createTable('integration_alerts'))
    .addColumn('workspace_id', 'text', (c: any) => c.notNull())
    .addColumn('subject_kind', 'text', (c: any) => c.notNull())
    .addColumn('subject_id', 'text', (c: any) => c.notNull())
    .addColumn('level', 'text', (c: any) => c.notNull())
    .addColumn('message', 'text', (c: any) => c.notNull())
    .addColumn('created_at', big, (c: any) => c.notNull())
    .execute()
  await db.schema.createIndex('integration_alerts_workspace').on('integration_alerts').columns(['workspace_id', 'created_at']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['integration_alerts', 'webhook_attempts', 'webhook_deliveries', 'webhook_subscriptions']) await db.schema.dropTable(table).execute()
}
