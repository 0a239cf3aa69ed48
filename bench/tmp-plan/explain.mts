import SQLite from 'better-sqlite3'
import { openDatabase } from '../../db/database.ts'
import { migrateToLatest } from '../../db/migrate.ts'
import { seedContacts } from '../tools/seed-contacts.ts'
import fs from 'node:fs'
const file = '/tmp/contacts-plan.sqlite'
if (!fs.existsSync(file)) {
  const db = openDatabase(file); await migrateToLatest(db)
  await db.kysely.insertInto('workspaces').values({ id: 'w', name: 'w', ai_settings: '{}', created_at: 0 }).execute()
  await seedContacts(db, { workspaceId: 'w', count: 100000, now: Date.UTC(2026, 11, 1) }); await db.close()
}
const s = new SQLite(file)
s.exec('analyze')
const run = (label: string, q: string, ...p: unknown[]) => {
  const st = s.prepare(q); const ts: number[] = []; let n = 0
  for (let i = 0; i < 5; i++) { const a = performance.now(); n = st.all(...p).length; ts.push(performance.now() - a) }
  console.log(label, ts.map((x) => x.toFixed(1)).join(' '), n)
  console.log('   ', s.prepare('explain query plan ' + q).all(...p).map((r: any) => r.detail).join(' | '))
}
const base = "select * from contacts where workspace_id = 'w' and merged_into is null"
run('attr exists', `${base} and exists (select 1 from contact_attribute_values v where v.contact_id = contacts.id and v.key = 'plan' and v.value_text = 'enterprise') order by last_seen_at desc, id desc limit 51`)
run('attr in', `${base} and id in (select contact_id from contact_attribute_values v where workspace_id = 'w' and v.key = 'plan' and v.value_text = 'enterprise') order by last_seen_at desc, id desc limit 51`)
run('deep', `${base} and (last_seen_at, id) < (?, ?) order by last_seen_at desc, id desc limit 51`, Date.UTC(2026, 3, 1), 'w-k5')
run('phone union', `${base} and rowid in (select rowid from contacts_fts where contacts_fts match ? union all select rowid from contacts where workspace_id = 'w' and phone_rev >= ? and phone_rev < ?) order by last_seen_at desc, id desc limit 51`, '"0012342"*', '2432100', '2432100\u{10FFFF}')
