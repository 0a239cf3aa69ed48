/**
 * The contacts API end to end, on SQLite and (with TEST_DATABASE_URL) PostgreSQL: attribute
 * definitions and their checks, identify with attributes (and an anonymous visitor folded into
 * the identified user, keeping their conversation), edits reaching the conversation's summary,
 * search and paging, merges with conflicting attributes, and two merges at once.
 */
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { readMeta } from '../../protocol/index.ts'
import { testDialects } from '../../db/test-databases.ts'
import { createAgent } from '../../db/agent.repository.ts'
import { createWorkspace } from '../../db/workspace.repository.ts'
import { hashPassword } from '../auth/passwords.ts'
import { signUserId } from '../auth/tokens.ts'
import { api, startTestServer, waitFor, type TestServer } from '../test-kit.ts'

async function widgetSecret(t: TestServer): Promise<string> {
  const widgets = await api(t.url, 'GET', '/api/widgets', undefined, t.ownerToken)
  return widgets.body.items.find((w: { siteKey: string }) => w.siteKey === t.siteKey).secret
}

async function member(t: TestServer, role: 'agent' | 'viewer', email: string): Promise<string> {
  const made = await api(t.url, 'POST', '/api/agents', { email, name: email.split('@')[0], role, password: 'password-for-' + role }, t.ownerToken)
  assert.is(made.status, 201, JSON.stringify(made.body))
  return (await api(t.url, 'POST', '/api/auth/sign-in', { email, password: 'password-for-' + role })).body.token
}

async function defineAttributes(t: TestServer): Promise<void> {
  for (const body of [
    { key: 'plan', label: 'Plan', type: 'list', options: ['free', 'pro', 'enterprise'] },
    { key: 'seats', label: 'Seats', type: 'number' },
    { key: 'renewal', label: 'Renewal', type: 'date' },
    { key: 'beta', label: 'Beta tester', type: 'boolean' },
    { key: 'region', label: 'Region', type: 'text' },
  ]) {
    const r = await api(t.url, 'POST', '/api/contact-attributes', body, t.ownerToken)
    assert.is(r.status, 201, JSON.stringify(r.body))
  }
}

/** A visitor with one conversation and a first message; returns its token and ids. */
async function visitorWithConversation(t: TestServer, text: string, session: Record<string, unknown> = {}) {
  const s = await api(t.url, 'POST', '/api/widget/session', { siteKey: t.siteKey, ...session })
  assert.is(s.status, 200, JSON.stringify(s.body))
  const c = await api(t.url, 'POST', '/api/widget/conversations', { message: { id: `m-${Math.random().toString(36).slice(2, 12)}`, text } }, s.body.token)
  assert.is(c.status, 201, JSON.stringify(c.body))
  return { token: s.body.token as string, contactId: s.body.contact.id as string, conversationId: c.body.id as string }
}

