import { type Kysely, PostgresAdapter } from 'kysely'

/**
 * Issue 13, part B. `conversations.merged_into`: a conversation merged into another points at its
 * survivor (set once, by a conditional write, so two agents merging at once cannot both win or
 * make a cycle). `privacy_audit`: who exported, erased or merged what, and when; it names ids and
 * counts, never the erased data itself.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const big = db.getExecutor().adapter instanceof PostgresAdapter ? 'bigint' : 'integer'
  await db.schema.alterTable('conversations').addColumn('merged_into', 'text').execute()
  await db.schema.createTable('privacy_audit')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text', (c) => c.notNull())
    .addColumn('contact_id', 'text')
    .addColumn('conversation_id', 'text')
    .addColumn('detail', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('at', big, (c) => c.notNull())
    .execute()
  await db.schema.createIndex('privacy_audit_contact').on('privacy_audit').columns(['workspace_id', 'contact_id', 'at']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('privacy_audit').execute()
  await db.schema.alterTable('conversations').dropColumn('merged_into').execute()
}
