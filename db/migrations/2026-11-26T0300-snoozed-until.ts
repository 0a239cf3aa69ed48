import { type Kysely, PostgresAdapter } from 'kysely'

/** When a snoozed conversation comes back, so the server can wake it without opening every document. */
export async function up(db: Kysely<any>): Promise<void> {
  const big = db.getExecutor().adapter instanceof PostgresAdapter ? 'bigint' : 'integer'
  await db.schema.alterTable('conversations').addColumn('snoozed_until', big).execute()
  await db.schema.createIndex('conversations_snoozed').on('conversations').columns(['status', 'snoozed_until']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('conversations_snoozed').execute()
  await db.schema.alterTable('conversations').dropColumn('snoozed_until').execute()
}
