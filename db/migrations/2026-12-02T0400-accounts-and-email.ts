import { type Kysely, PostgresAdapter, sql } from 'kysely'

/**
 * Workspaces, accounts and email (issue 15).
 *
 * - `workspace_members`: an agent (one person, one email, one password) may belong to several
 *   workspaces, with a role in each. The agents' own `workspace_id`/`role`/`active` stay as the
 *   home workspace's values for older code; who may do what is read from the membership.
 * - `account_tokens`: invitations and password resets, single use by a conditional write.
 * - `email_deliveries`: the delivery log of every email (queued, sent, retrying, failed), with
 *   the rendered message, so a retry sends exactly what was queued and nothing is lost.
 * - `inbound_emails`: the Message-IDs of received emails, so a reply posted twice lands once.
 * - sessions remember the device they were made on, for "sign out other devices".
 */
export async function up(db: Kysely<any>): Promise<void> {
  const big = db.getExecutor().adapter instanceof PostgresAdapter ? 'bigint' : 'integer'
  await db.schema.createTable('workspace_members')
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('agent_id', 'text', (c) => c.notNull().references('agents.id'))
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('notify', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('created_at', big, (c) => c.notNull())
    .addColumn('removed_at', big)
    .addPrimaryKeyConstraint('workspace_members_pk', ['workspace_id', 'agent_id'])
    .execute()
  await db.schema.createIndex('workspace_members_agent').on('workspace_members').columns(['agent_id']).execute()
  await sql`insert into workspace_members (workspace_id, agent_id, role, active, notify, created_at, removed_at)
    select workspace_id, id, role, active, '{}', created_at, null from agents`.execute(db)

  await db.schema.createTable('account_tokens')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('id', 'text', (c) => c.notNull().unique())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('agent_id', 'text')
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('role', 'text')
    .addColumn('created_by', 'text')
    .addColumn('created_at', big, (c) => c.notNull())
    .addColumn('expires_at', big, (c) => c.notNull())
    .addColumn('used_at', big)
    .addColumn('revoked_at', big)
    .execute()
  await db.schema.createIndex('account_tokens_workspace').on('account_tokens').columns(['workspace_id', 'kind', 'created_at']).execute()

  await db.schema.createTable('email_deliveries')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('recipient', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('html', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('message_id', 'text', (c) => c.notNull())
    .addColumn('in_reply_to', 'text')
    .addColumn('references', 'text')
    .addColumn('conversation_id', 'text')
    .addColumn('agent_id', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_error', 'text')
    .addColumn('created_at', big, (c) => c.notNull())
    .addColumn('updated_at', big, (c) => c.notNull())
    .addColumn('sent_at', big)
    .execute()
  await db.schema.createIndex('email_deliveries_workspace').on('email_deliveries').columns(['workspace_id', 'created_at']).execute()
  await db.schema.createIndex('email_deliveries_message').on('email_deliveries').columns(['message_id']).execute()
  await db.schema.createIndex('email_deliveries_pending').on('email_deliveries').columns(['status', 'updated_at']).execute()

  await db.schema.createTable('inbound_emails')
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('message_id', 'text', (c) => c.notNull())
    .addColumn('conversation_id', 'text', (c) => c.notNull())
    .addColumn('created_at', big, (c) => c.notNull())
    .addPrimaryKeyConstraint('inbound_emails_pk', ['workspace_id', 'message_id'])
    .execute()

  await db.schema.alterTable('sessions').addColumn('user_agent', 'text').execute()
  await db.schema.alterTable('sessions').addColumn('ip', 'text').execute()
  await db.schema.alterTable('workspaces').addColumn('inbound_token_hash', 'text').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('workspaces').dropColumn('inbound_token_hash').execute()
  await db.schema.alterTable('sessions').dropColumn('ip').execute()
  await db.schema.alterTable('sessions').dropColumn('user_agent').execute()
  await db.schema.dropTable('inbound_emails').execute()
  await db.schema.dropTable('email_deliveries').execute()
  await db.schema.dropTable('account_tokens').execute()
  await db.schema.dropTable('workspace_members').execute()
}
