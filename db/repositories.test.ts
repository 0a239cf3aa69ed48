import { test } from 'uvu'
import * as assert from 'uvu/assert'
import * as Y from 'yjs'
import { createAgent, findAgentByEmail, listAgents, updateAgent } from './agent.repository.ts'
import { createArticle, searchArticles } from './article.repository.ts'
import { createCannedResponse, listCannedResponses } from './canned-response.repository.ts'
import { createContact, findContactByExternalId } from './contact.repository.ts'
import { getConversation, insertConversation, listConversations, updateConversation } from './conversation.repository.ts'
import { appendUpdates, compactDocument, countLoggedUpdates, loadStoredDocument } from './doc-log.repository.ts'
import { knownMigrations, migrateToLatest } from './migrate.ts'
import { insertMessages, listMessages, searchMessages } from './message.repository.ts'
import { createSession, findSession, revokeSession } from './session.repository.ts'
import { createTestDatabase, testDialects } from './test-databases.ts'
import { createWidget, getWidgetBySiteKey } from './widget.repository.ts'
import { createWorkspace } from './workspace.repository.ts'
import type { MessageRow } from './tables.ts'

const NASTY = `Robert'); DROP TABLE messages;-- <script>alert("x")</script> & ü`

for (const dialect of testDialects()) {
  test(`${dialect}: migrations run, and running them again changes nothing`, async () => {
    const t = await createTestDatabase(dialect, false)
    try {
      const first = await migrateToLatest(t.db)
      // Every migration this build knows, in the order of their timestamps (the file names).
      assert.equal(first, knownMigrations())
      assert.equal(first, [...first].sort())
      assert.is(first[0], '2026-11-26T0100-initial')
      assert.ok(first.includes('2026-12-02T0800-inbox-generation'))
      assert.ok(first.includes('2026-12-02T0300-privacy'))
      assert.ok(first.includes('2026-12-02T0700-article-source'))
      assert.ok(first.includes('2026-12-02T0400-accounts-and-email'))
      assert.ok(first.includes('2026-12-02T0502-api-actions'))
      assert.ok(first.includes('2026-12-02T0100-routing'))
      assert.equal(await migrateToLatest(t.db), [])
    } finally { await t.dispose() }
  })

  test(`${dialect}: agents, sessions, widgets and contacts round-trip; strings come back unchanged`, async () => {
    const t = await createTestDatabase(dialect)
    const db = t.db
    try {
      await createWorkspace(db, { id: 'w1', name: NASTY })
      await createAgent(db, { id: 'a1', workspace_id: 'w1', email: 'ann@example.com', name: NASTY, role: 'owner', password_hash: 'x' })
      const ann = await findAgentByEmail(db, 'ANN@example.com')
      assert.is(ann?.name, NASTY)
      await updateAgent(db, 'a1', { role: 'admin', active: 0 })
      assert.equal((await listAgents(db, 'w1')).map((a) => [a.role, a.active]), [['admin', 0]])

      await createSession(db, { token_hash: 'h1', kind: 'agent', workspace_id: 'w1', agent_id: 'a1', contact_id: null, expires_at: Date.now() + 1000 })
      assert.is((await findSession(db, 'h1'))?.revoked_at, null)
      await revokeSession(db, 'h1')
      assert.ok((await findSession(db, 'h1'))?.revoked_at)

      await createWidget(db, { id: 'wg1', workspace_id: 'w1', site_key: 'site_key_1', name: 'Main', config: '{}', secret: 's' })
      assert.is((await getWidgetBySiteKey(db, 'site_key_1'))?.id, 'wg1')
      await createContact(db, { id: 'c1', workspace_id: 'w1', name: NASTY, email: null, external_id: 'user-9', fields: '{}' })
      assert.is((await findContactByExternalId(db, 'w1', 'user-9'))?.name, NASTY)
    } finally { await t.dispose() }
  })

  test(`${dialect}: conversations filter, paginate by cursor, and are found by full-text search`, async () => {
    const t = await createTestDatabase(dialect)
    const db = t.db
    try {
      await createWorkspace(db, { id: 'w1', name: 'W' })
      await createContact(db, { id: 'c1', workspace_id: 'w1', name: 'C', email: null, external_id: null, fields: '{}' })
      for (let i = 0; i < 7; i++) {
        await insertConversation(db, {
          id: `conv${i}`, workspace_id: 'w1', contact_id: 'c1', widget_id: null, status: i % 2 ? 'open' : 'waiting', priority: 'normal',
          assignee_id: i === 3 ? 'a1' : null, subject: '', preview: '', labels: '[]', category: null, sentiment: null, language: null,
          escalation_reason: null, csat_rating: null, csat_comment: null, message_count: 0, waiting_since: null,
          created_at: 1000 + i, updated_at: 1000 + i, last_activity_at: 1000 + i,
        })
      }
      const seen: string[] = []
      let cursor: string | undefined
      do {
        const page = await listConversations(db, { workspaceId: 'w1', limit: 3, ...(cursor ? { cursor } : {}) })
        seen.push(...page.items.map((c) => c.id))
        cursor = page.nextCursor ?? undefined
      } while (cursor)
      assert.equal(seen, ['conv6', 'conv5', 'conv4', 'conv3', 'conv2', 'conv1', 'conv0'])
      assert.equal((await listConversations(db, { workspaceId: 'w1', status: 'open' })).items.map((c) => c.id), ['conv5', 'conv3', 'conv1'])
      assert.equal((await listConversations(db, { workspaceId: 'w1', assignee: 'a1' })).items.map((c) => c.id), ['conv3'])
      assert.is((await listConversations(db, { workspaceId: 'other' })).items.length, 0)

      const row = (id: string, text: string, seq: number): MessageRow => ({ conversation_id: 'conv2', id, workspace_id: 'w1', seq, author_role: 'customer', author_id: 'c1', author_name: 'C', kind: 'message', text, attachments: '[]', created_at: seq })
      await insertMessages(db, [row('m1', 'My invoice is wrong', 1), row('m2', NASTY, 2)])
      await insertMessages(db, [row('m1', 'My invoice is wrong', 1)])
      assert.equal((await listMessages(db, 'conv2')).map((m) => m.text), ['My invoice is wrong', NASTY])
      assert.equal((await searchMessages(db, 'w1', 'invoice')).map((m) => m.id), ['m1'])
      assert.equal((await searchMessages(db, 'w1', 'DROP TABLE')).map((m) => m.id), ['m2'])
      assert.equal((await searchMessages(db, 'w1', '"; OR 1=1 --')).length, 0)
      assert.equal((await listConversations(db, { workspaceId: 'w1', q: 'invoic' })).items.map((c) => c.id), ['conv2'])
      await updateConversation(db, 'conv2', { status: 'resolved', csat_rating: 5 })
      assert.is((await getConversation(db, 'conv2'))?.csat_rating, 5)
    } finally { await t.dispose() }
  })

  test(`${dialect}: the update log appends in order, and compaction swaps log rows for one snapshot atomically`, async () => {
    const t = await createTestDatabase(dialect)
    const db = t.db
    try {
      const doc = new Y.Doc()
      const updates: Uint8Array[] = []
      doc.on('update', (u: Uint8Array) => updates.push(u))
      for (let i = 0; i < 20; i++) doc.getArray('a').push([i])
      const ids = await appendUpdates(db, updates.map((data) => ({ docName: 'd1', data })))
      assert.is(ids.length, 20)
      assert.ok(ids.every((id, i) => i === 0 || id > (ids[i - 1] as number)))
      await appendUpdates(db, [{ docName: 'd2', data: updates[0] as Uint8Array }])

      const stored = await loadStoredDocument(db, 'd1')
      const copy = new Y.Doc()
      for (const u of stored.updates) Y.applyUpdate(copy, u.data)
      assert.equal(copy.getArray('a').toArray(), doc.getArray('a').toArray())

      const result = await compactDocument(db, 'd1', (s) => Y.mergeUpdates(s.updates.map((u) => u.data)))
      assert.equal(result, { version: 1, removed: 20 })
      const after = await loadStoredDocument(db, 'd1')
      assert.is(after.updates.length, 0)
      const fromSnapshot = new Y.Doc()
      Y.applyUpdate(fromSnapshot, after.snapshot!.data)
      assert.equal(fromSnapshot.getArray('a').toArray(), doc.getArray('a').toArray())
      assert.is(await countLoggedUpdates(db), 1)

      // A merge that throws leaves both the log and the old snapshot as they were.
      await appendUpdates(db, [{ docName: 'd1', data: updates[0] as Uint8Array }])
      await compactDocument(db, 'd1', () => { throw new Error('boom') }).catch(() => {})
      const kept = await loadStoredDocument(db, 'd1')
      assert.is(kept.updates.length, 1)
      assert.is(kept.snapshot?.version, 1)
    } finally { await t.dispose() }
  })

  test(`${dialect}: knowledge-base search ranks the article about the words asked`, async () => {
    const t = await createTestDatabase(dialect)
    const db = t.db
    try {
      await createWorkspace(db, { id: 'w1', name: 'W' })
      await createArticle(db, { id: 'reset', workspace_id: 'w1', title: 'Reset your password', body: 'Click forgot password on the sign-in page.', tags: '[]' })
      await createArticle(db, { id: 'billing', workspace_id: 'w1', title: 'Billing and invoices', body: 'Download invoices from the billing page.', tags: '[]' })
      const hits = await searchArticles(db, 'w1', 'how do I reset my password?')
      assert.is(hits[0]?.article.id, 'reset')
      assert.ok((hits[0]?.score ?? 0) > 0)
      assert.is((await searchArticles(db, 'w2', 'password')).length, 0)
      await createCannedResponse(db, { id: 'k1', workspace_id: 'w1', shortcut: 'thanks', title: 'Thanks', body: NASTY })
      assert.is((await listCannedResponses(db, 'w1'))[0]?.body, NASTY)
    } finally { await t.dispose() }
  })
}

test.run()
