/**
 * Search and paging over 100,000 contacts (seeded by bench/tools/seed-contacts.ts, which also
 * says what each contact is, so the expected answers are counted here without the database), on
 * SQLite and, with TEST_DATABASE_URL, PostgreSQL, through the HTTP API the Contacts page uses.
 */
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { testDialects } from '../../db/test-databases.ts'
import { seedContact, seedContacts } from '../../bench/tools/seed-contacts.ts'
import { api, startTestServer, type TestServer } from '../test-kit.ts'

const COUNT = Number(process.env.CONTACTS_SCALE_COUNT ?? 100_000)
const NOW = Date.UTC(2026, 11, 1)

interface Row { id: string; displayName: string; lastSeenAt: number; attributes: Record<string, unknown>; conversationCount: number; openConversations: number }

async function everyPage(t: TestServer, query: string, limit = 200): Promise<Row[]> {
  const out: Row[] = []
  let cursor: string | null = null
  do {
    const r: { status: number; body: { items: Row[]; nextCursor: string | null } } = await api(t.url, 'GET', `/api/contacts?${query}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`, undefined, t.ownerToken)
    assert.is(r.status, 200, JSON.stringify(r.body))
    out.push(...r.body.items)
    cursor = r.body.nextCursor
  } while (cursor)
  return out
}

for (const dialect of testDialects()) {
  test(`${dialect}: search and cursor paging over ${COUNT.toLocaleString('en')} contacts`, async () => {
    const t = await startTestServer({ dialect })
    try {
      let started = performance.now()
      await seedContacts(t.server.services.db, { workspaceId: t.workspaceId, count: COUNT, now: NOW })
      console.log(`  ${dialect}: seeded in ${((performance.now() - started) / 1000).toFixed(1)} s`); started = performance.now()
      const all = Array.from({ length: COUNT }, (_, i) => seedContact(t.workspaceId, i, NOW))

      // Every contact once, newest seen first, 200 a page.
      const pages = await everyPage(t, 'sort=lastSeen')
      console.log(`  ${dialect}: ${COUNT / 200} pages in ${((performance.now() - started) / 1000).toFixed(1)} s`)
      assert.is(pages.length, COUNT)
      assert.is(new Set(pages.map((r) => r.id)).size, COUNT)
      for (let i = 1; i < pages.length; i++) assert.ok(pages[i - 1]!.lastSeenAt >= pages[i]!.lastSeenAt, `order at ${i}`)

      // One person by their email; by a phone's last digits.
      const target = all[12_342]!
      const byEmail = await api(t.url, 'GET', `/api/contacts?q=${encodeURIComponent(target.email!)}`, undefined, t.ownerToken)
      assert.equal(byEmail.body.items.map((r: Row) => r.id), [target.id])
      assert.is(byEmail.body.items[0].conversationCount, 1)
      const byPhone = await api(t.url, 'GET', '/api/contacts?phone=0012342', undefined, t.ownerToken)
      assert.equal(byPhone.body.items.map((r: Row) => r.id), [target.id])

      // A full name: every match, and only matches, across pages.
      const graces = all.filter((c) => c.name === 'Grace Hopper').map((c) => c.id).sort()
      assert.ok(graces.length > 10)
      const found = await everyPage(t, 'q=grace%20hopper', 7)
      assert.equal(found.map((r) => r.id).sort(), graces)

      // An attribute, with full text and a sort by name.
      const expected = all.filter((c) => JSON.parse(c.attributes).plan === 'enterprise' && c.company === 'Initech').length
      const enterprise = await everyPage(t, 'q=initech&attr.plan=enterprise&sort=name')
      assert.is(enterprise.length, expected)
      for (let i = 1; i < enterprise.length; i++) assert.ok(enterprise[i - 1]!.displayName.toLowerCase() <= enterprise[i]!.displayName.toLowerCase())
      assert.ok(enterprise.every((r) => r.attributes.plan === 'enterprise'))
      const bigSeats = all.filter((c) => (JSON.parse(c.attributes).seats as number) >= 195).length
      assert.is((await everyPage(t, 'attr.seats=%3E%3D195')).length, bigSeats)
    } finally { await t.close() }
  })
}

test.run()
