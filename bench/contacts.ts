/**
 * contacts: the Contacts page's search at scale (issue 13). Seeds `--size` contacts (100,000 by
 * default; bench/tools/seed-contacts.ts: names, emails, phones, companies, four attributes, a third
 * with conversations), then times what the page asks the database for one list answer: the search
 * (db/contact-search.repository.ts) and the conversation counts of its 50 rows, for a mix of
 * searches a desk types, on SQLite and, when TEST_DATABASE_URL is set, PostgreSQL. p50 and p99 of
 * `--reps` runs each (30) and over the whole mix. Target: under 50 ms p99. A search for a word
 * every contact has ("example", in every email) is timed too and reported apart: it reads every
 * match to sort them, the worst case, not the common one.
 *
 *   npm run bench -- contacts                 100,000 contacts
 *   npm run bench -- contacts --size 20000    a smaller desk (a busy machine)
 */
import { sql } from 'kysely'
import type { AttributeDefinition, ContactListFilter } from '../protocol/index.ts'
import { conversationCounts } from '../db/contact.repository.ts'
import { searchContacts } from '../db/contact-search.repository.ts'
import { createTestDatabase } from '../db/test-databases.ts'
import type { Db } from '../db/database.ts'
import { fmtMs, percentile, printTable, readOptions, writeResults } from './lib/report.ts'
import { SEED_ATTRIBUTES, seedContact, seedContacts } from './tools/seed-contacts.ts'

const options = readOptions()
const argv = process.argv.slice(2)
const sizeArg = argv.indexOf('--size')
const SIZE = sizeArg >= 0 ? Number(argv[sizeArg + 1]) : 100_000
const REPS = options.reps ?? 30
if (!Number.isInteger(SIZE) || SIZE < 1000) throw new Error('--size must be a whole number of contacts, at least 1000')
const WS = 'bench-ws'
const NOW = Date.UTC(2026, 11, 1)
const DEFINITIONS = SEED_ATTRIBUTES.map((a) => ({ ...a, options: [...a.options], createdAt: 0, updatedAt: 0 })) as AttributeDefinition[]

/** One list answer as the route builds it: the page, then its rows' conversation counts. */
async function answer(db: Db, filter: ContactListFilter): Promise<number> {
  const page = await searchContacts(db, WS, { limit: 50, ...filter }, DEFINITIONS)
  await conversationCounts(db, WS, page.items.map((c) => c.id))
  return page.items.length
}

async function deepCursor(db: Db): Promise<string> {
  const row = await db.kysely.selectFrom('contacts').select(['last_seen_at', 'id']).where('workspace_id', '=', WS).where('merged_into', 'is', null)
    .orderBy('last_seen_at', 'desc').orderBy('id', 'desc').offset(Math.floor(SIZE * 0.8)).limit(1).executeTakeFirstOrThrow()
  return Buffer.from(JSON.stringify(['lastSeen', 'desc', row.last_seen_at, row.id])).toString('base64url')
}

const dialects = (['sqlite', 'postgres'] as const).filter((d) => d === 'sqlite' || process.env.TEST_DATABASE_URL)
const rows: Record<string, string | number>[] = []
const results: Record<string, unknown>[] = []
for (const dialect of dialects) {
  const t = await createTestDatabase(dialect)
  try {
    const started = performance.now()
    await t.db.kysely.insertInto('workspaces').values({ id: WS, name: 'Bench desk', ai_settings: '{}', created_at: NOW }).execute()
    const seeded = await seedContacts(t.db, { workspaceId: WS, count: SIZE, now: NOW })
    await sql`analyze`.execute(t.db.kysely)
    console.log(`${dialect}: seeded ${seeded.contacts.toLocaleString('en')} contacts, ${seeded.conversations.toLocaleString('en')} conversations in ${((performance.now() - started) / 1000).toFixed(1)} s`)
    const sample = seedContact(WS, Math.floor(SIZE / 2) - (Math.floor(SIZE / 2) % 6), NOW)
    const mix: Record<string, ContactListFilter> = {
      'list, last seen': {},
      'list, page at 80%': { cursor: await deepCursor(t.db) },
      'list, by name': { sort: 'name' },
      'full name': { q: 'grace hopper' },
      'first name': { q: 'linus' },
      'surname prefix': { q: 'lov' },
      'exact email': { q: sample.email! },
      'company': { q: 'initech' },
      'phone, last digits': { q: sample.phone!.replace(/\D/g, '').slice(-6) },
      'attribute plan=enterprise': { attributes: { plan: 'enterprise' } },
      'attribute seats>=195': { attributes: { seats: '>=195' } },
      'text + attribute, by name': { q: 'initech', attributes: { plan: 'pro' }, sort: 'name' },
    }
    const all: number[] = []
    for (const [label, filter] of Object.entries(mix)) {
      const found = await answer(t.db, filter) // warm
      const ms: number[] = []
      for (let i = 0; i < REPS; i++) { const s = performance.now(); await answer(t.db, filter); ms.push(performance.now() - s) }
      all.push(...ms)
      rows.push({ dialect, search: label, rows: found, 'p50 ms': fmtMs(percentile(ms, 50)), 'p99 ms': fmtMs(percentile(ms, 99)) })
      results.push({ dialect, search: label, rows: found, p50: percentile(ms, 50), p99: percentile(ms, 99) })
    }
    rows.push({ dialect, search: 'ALL OF THE ABOVE', rows: '', 'p50 ms': fmtMs(percentile(all, 50)), 'p99 ms': fmtMs(percentile(all, 99)) })
    results.push({ dialect, search: 'mix', p50: percentile(all, 50), p99: percentile(all, 99) })
    const broad: number[] = []
    await answer(t.db, { q: 'example' })
    for (let i = 0; i < Math.min(REPS, 10); i++) { const s = performance.now(); await answer(t.db, { q: 'example' }); broad.push(performance.now() - s) }
    rows.push({ dialect, search: 'worst case: a word in every contact', rows: 50, 'p50 ms': fmtMs(percentile(broad, 50)), 'p99 ms': fmtMs(percentile(broad, 99)) })
    results.push({ dialect, search: 'every contact matches', p50: percentile(broad, 50), p99: percentile(broad, 99) })
  } finally { await t.dispose() }
}
printTable(`Contact search: ${SIZE.toLocaleString('en')} contacts, one list answer (50 rows and their counts), p50/p99 of ${REPS} runs`, rows)
writeResults('contacts', { size: SIZE, reps: REPS, results })
