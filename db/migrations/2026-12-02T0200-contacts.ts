import { type Kysely, PostgresAdapter, sql } from 'kysely'

/**
 * Contacts as records (issue 13): profile columns, the attributes a workspace defines, an index
 * row per attribute value (so `attr.plan=pro` is an index lookup, not a JSON scan of 100,000 rows),
 * full text over `search_text`, and the audit of merges. A merged contact stays as a tombstone
 * (`merged_into`), so a merge asked twice finds it done and old ids still lead somewhere.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter
  const big = pg ? 'bigint' : 'integer'
  for (const [column, type, fill] of [
    ['phone', 'text', null], ['company', 'text', null], ['avatar_url', 'text', null], ['merged_into', 'text', null],
    ['notes', 'text', ''], ['tags', 'text', '[]'], ['attributes', 'text', '{}'],
    // Lower-cased words of every searchable value; the full-text index reads this one column.
    ['search_text', 'text', ''],
    // What the list sorts by name on: the display name, lower-cased (never null, so a keyset cursor works).
    ['sort_name', 'text', ''],
    // The phone's digits reversed: "ends with 4567" is an index prefix lookup.
    ['phone_rev', 'text', ''],
  ] as const) {
    await db.schema.alterTable('contacts').addColumn(column, type, (c) => (fill === null ? c : c.notNull().defaultTo(fill))).execute()
  }
  await db.schema.alterTable('contacts').addColumn('updated_at', big, (c) => c.notNull().defaultTo(0)).execute()
  // Existing rows: their name or email is what they are searched and sorted by until next written.
  // (the same words as db/contact-profile.ts makes, spelt out here: a migration never changes.)
  const existing = await db.selectFrom('contacts').select(['id', 'name', 'email', 'last_seen_at']).execute() as { id: string; name: string | null; email: string | null; last_seen_at: number }[]
  for (const row of existing) {
    const shown = row.name || row.email || `Visitor #${visitorNumber(row.id)}`
    const words = (`${row.name ?? ''} ${row.email ?? ''} ${row.name || row.email ? '' : shown}`.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).join(' ')
    await db.updateTable('contacts').set({ sort_name: shown.toLowerCase(), search_text: words, updated_at: row.last_seen_at }).where('id', '=', row.id).execute()
  }

  // The list's three sorts, over live contacts only: partial indexes, because PostgreSQL does not
  // walk an index in order past an `IS NULL` column (it sorted all 100,000 rows for each page).
  for (const [name, column] of [['contacts_last_seen', 'last_seen_at'], ['contacts_created_at', 'created_at'], ['contacts_sort_name', 'sort_name']] as const) {
    await db.schema.createIndex(name).on('contacts').columns(['workspace_id', column, 'id']).where(sql.ref('merged_into'), 'is', null).execute()
  }
  for (const [name, columns] of [
    ['contacts_email', ['workspace_id', 'email']],
    ['contacts_phone_rev', ['workspace_id', 'phone_rev']],
  ] as const) await db.schema.createIndex(name).on('contacts').columns([...columns]).execute()
  await db.schema.createIndex('conversations_contact_status').on('conversations').columns(['contact_id', 'status']).execute()
  await db.schema.createIndex('sessions_contact').on('sessions').columns(['contact_id']).execute()

  await db.schema.createTable('contact_attributes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('options', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('created_at', big, (c) => c.notNull())
    .addColumn('updated_at', big, (c) => c.notNull())
    .execute()
  await db.schema.createIndex('contact_attributes_key').on('contact_attributes').columns(['workspace_id', 'key']).unique().execute()

  await db.schema.createTable('contact_attribute_values')
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('contact_id', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    /** Lower-cased text of the value (dates as YYYY-MM-DD, booleans true/false). */
    .addColumn('value_text', 'text', (c) => c.notNull())
    /** Numbers, dates (ms) and booleans (0/1), for ranges. */
    .addColumn('value_num', pg ? 'double precision' : 'real')
    .addPrimaryKeyConstraint('contact_attribute_values_pk', ['contact_id', 'key'])
    .execute()
  await db.schema.createIndex('contact_attribute_values_text').on('contact_attribute_values').columns(['workspace_id', 'key', 'value_text']).execute()
  await db.schema.createIndex('contact_attribute_values_num').on('contact_attribute_values').columns(['workspace_id', 'key', 'value_num']).execute()

  await db.schema.createTable('contact_merges')
    // One merge per source contact: a second ask finds this row and answers the same.
    .addColumn('source_id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('target_id', 'text', (c) => c.notNull())
    /** The agent who merged, or null when the widget's verified identify did. */
    .addColumn('actor_id', 'text')
    /** JSON: what each conflicting field kept ({ "email": "source", "attributes.plan": "target" }). */
    .addColumn('resolution', 'text', (c) => c.notNull())
    /** JSON: the source's profile as it was (the audit of what was folded in). */
    .addColumn('source_snapshot', 'text', (c) => c.notNull())
    .addColumn('conversations', 'integer', (c) => c.notNull())
    .addColumn('sessions', 'integer', (c) => c.notNull())
    .addColumn('at', big, (c) => c.notNull())
    .execute()
  await db.schema.createIndex('contact_merges_target').on('contact_merges').columns(['workspace_id', 'target_id']).execute()

  if (pg) {
    await sql`alter table contacts add column search tsvector generated always as (to_tsvector('simple', search_text)) stored`.execute(db)
    await sql`create index contacts_search on contacts using gin (search)`.execute(db)
  } else {
    await sql.raw(`create virtual table contacts_fts using fts5(search_text, content='contacts', content_rowid='rowid', tokenize='unicode61 remove_diacritics 2')`).execute(db)
    await sql.raw(`insert into contacts_fts(rowid, search_text) select rowid, search_text from contacts`).execute(db)
    await sql.raw(`create trigger contacts_fts_ai after insert on contacts begin insert into contacts_fts(rowid, search_text) values (new.rowid, new.search_text); end`).execute(db)
    await sql.raw(`create trigger contacts_fts_ad after delete on contacts begin insert into contacts_fts(contacts_fts, rowid, search_text) values ('delete', old.rowid, old.search_text); end`).execute(db)
    // Only when the text changed: last_seen_at is written on every visit and must not rewrite the index.
    await sql.raw(`create trigger contacts_fts_au after update of search_text on contacts begin insert into contacts_fts(contacts_fts, rowid, search_text) values ('delete', old.rowid, old.search_text); insert into contacts_fts(rowid, search_text) values (new.rowid, new.search_text); end`).execute(db)
  }
}

/** protocol/contact-name.ts's number as it was when this migration was written. */
function visitorNumber(id: string): number {
  let hash = 0x811c9dc5
  for (let i = 0; i < id.length; i++) hash = Math.imul(hash ^ id.charCodeAt(i), 0x01000193) >>> 0
  return 1000 + (hash % 9000)
}

export async function down(db: Kysely<any>): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter
  if (!pg) await sql.raw('drop table if exists contacts_fts').execute(db)
  for (const table of ['contact_merges', 'contact_attribute_values', 'contact_attributes']) await db.schema.dropTable(table).ifExists().execute()
}
