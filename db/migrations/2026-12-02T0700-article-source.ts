import type { Kysely } from 'kysely'

/**
 * Where an article came from (`zendesk:123`, `intercom:456`, `file:billing/refunds`, `parley:example`)
 * and its public address: a re-import updates the article it made before instead of adding a
 * copy. The unique index is what holds that across instances importing at once (an upsert on it).
 * NULL for articles written in the app (both dialects let NULLs repeat in a unique index).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('articles').addColumn('source_key', 'text').execute()
  await db.schema.alterTable('articles').addColumn('source_url', 'text').execute()
  await db.schema.createIndex('articles_source').on('articles').columns(['workspace_id', 'source_key']).unique().execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('articles_source').execute()
  await db.schema.alterTable('articles').dropColumn('source_url').execute()
  await db.schema.alterTable('articles').dropColumn('source_key').execute()
}