for (const dialect of testDialects()) {
  test(`${dialect}: attribute definitions are checked, admin-only to change, and values are validated naming the field`, async () => {
    const t = await startTestServer({ dialect })
    try {
      const agent = await member(t, 'agent', 'ann@example.com')
      const viewer = await member(t, 'viewer', 'vic@example.com')
      assert.is((await api(t.url, 'POST', '/api/contact-attributes', { key: 'plan', label: 'Plan', type: 'text' }, agent)).status, 403)
      await defineAttributes(t)
      const dup = await api(t.url, 'POST', '/api/contact-attributes', { key: 'plan', label: 'Again', type: 'text' }, t.ownerToken)
      assert.is(dup.status, 409)
      const badType = await api(t.url, 'POST', '/api/contact-attributes', { key: 'x', label: 'X', type: 'colour' }, t.ownerToken)
      assert.is(badType.status, 400); assert.is(badType.body.error.field, 'type')
      const noOptions = await api(t.url, 'POST', '/api/contact-attributes', { key: 'tier', label: 'Tier', type: 'list' }, t.ownerToken)
      assert.is(noOptions.body.error.field, 'options')
      const list = await api(t.url, 'GET', '/api/contact-attributes', undefined, viewer)
      assert.equal(list.body.items.map((d: { key: string }) => d.key), ['plan', 'seats', 'renewal', 'beta', 'region'])

      const created = await api(t.url, 'POST', '/api/contacts', { name: 'Ada Lovelace', email: 'ADA@Example.com', phone: '+44 20 7946 0958', attributes: { plan: 'pro', seats: 12 } }, agent)
      assert.is(created.status, 201, JSON.stringify(created.body))
      assert.is(created.body.email, 'ada@example.com')
      for (const [attributes, field] of [[{ plan: 'gold' }, 'attributes.plan'], [{ seats: 'many' }, 'attributes.seats'], [{ renewal: '2026-02-30' }, 'attributes.renewal'], [{ beta: 'yes' }, 'attributes.beta'], [{ colour: 'red' }, 'attributes.colour']] as const) {
        const r = await api(t.url, 'PATCH', `/api/contacts/${created.body.id}`, { attributes, name: 'Changed' }, agent)
        assert.is(r.status, 400, JSON.stringify(attributes)); assert.is(r.body.error.field, field)
      }
      const bad = await api(t.url, 'PATCH', `/api/contacts/${created.body.id}`, { phone: 'call me' }, agent)
      assert.is(bad.body.error.field, 'phone')
      const unchanged = await api(t.url, 'GET', `/api/contacts/${created.body.id}`, undefined, viewer)
      assert.is(unchanged.body.name, 'Ada Lovelace', 'a refused patch changes nothing')
      assert.is((await api(t.url, 'PATCH', `/api/contacts/${created.body.id}`, { name: 'V' }, viewer)).status, 403)
      const ok = await api(t.url, 'PATCH', `/api/contacts/${created.body.id}`, { attributes: { renewal: '2027-01-31', beta: true, seats: null }, tags: ['vip', 'vip', 'uk'], notes: 'Prefers email' }, agent)
      assert.is(ok.status, 200, JSON.stringify(ok.body))
      assert.equal(ok.body.attributes, { plan: 'pro', renewal: '2027-01-31', beta: true })
      assert.equal(ok.body.tags, ['vip', 'uk'])

      // Another workspace sees none of it.
      const db = t.server.services.db
      await createWorkspace(db, { id: 'ws-b', name: 'B' })
      await createAgent(db, { id: 'agent-b', workspace_id: 'ws-b', email: 'bea@b.example', name: 'Bea', role: 'owner', password_hash: await hashPassword('password-of-bea') })
      const other = (await api(t.url, 'POST', '/api/auth/sign-in', { email: 'bea@b.example', password: 'password-of-bea' })).body.token
      assert.is((await api(t.url, 'GET', `/api/contacts/${created.body.id}`, undefined, other)).status, 404)
      assert.is((await api(t.url, 'GET', '/api/contacts?q=ada', undefined, other)).body.items.length, 0)
      assert.is((await api(t.url, 'PATCH', `/api/contacts/${created.body.id}`, { name: 'Mine' }, other)).status, 404)
      assert.is((await api(t.url, 'GET', '/api/contact-attributes', undefined, other)).body.items.length, 0)
    } finally { await t.close() }
  })

  test(`${dialect}: identify with attributes; an anonymous visitor who identifies keeps their conversation`, async () => {
    const t = await startTestServer({ dialect })
    try {
      await defineAttributes(t)
      const secret = await widgetSecret(t)
      const identity = (userId: string) => ({ userId, userHash: signUserId(secret, userId) })
      // A known user, from an earlier visit on another device.
      const earlier = await visitorWithConversation(t, 'first visit', { ...identity('u-42'), name: 'Grace Hopper', attributes: { plan: 'enterprise', region: 'US' } })
      const stored = await api(t.url, 'GET', `/api/contacts/${earlier.contactId}`, undefined, t.ownerToken)
      assert.equal(stored.body.attributes, { plan: 'enterprise', region: 'US' })
      assert.is(stored.body.externalId, 'u-42')

      const wrongHash = await api(t.url, 'POST', '/api/widget/session', { siteKey: t.siteKey, userId: 'u-42', userHash: signUserId(secret, 'u-43'), attributes: { plan: 'free' } })
      assert.is(wrongHash.status, 403)
      const badAttr = await api(t.url, 'POST', '/api/widget/session', { siteKey: t.siteKey, ...identity('u-42'), attributes: { seats: 'lots' } })
      assert.is(badAttr.status, 400); assert.is(badAttr.body.error.field, 'attributes.seats')

      // Today, anonymously on this device, then the host page calls Parley.identify.
      const anon = await visitorWithConversation(t, 'my invoice is wrong')
      assert.is.not(anon.contactId, earlier.contactId)
      const identified = await api(t.url, 'POST', '/api/widget/session', { siteKey: t.siteKey, resumeToken: anon.token, ...identity('u-42'), email: 'grace@navy.example', attributes: { seats: 30, plan: 'pro' } })
      assert.is(identified.status, 200, JSON.stringify(identified.body))
      assert.is(identified.body.contact.id, earlier.contactId, 'the identified record is kept')
      assert.is(identified.body.contact.mergedFrom, anon.contactId)
      assert.is(identified.body.token, anon.token, 'the widget keeps its session')
      const mine = await api(t.url, 'GET', '/api/widget/conversations', undefined, anon.token)
      assert.equal(mine.body.items.map((c: { id: string }) => c.id).sort(), [earlier.conversationId, anon.conversationId].sort(), 'both conversations are the visitor\'s')
      const sent = await api(t.url, 'POST', `/api/widget/conversations/${anon.conversationId}/messages`, { id: 'm-after-merge-1', text: 'still here' }, anon.token)
      assert.is(sent.status, 201, JSON.stringify(sent.body))

      const contact = await api(t.url, 'GET', `/api/contacts/${earlier.contactId}`, undefined, t.ownerToken)
      assert.equal(contact.body.attributes, { plan: 'pro', region: 'US', seats: 30 })
      assert.is(contact.body.email, 'grace@navy.example')
      assert.is(contact.body.conversationCount, 2)
      assert.is(contact.body.conversations[0].id, anon.conversationId, 'newest first')
      const gone = await api(t.url, 'GET', `/api/contacts/${anon.contactId}`, undefined, t.ownerToken)
      assert.is(gone.body.id, earlier.contactId, 'the old id leads to the merged record')
      // The conversation's summary (inbox row, customer panel) names the person now.
      const meta = await t.server.services.conversations.change(anon.conversationId, (doc) => readMeta(doc))
      assert.is(meta.contact?.id, earlier.contactId)
      assert.is(meta.contact?.name, 'Grace Hopper')
      await waitFor(async () => (await t.server.services.db.kysely.selectFrom('conversations').select('contact_id').where('id', '=', anon.conversationId).executeTakeFirst())?.contact_id === earlier.contactId)
      const merges = await api(t.url, 'GET', `/api/contacts/${earlier.contactId}/merges`, undefined, t.ownerToken)
      assert.is(merges.body.items.length, 1); assert.is(merges.body.items[0].actorId, null)

      // A first-time user identifying from an anonymous session: the record becomes theirs.
      const fresh = await visitorWithConversation(t, 'hello')
      const upgraded = await api(t.url, 'POST', '/api/widget/session', { siteKey: t.siteKey, resumeToken: fresh.token, ...identity('u-77'), name: 'Alan' })
      assert.is(upgraded.body.contact.id, fresh.contactId)
      assert.is(upgraded.body.token, fresh.token)
    } finally { await t.close() }
  })

  test(`${dialect}: an agent's edit shows on the conversation; search by text, field, phone suffix and attribute; cursor paging`, async () => {
    const t = await startTestServer({ dialect })
    try {
      await defineAttributes(t)
      const v = await visitorWithConversation(t, 'where is my parcel')
      const before = await api(t.url, 'GET', '/api/contacts', undefined, t.ownerToken)
      const anonymousRow = before.body.items.find((c: { id: string }) => c.id === v.contactId)
      assert.match(anonymousRow.displayName, /^Visitor #\d{4}$/)
      const byVisitorNumber = await api(t.url, 'GET', `/api/contacts?q=${encodeURIComponent(anonymousRow.displayName)}`, undefined, t.ownerToken)
      assert.equal(byVisitorNumber.body.items.map((c: { id: string }) => c.id), [v.contactId])
      const edited = await api(t.url, 'PATCH', `/api/contacts/${v.contactId}`, { name: 'Linus Parcel', phone: '+1 (555) 010-4242', company: 'Acme Ltd', attributes: { plan: 'pro', seats: 5 } }, t.ownerToken)
      assert.is(edited.status, 200)
      assert.is(edited.body.displayName, 'Linus Parcel')
      const meta = await t.server.services.conversations.change(v.conversationId, (doc) => readMeta(doc))
      assert.is(meta.contact?.name, 'Linus Parcel')
      await waitFor(async () => {
        const inbox = await api(t.url, 'GET', `/api/conversations/${v.conversationId}`, undefined, t.ownerToken)
        return inbox.body.contact?.displayName === 'Linus Parcel'
      })
      for (let i = 0; i < 7; i++) await api(t.url, 'POST', '/api/contacts', { name: `Other ${i}`, email: `other${i}@example.org`, attributes: { plan: i % 2 ? 'free' : 'pro', seats: i } }, t.ownerToken)
      const ids = (path: string) => api(t.url, 'GET', path, undefined, t.ownerToken).then((r) => { assert.is(r.status, 200, `${path}: ${JSON.stringify(r.body)}`); return r.body.items.map((c: { displayName: string }) => c.displayName) as string[] })
      assert.equal(await ids('/api/contacts?q=linus'), ['Linus Parcel'])
      assert.equal(await ids('/api/contacts?q=acme'), ['Linus Parcel'])
      assert.equal(await ids('/api/contacts?q=0104242'), ['Linus Parcel'], 'trailing digits of the phone')
      assert.equal(await ids('/api/contacts?phone=4242'), ['Linus Parcel'])
      assert.equal(await ids('/api/contacts?email=other3'), ['Other 3'])
      assert.equal(await ids('/api/contacts?q=other%20example&attr.plan=pro&sort=name'), ['Other 0', 'Other 2', 'Other 4', 'Other 6'])
      assert.equal(await ids('/api/contacts?attr.seats=%3E%3D5&sort=name'), ['Linus Parcel', 'Other 5', 'Other 6'])
      const badFilter = await api(t.url, 'GET', '/api/contacts?attr.seats=lots', undefined, t.ownerToken)
      assert.is(badFilter.status, 400); assert.is(badFilter.body.error.field, 'attr.seats')
      assert.is((await api(t.url, 'GET', '/api/contacts?sort=age', undefined, t.ownerToken)).body.error.field, 'sort')
      assert.is((await api(t.url, 'GET', '/api/contacts?cursor=nonsense', undefined, t.ownerToken)).body.error.field, 'cursor')
      // Paging by name, three at a time, visits every contact once, in order.
      const seen: string[] = []
      let cursor: string | null = null
      do {
        const page: { body: { items: { displayName: string }[]; nextCursor: string | null } } = await api(t.url, 'GET', `/api/contacts?sort=name&limit=3${cursor ? `&cursor=${cursor}` : ''}`, undefined, t.ownerToken)
        seen.push(...page.body.items.map((c) => c.displayName))
        cursor = page.body.nextCursor
      } while (cursor)
      assert.is(seen.length, 8)
      assert.equal(seen, [...seen].sort((a, b) => a.toLowerCase() < b.toLowerCase() ? -1 : 1))
      const history = await api(t.url, 'GET', `/api/contacts/${v.contactId}/conversations`, undefined, t.ownerToken)
      assert.equal(history.body.items.map((c: { id: string; status: string }) => c.id), [v.conversationId])
    } finally { await t.close() }
  })

  test(`${dialect}: a rename reaches every conversation of a long-standing customer, the oldest too`, async () => {
    const t = await startTestServer({ dialect })
    try {
      const contact = await api(t.url, 'POST', '/api/contacts', { name: 'Old Name', email: 'long@example.org' }, t.ownerToken)
      assert.is(contact.status, 201, JSON.stringify(contact.body))
      const ids: string[] = []
      for (let i = 0; i < 62; i++) {
        const c = await api(t.url, 'POST', '/api/conversations', { id: `history-${String(i).padStart(4, '0')}`, contactId: contact.body.id, subject: `Order ${i}` }, t.ownerToken)
        assert.is(c.status, 201, JSON.stringify(c.body))
        ids.push(c.body.id)
      }
      const nameOf = (id: string) => t.server.services.conversations.change(id, (doc) => readMeta(doc).contact?.name)
      assert.is(await nameOf(ids[0]!), 'Old Name')
      const renamed = await api(t.url, 'PATCH', `/api/contacts/${contact.body.id}`, { name: 'New Name' }, t.ownerToken)
      assert.is(renamed.status, 200)
      // More than the 50 written before the answer: the rest follow in the background.
      await waitFor(async () => {
        for (const id of ids) if ((await nameOf(id)) !== 'New Name') return false
        return true
      }, 30_000, 'every conversation shows the new name')
    } finally {
      await t.close()
    }
  })

  test(`${dialect}: merging contacts with conflicting attributes asks for each conflict, moves conversations and sessions, is audited and idempotent`, async () => {
    const t = await startTestServer({ dialect })
    try {
      await defineAttributes(t)
      const agent = await member(t, 'agent', 'ann@example.com')
      const a = await visitorWithConversation(t, 'from the phone', { name: 'Sam', email: 'sam@old.example' })
      const b = await visitorWithConversation(t, 'from the laptop', { name: 'Samantha Doe' })
      await api(t.url, 'PATCH', `/api/contacts/${a.contactId}`, { attributes: { plan: 'free', region: 'EU', seats: 1 }, tags: ['mobile'], phone: '+49 30 1234567' }, agent)
      await api(t.url, 'PATCH', `/api/contacts/${b.contactId}`, { attributes: { plan: 'pro', region: 'EU', beta: true }, tags: ['desktop'] }, agent)

      const preview = await api(t.url, 'GET', `/api/contacts/${b.contactId}/merge-preview?sourceId=${a.contactId}`, undefined, agent)
      assert.equal(preview.body.conflicts, [{ field: 'name', source: 'Sam', target: 'Samantha Doe' }, { field: 'attributes.plan', source: 'free', target: 'pro' }])
      const unconfirmed = await api(t.url, 'POST', `/api/contacts/${b.contactId}/merge`, { sourceId: a.contactId, resolution: { name: 'target' } }, agent)
      assert.is(unconfirmed.status, 409); assert.is(unconfirmed.body.error.field, 'resolution.attributes.plan')
      assert.is((await api(t.url, 'GET', `/api/contacts/${a.contactId}`, undefined, agent)).body.id, a.contactId, 'a refused merge changes nothing')
      const bogus = await api(t.url, 'POST', `/api/contacts/${b.contactId}/merge`, { sourceId: a.contactId, resolution: { name: 'target', 'attributes.plan': 'source', email: 'source' } }, agent)
      assert.is(bogus.status, 400); assert.is(bogus.body.error.field, 'resolution.email')
      const resolution = { name: 'target', 'attributes.plan': 'source' }
      const merged = await api(t.url, 'POST', `/api/contacts/${b.contactId}/merge`, { sourceId: a.contactId, resolution }, agent)
      assert.is(merged.status, 200, JSON.stringify(merged.body))
      assert.is(merged.body.alreadyMerged, false)
      const c = merged.body.contact
      assert.is(c.name, 'Samantha Doe'); assert.is(c.email, 'sam@old.example'); assert.is(c.phone, '+49 30 1234567')
      assert.equal(c.attributes, { plan: 'free', region: 'EU', seats: 1, beta: true })
      assert.equal(c.tags.sort(), ['desktop', 'mobile'])
      assert.is(c.conversationCount, 2)
      // The visitor of the merged-away record still has their conversation in their widget.
      const widgetList = await api(t.url, 'GET', '/api/widget/conversations', undefined, a.token)
      assert.ok(widgetList.body.items.some((x: { id: string }) => x.id === a.conversationId))
      const again = await api(t.url, 'POST', `/api/contacts/${b.contactId}/merge`, { sourceId: a.contactId, resolution }, agent)
      assert.is(again.status, 200); assert.is(again.body.alreadyMerged, true); assert.is(again.body.contact.conversationCount, 2)
      const list = await api(t.url, 'GET', '/api/contacts?q=sam', undefined, agent)
      assert.equal(list.body.items.map((x: { id: string }) => x.id), [b.contactId], 'the merged-away record is not listed')
      const audit = await api(t.url, 'GET', `/api/contacts/${b.contactId}/merges`, undefined, agent)
      assert.is(audit.body.items.length, 1)
      assert.equal(audit.body.items[0].resolution, resolution)
      const events = await t.server.services.db.kysely.selectFrom('conversation_events').selectAll().where('kind', '=', 'contact_merged').execute()
      assert.equal(events.map((e) => e.conversation_id), [a.conversationId])
      assert.ok(events[0]!.actor_id)
      const crossing = await api(t.url, 'POST', `/api/contacts/${a.contactId}/merge`, { sourceId: b.contactId }, agent)
      assert.is(crossing.status, 409)
    } finally { await t.close() }
  })

  test(`${dialect}: two agents merging at once: the same merge happens once; crossing merges leave one winner and no cycle`, async () => {
    const t = await startTestServer({ dialect })
    try {
      const agent = await member(t, 'agent', 'ann@example.com')
      for (let round = 0; round < 3; round++) {
        const a = await visitorWithConversation(t, `a ${round}`, { email: `a${round}@example.com` })
        const b = await visitorWithConversation(t, `b ${round}`, { email: `b${round}@example.com` })
        const resolution = { email: 'target' }
        const same = await Promise.all([0, 1, 2].map(() => api(t.url, 'POST', `/api/contacts/${b.contactId}/merge`, { sourceId: a.contactId, resolution }, round % 2 ? agent : t.ownerToken)))
        assert.equal(same.map((r) => r.status), [200, 200, 200], JSON.stringify(same.map((r) => r.body)))
        assert.is(same.filter((r) => !r.body.alreadyMerged).length, 1)
        const rows = await t.server.services.db.kysely.selectFrom('contact_merges').selectAll().where('source_id', '=', a.contactId).execute()
        assert.is(rows.length, 1)

        const c = await visitorWithConversation(t, `c ${round}`, { email: `c${round}@example.com` })
        const d = await visitorWithConversation(t, `d ${round}`, { email: `d${round}@example.com` })
        const crossing = await Promise.all([
          api(t.url, 'POST', `/api/contacts/${d.contactId}/merge`, { sourceId: c.contactId, resolution }, agent),
          api(t.url, 'POST', `/api/contacts/${c.contactId}/merge`, { sourceId: d.contactId, resolution }, t.ownerToken),
        ])
        assert.equal(crossing.map((r) => r.status).sort(), [200, 409], JSON.stringify(crossing.map((r) => r.body)))
        const both = await t.server.services.db.kysely.selectFrom('contacts').select(['id', 'merged_into']).where('id', 'in', [c.contactId, d.contactId]).execute()
        assert.is(both.filter((x) => x.merged_into === null).length, 1, 'exactly one survives')
        const survivor = both.find((x) => x.merged_into === null)!.id
        const owners = await t.server.services.db.kysely.selectFrom('conversations').select('contact_id').where('id', 'in', [c.conversationId, d.conversationId]).execute()
        assert.equal(owners.map((o) => o.contact_id), [survivor, survivor])
      }
    } finally { await t.close() }
  })
}

test.run()
