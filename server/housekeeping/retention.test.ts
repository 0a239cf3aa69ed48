/**
 * Retention end to end on a real server, on each database: a resolved conversation past the
 * workspace's window is erased from its documents, the update log, the snapshots, the projection,
 * the search index and the attachment store; a newer resolved one and an old open one keep
 * everything. A run is audited, idempotent, and of two at once only one erases.
 */
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import * as Y from 'yjs'
import { ERASED_PLACEHOLDER, formatConversationName, formatInternalName, getMessages, getNotes } from '../../protocol/index.ts'
import { loadStoredDocument } from '../../db/doc-log.repository.ts'
import { listConversationEvents } from '../../db/conversation-event.repository.ts'
import { testDialects } from '../../db/test-databases.ts'
import { api, startTestServer, startVisitorConversation, type TestServer } from '../test-kit.ts'
import { runHousekeeping } from './housekeeping.ts'
import { runRetention } from './retention.ts'

const DAY = 24 * 3600_000
const word = (tag: string) => `${tag}${Math.random().toString(36).slice(2, 8).toUpperCase()}`

/** A conversation with a customer message, an agent reply, a note and a file, each carrying `mark`. */
async function conversationWith(t: TestServer, mark: string, resolve: boolean) {
  const c = await startVisitorConversation(t, `Visitor ${mark}`, { id: `${mark}-m1`.toLowerCase(), text: `my words ${mark}` })
  const upload = await fetch(`${t.url}/api/widget/conversations/${c.conversationId}/attachments?name=f.txt`, { method: 'POST', headers: { authorization: `Bearer ${c.visitorToken}`, 'content-type': 'text/plain' }, body: `file ${mark}` })
  assert.is(upload.status, 200)
  const file = await upload.json()
  assert.is((await api(t.url, 'POST', `/api/widget/conversations/${c.conversationId}/messages`, { id: `${mark}-m2`.toLowerCase(), text: `the file ${mark}`, attachments: [file] }, c.visitorToken)).status, 201)
  const reply = await api(t.url, 'POST', `/api/conversations/${c.conversationId}/messages`, { id: `${mark}-r1`.toLowerCase(), text: `agent answer ${mark}` }, t.ownerToken)
  assert.is(reply.status, 201, JSON.stringify(reply.body))
  assert.is((await api(t.url, 'POST', `/api/conversations/${c.conversationId}/messages`, { id: `${mark}-n1`.toLowerCase(), text: `note ${mark}`, kind: 'note' }, t.ownerToken)).status, 201)
  if (resolve) assert.is((await api(t.url, 'POST', `/api/conversations/${c.conversationId}/resolve`, { id: `${mark}-res`.toLowerCase() }, t.ownerToken)).status, 200)
  return { ...c, mark, fileKey: `${c.conversationId}/${file.id}` }
}

/** Every stored byte of a document (snapshot and log rows) as one buffer, and the document they make. */
async function stored(t: TestServer, name: string): Promise<{ bytes: Buffer; doc: Y.Doc }> {
  const { snapshot, updates } = await loadStoredDocument(t.server.services.db, name)
  const parts = [...(snapshot ? [snapshot.data] : []), ...updates.map((u) => u.data)]
  const doc = new Y.Doc()
  for (const part of parts) Y.applyUpdate(doc, part)
  return { bytes: Buffer.concat(parts.map((p) => Buffer.from(p))), doc }
}

const searchHits = async (t: TestServer, q: string): Promise<number> => (await api(t.url, 'GET', `/api/search?q=${q}`, undefined, t.ownerToken)).body.items.length

