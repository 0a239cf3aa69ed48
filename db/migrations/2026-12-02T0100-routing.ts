import { type Kysely, PostgresAdapter, sql } from 'kysely'

/**
 * Routing (issue 12): teams and their members, inboxes (each widget belongs to one; an inbox
 * routes to a team or to everyone, by a policy, with SLA targets), each agent's capacity and
 * chosen availability, and per conversation its routing state. `conversation_routing.assignee_id`
 * is the one authority on who has a conversation: every assignment is a conditional UPDATE of it,
 * so two instances deciding at once can never both assign (the document follows the row).
 */
export async function up(db: Kysely<any>): Promise<void> {
  const big = db.getExecutor().adapter instanceof PostgresAdapter ? 'bigint' : 'integer'
  await db.schema.createTable('teams')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('categories', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('capacity', 'integer')
    .addColumn('created_at', big, (c) => c.notNull())
    .execute()
  await db.schema.createIndex('teams_workspace_name').unique().on('teams').columns(['workspace_id', 'name']).execute()
  await db.schema.createTable('team_members')
    .addColumn('team_id', 'text', (c) => c.notNull())
    .addColumn('agent_id', 'text', (c) => c.notNull())
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('team_members_pk', ['team_id', 'agent_id'])
    .execute()
  await db.schema.createIndex('team_members_agent').on('team_members').columns(['agent_id']).execute()
  await db.schema.createTable('inboxes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('team_id', 'text')
    .addColumn('policy', 'text', (c) => c.notNull().defaultTo('manual'))
    .addColumn('first_response_minutes', 'integer')
    .addColumn('resolution_minutes', 'integer')
    .addColumn('is_default', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', big, (c) => c.notNull())
    .execute()
  await db.schema.createIndex('inboxes_workspace_name').unique().on('inboxes').columns(['workspace_id', 'name']).execute()
  await db.schema.createTable('conversation_routing')
    .addColumn('conversation_id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('inbox_id', 'text')
    .addColumn('team_id', 'text')
    .addColumn('assignee_id', 'text')
    /** Bumped by every change of assignee: a transfer names the version it saw. */
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('assigned_at', big)
    .addColumn('reason', 'text')
    .addColumn('category', 'text')
    .addColumn('confidence', 'real')
    .addColumn('queued_at', big)
    .addColumn('first_response_due_at', big)
    .addColumn('resolution_due_at', big)
    .addColumn('first_response_at', big)
    .addColumn('resolved_at', big)
    .addColumn('first_response_breached_at', big)
    .addColumn('resolution_breached_at', big)
    .execute()
  await db.schema.createIndex('conversation_routing_assignee').on('conversation_routing').columns(['assignee_id']).execute()
  await db.schema.createIndex('conversation_routing_workspace').on('conversation_routing').columns(['workspace_id', 'team_id']).execute()
  await db.schema.alterTable('widgets').addColumn('inbox_id', 'text').execute()
  await db.schema.alterTable('agents').addColumn('capacity', 'integer', (c) => c.notNull().defaultTo(3)).execute()
  await db.schema.alterTable('agents').addColumn('availability', 'text', (c) => c.notNull().defaultTo('online')).execute()
  await db.schema.alterTable('agents').addColumn('last_active_at', big).execute()
  /** Round-robin's turn: the agent who was given a conversation last, per inbox. */
  await db.schema.alterTable('inboxes').addColumn('last_assigned_agent_id', 'text').execute()
  await db.schema.alterTable('workspaces').addColumn('routing_settings', 'text', (c) => c.notNull().defaultTo(sql`'{}'`)).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('workspaces').dropColumn('routing_settings').execute()
  await db.schema.alterTable('agents').dropColumn('last_active_at').execute()
  await db.schema.alterTable('agents').dropColumn('availability').execute()
  await db.schema.alterTable('agents').dropColumn('capacity').execute()
  await db.schema.alterTable('widgets').dropColumn('inbox_id').execute()
  await db.schema.dropTable('conversation_routing').execute()
  await db.schema.dropTable('inboxes').execute()
  await db.schema.dropTable('team_members').execute()
  await db.schema.dropTable('teams').execute()
}
