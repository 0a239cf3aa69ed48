import { createTestDatabase } from '../../db/test-databases.ts'
import { seedContacts } from '../../bench/tools/seed-contacts.ts'
import { searchContacts } from '../../db/contact-search.repository.ts'
import { sql } from 'kysely'
const t = await createTestDatabase((process.argv[2] ?? 'sqlite') as 'sqlite')
await t.db.kysely.insertInto('workspaces').values({ id: 'w', name: 'w', ai_settings: '{}', created_at: 0 }).execute()
let s = performance.now()
await seedContacts(t.db, { workspaceId: 'w', count: 100000, now: Date.UTC(2026, 11, 1) })
console.log('seed', performance.now() - s)
if (t.name === 'postgres') await sql`analyze`.execute(t.db.kysely)
const time = async (label: string, f: any) => { const ts: number[] = []; let r: any; for (let i = 0; i < 5; i++) { const a = performance.now(); r = await searchContacts(t.db, 'w', f, [{ key: 'plan', type: 'list' }, { key: 'seats', type: 'number' }]); ts.push(performance.now() - a) }; console.log(label, ts.map((x) => x.toFixed(1)).join(' '), r.items.length); return r }
let r = await time('first', { limit: 50 })
for (let i = 0; i < 300; i++) r = await searchContacts(t.db, 'w', { limit: 200, cursor: r.nextCursor }, [])
await time('deep', { limit: 50, cursor: r.nextCursor })
await time('q grace', { q: 'grace', limit: 50 })
await time('q gr', { q: 'gr', limit: 50 })
await time('q a', { q: 'a', limit: 50 })
await time('q example', { q: 'example', limit: 50 })
await time('q grace hopper', { q: 'grace hopper', limit: 50 })
await time('email', { q: 'grace.hopper12@', limit: 50 })
await time('phone', { q: '0012342', limit: 50 })
await time('name sort', { sort: 'name', limit: 50 })
await time('attr', { attributes: { plan: 'enterprise' }, limit: 50 })
await time('attr+q', { q: 'initech', attributes: { plan: 'enterprise' }, sort: 'name', limit: 50 })
await time('seats', { attributes: { seats: '>=195' }, limit: 50 })
await time('company', { company: 'ini', limit: 50 })
await time('tag', { tag: 'vip', limit: 50 })
await t.dispose()
