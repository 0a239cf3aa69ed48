import { sql } from 'kysely'
import { createTestDatabase } from '../../db/test-databases.ts'
import { seedContacts } from '../tools/seed-contacts.ts'
import { searchContacts } from '../../db/contact-search.repository.ts'
const t = await createTestDatabase('postgres')
await t.db.kysely.insertInto('workspaces').values({ id: 'w', name: 'w', ai_settings: '{}', created_at: 0 }).execute()
await seedContacts(t.db, { workspaceId: 'w', count: Number(process.argv[2] ?? 20000), now: Date.UTC(2026, 11, 1) })
await sql`analyze`.execute(t.db.kysely)
const defs = [{ key: 'plan', type: 'list' }, { key: 'seats', type: 'number' }] as any
const explain = async (label: string, f: any) => {
  // capture SQL by compiling through a logging kysely
  const { Kysely } = await import('kysely')
  let captured: any[] = []
  const k = t.db.kysely.withPlugin({ transformQuery: (a: any) => a.node, transformResult: async (a: any) => a.result } as any)
  const orig = t.db.kysely
  const logging = new Kysely<any>({ dialect: (orig as any).getExecutor().adapter ? undefined as any : undefined as any } as any) 
}
const db2 = { ...t.db, kysely: t.db.kysely.withPlugin({ transformQuery(a: any) { return a.node }, async transformResult(a: any) { return a.result } } as any) }
for (const [label, f] of [['list', {}], ['plan', { attributes: { plan: 'enterprise' } }], ['lov', { q: 'lov' }], ['first', { q: 'linus' }]] as const) {
  const s = performance.now(); const r = await searchContacts(t.db, 'w', { limit: 50, ...(f as any) }, defs); console.log(label, (performance.now() - s).toFixed(1), r.items.length)
}
const plan = await sql.raw(`explain analyze select * from contacts where workspace_id = 'w' and merged_into is null and exists (select 1 from contact_attribute_values v where v.contact_id = contacts.id and v.key = 'plan' and v.value_text = 'enterprise') order by last_seen_at desc, id desc limit 51`).execute(t.db.kysely)
console.log((plan.rows as any[]).map((r) => r['QUERY PLAN']).join('\n'))
const plan2 = await sql.raw(`explain analyze select * from contacts where workspace_id = 'w' and merged_into is null order by last_seen_at desc, id desc limit 51`).execute(t.db.kysely)
console.log((plan2.rows as any[]).map((r) => r['QUERY PLAN']).join('\n'))
await t.dispose()
