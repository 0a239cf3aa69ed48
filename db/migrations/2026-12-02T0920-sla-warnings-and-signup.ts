import { type Kysely, PostgresAdapter } from 'kysely'

/**
 * Issue 15, the rest of it.
 *
 * - `conversation_routing.*_warned_at`: the "SLA about to breach" email of each target is claimed
 *   by a conditional write on these (null → now), so two instances sweeping at once send it once.
 * - `account_tokens.details`: JSON of a pending sign-up (name, workspace name) until its email is
 *   verified; the workspace and its owner are made only when the link is used.
 * - `sessions.language`: the browser's language of the device signed in on (Accept-Language),
 *   the language of an agent whose app follows their browser ('auto') for their emails.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const big = db.getExecutor().adapter instanceof PostgresAdapter ? 'bigint' : 'integer'
  await db.schema.alterTable('conversation_routing').addColumn('first_response_warned_at', big).execute()
  await db.schema.alterTable('conversation_routing').addColumn('resolution_warned_at', big).execute()
  await db.schema.alterTable('account_tokens').addColumn('details', 'text').execute()
  await db.schema.alterTable('sessions').addColumn('language', 'text').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('sessions').dropColumn('language').execute()
  await db.schema.alterTable('account_tokens').dropColumn('details').execute()
  await db.schema.alterTable('conversation_routing').dropColumn('resolution_warned_at').execute()
  await db.schema.alterTable('conversation_routing').dropColumn('first_response_warned_at').execute()
}
