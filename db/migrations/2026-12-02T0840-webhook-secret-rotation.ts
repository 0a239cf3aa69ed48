import type { Kysely } from 'kysely'

/** A rotated webhook secret keeps signing beside the new one until `previous_secret_until` (server/webhooks/webhook.routes.ts). */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('webhook_subscriptions').addColumn('previous_secret', 'text').execute()
  await db.schema.alterTable('webhook_subscriptions').addColumn('previous_secret_until', 'bigint').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('webhook_subscriptions').dropColumn('previous_secret_until').execute()
  await db.schema.alterTable('webhook_subscriptions').dropColumn('previous_secret').execute()
}
