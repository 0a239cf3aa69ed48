import type { Kysely } from 'kysely'

/** Which generation of its inbox document a workspace is on (server/inbox-rotation/): 0 is `inbox:<id>`. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('workspaces').addColumn('inbox_generation', 'integer', (c) => c.notNull().defaultTo(0)).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('workspaces').dropColumn('inbox_generation').execute()
}