for (const dialect of testDialects()) {
  test(`${dialect}: retention erases resolved conversations past the window everywhere, and leaves newer and open ones`, async () => {
    const t = await startTestServer({ dialect })
    try {
      const { services } = t.server
      // The API: off by default, owners and admins set it, bad input is a 400 naming the field.
      assert.equal((await api(t.url, 'GET', '/api/settings/retention', undefined, t.ownerToken)).body, { days: null })
      for (const bad of [{ days: 0 }, { days: 2.5 }, { days: '30' }, { days: 4000 }, {}]) {
        const refused = await api(t.url, 'PUT', '/api/settings/retention', bad, t.ownerToken)
        assert.is(refused.status, 400, JSON.stringify(bad))
        assert.match(JSON.stringify(refused.body), /days/)
      }
      assert.is((await api(t.url, 'PUT', '/api/settings/retention', { days: 30 }, 'not-a-token')).status, 401)

      const old = await conversationWith(t, word('OLDRESOLVED'), true)
      const recent = await conversationWith(t, word('NEWRESOLVED'), true)
      const open = await conversationWith(t, word('OLDOPEN'), false)
      await t.server.projection.flush()
      // Forty days ago: the old ones' last activity (the projection's column retention reads).
      await services.db.kysely.updateTable('conversations').set({ last_activity_at: Date.now() - 40 * DAY }).where('id', 'in', [old.conversationId, open.conversationId]).execute()
      for (const c of [old, recent, open]) assert.ok(await searchHits(t, c.mark) > 0, `${c.mark} searchable before`)

      // Off: housekeeping erases nothing.
      assert.is((await runHousekeeping({ ...services, erase: { durability: t.server.durability, projection: t.server.projection } })).conversationsErased, 0)
      const set = await api(t.url, 'PUT', '/api/settings/retention', { days: 30 }, t.ownerToken)
      assert.equal([set.status, set.body], [200, { days: 30 }])

      // Two instances' housekeeping at once: one claims the workspace, the other skips it; each logs its run.
      const deps = { ...services, durability: t.server.durability, projection: t.server.projection }
      const lines: Record<string, unknown>[] = []
      const log = { ...services.log, info: (msg: string, fields?: Record<string, unknown>) => { lines.push({ msg, ...fields }) } }
      const runs = await Promise.all([runHousekeeping({ ...services, log, erase: deps }), runHousekeeping({ ...services, log, erase: deps })])
      assert.is(runs[0].conversationsErased + runs[1].conversationsErased, 1)
      assert.equal(lines.filter((l) => l.msg === 'housekeeping').length, 2)
      assert.equal(lines.filter((l) => l.msg === 'retention').map((l) => [l.workspaceId, l.days, l.conversations]), [[t.workspaceId, 30, 1]], 'one instance ran the workspace\'s retention')

      // Gone: documents (snapshot and log), projection, search, files.
      for (const name of [formatConversationName(old.conversationId), formatInternalName(old.conversationId)]) {
        const { bytes, doc } = await stored(t, name)
        assert.not.ok(bytes.includes(Buffer.from(old.mark)), `${name}: no byte of the words in the snapshot or the update log`)
        for (const m of [...getMessages(doc).toArray(), ...getNotes(doc).toArray()]) assert.equal([m.text, m.attachments], [ERASED_PLACEHOLDER, []])
      }
      const live = await services.hocuspocus.openDirectConnection(formatConversationName(old.conversationId), {})
      await live.transact((doc) => { assert.ok(getMessages(doc).length >= 3, 'the transcript keeps its shape'); assert.not.ok(JSON.stringify(doc.toJSON()).includes(old.mark)) })
      await live.disconnect()
      const rows = await services.db.kysely.selectFrom('messages').select(['text', 'author_name', 'attachments']).where('conversation_id', '=', old.conversationId).execute()
      assert.ok(rows.length >= 3)
      for (const row of rows) assert.equal(row, { text: ERASED_PLACEHOLDER, author_name: ERASED_PLACEHOLDER, attachments: '[]' })
      const row = await services.db.kysely.selectFrom('conversations').selectAll().where('id', '=', old.conversationId).executeTakeFirstOrThrow()
      assert.is(row.preview, ERASED_PLACEHOLDER)
      assert.ok(row.retention_erased_at)
      assert.is(row.status, 'resolved')
      assert.is(await searchHits(t, old.mark), 0, 'not found by search')
      assert.is(await services.attachments.get(old.fileKey), null)
      assert.ok((await listConversationEvents(services.db, old.conversationId)).some((e) => e.kind === 'erased' && e.reason === 'retention'))
      const audit = await services.db.kysely.selectFrom('privacy_audit').selectAll().where('workspace_id', '=', t.workspaceId).where('action', '=', 'retention-erased').execute()
      assert.is(audit.length, 1)
      assert.equal(JSON.parse(audit[0]!.detail).conversations, [old.conversationId])

      // Kept: the newer resolved one and the old open one, everywhere.
      for (const c of [recent, open]) {
        assert.ok(await searchHits(t, c.mark) > 0, `${c.mark} still found`)
        assert.ok((await stored(t, formatConversationName(c.conversationId))).bytes.includes(Buffer.from(c.mark)), `${c.mark} still in its document`)
        assert.ok((await stored(t, formatInternalName(c.conversationId))).bytes.includes(Buffer.from(c.mark)), `${c.mark} note kept`)
        assert.ok(await services.attachments.get(c.fileKey), `${c.mark} file kept`)
        const texts = (await services.db.kysely.selectFrom('messages').select('text').where('conversation_id', '=', c.conversationId).execute()).map((r) => r.text)
        assert.ok(texts.includes(`my words ${c.mark}`) && texts.includes(`agent answer ${c.mark}`))
      }

      // Idempotent: the next run finds nothing more to erase and audits nothing.
      assert.is((await runRetention(deps)).conversationsErased, 0)
      assert.is((await services.db.kysely.selectFrom('privacy_audit').select('id').where('action', '=', 'retention-erased').execute()).length, 1)
      const changed = await services.db.kysely.selectFrom('privacy_audit').select('detail').where('action', '=', 'retention-changed').execute()
      assert.equal(changed.map((r) => JSON.parse(r.detail)), [{ from: null, to: 30 }])
    } finally { await t.close() }
  })
}

test.run()
