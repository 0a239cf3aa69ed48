import { type Kysely, PostgresAdapter } from 'kysely'

/**
 * The event log (issue 14): what happened to each conversation, written by the projection from
 * the documents. `id` is a deterministic key (conversation, kind, what tells two such events
 * apart), so projecting a document again, or rebuilding, never adds a second row.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const big = db.getExecutor().adapter instanceof PostgresAdapter ? 'bigint' : 'integer'
  await db.schema.createTable('conversation_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('conversation_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('at', big, (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('assignee_id', 'text')
    .addColumn('from_assignee_id', 'text')
    .addColumn('priority', 'text')
    .addColumn('reason', 'text')
    .addColumn('rating', 'integer')
    .addColumn('comment', 'text')
    .addColumn('until_at', big)
    .execute()
  // Reports read one kind over a date range of a workspace, counting conversations and grouping
  // by actor: those columns are in the index, so such a count never reads the table.
  await db.schema.createIndex('conversation_events_kind').on('conversation_events').columns(['workspace_id', 'kind', 'at', 'conversation_id', 'actor_id']).execute()
  // The conversation's own history reads by conversation.
  await db.schema.createIndex('conversation_events_conversation').on('conversation_events').columns(['conversation_id', 'at']).execute()
  // Filters by widget/category/priority/assignee join the conversation row; created_at ranges read it directly.
  await db.schema.createIndex('conversations_created').on('conversations').columns(['workspace_id', 'created_at']).execute()
  // "Open now" counts the conversations of a workspace that are not resolved.
  await db.schema.createIndex('conversations_status').on('conversations').columns(['workspace_id', 'status']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('conversations_status').execute()
  await db.schema.dropIndex('conversations_created').execute()
  await db.schema.dropTable('conversation_events').execute()
}
