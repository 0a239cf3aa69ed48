/**
 * The GDPR erase, end to end on a real server: after it, no byte of the person's words, name,
 * email or files is left in any storage (the SQLite file and its WAL read raw; every PostgreSQL
 * row), other contacts keep everything, transcripts keep their shape, and a client that was
 * offline during the erase brings nothing back.
 */
import fs from 'node:fs'
import path from 'node:path'
import { sql } from 'kysely'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import * as Y from 'yjs'
import { appendMessage, appendNote, createId, formatConversationName, formatInternalName, getInternalDrafts, parseCloseReason, readMessages, updateMeta, type Message } from '../../protocol/index.ts'
import { testDialects } from '../../db/test-databases.ts'
import { listConversationEvents } from '../../db/conversation-event.repository.ts'
import { api, connectPeer, startTestServer, startVisitorConversation, updateFrame, waitFor, type TestServer } from '../test-kit.ts'

const MARK = `PURPLEPLATYPUS${Math.random().toString(36).slice(2, 8).toUpperCase()}`
const NAME = `Zelda Quixotevna${MARK.slice(-4)}`
const EMAIL = `zelda.${MARK.toLowerCase()}@example.org`
const FILE_MARK = `FILEBYTES${MARK}`
const COMPANY = `Quixcorp${MARK}`
const PHONE = `+49 151 ${String(Math.floor(Math.random() * 1e8)).padStart(8, '7')}`
const KEEP = `OTHERKEEP${Math.random().toString(36).slice(2, 8).toUpperCase()}`

async function upload(t: TestServer, conversationId: string, token: string, body: string): Promise<{ id: string; name: string; contentType: string; size: number; url: string }> {
  const response = await fetch(`${t.url}/api/widget/conversations/${conversationId}/attachments?name=notes.txt`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'text/plain' }, body })
  assert.is(response.status, 200, await response.clone().text())
  return (await response.json()) as { id: string; name: string; contentType: string; size: number; url: string }
}

/** Every stored form of the erased data, as bytes to look for. */
const needles = [MARK, NAME, EMAIL, FILE_MARK, MARK.toLowerCase(), COMPANY.toLowerCase(), PHONE, PHONE.replace(/\D/g, '')].map((s) => Buffer.from(s, 'utf8'))

function sqliteFilesContaining(dataDir: string): string[] {
  const found: string[] = []
  for (const file of fs.readdirSync(dataDir)) {
    if (!file.startsWith('parley.sqlite')) continue
    const bytes = fs.readFileSync(path.join(dataDir, file))
    for (const needle of needles) if (bytes.includes(needle)) found.push(`${file}: ${needle.toString()}`)
  }
  return found
}

function filesContaining(dir: string, needle: Buffer): string[] {
  if (!fs.existsSync(dir)) return []
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name)).filter((file) => fs.readFileSync(file).includes(needle))
}

/** Every row of every table of the test schema that holds one of the needles, as text or bytes. */
async function postgresRowsContaining(t: TestServer, needle: string): Promise<string[]> {
  const db = t.server.services.db.kysely
  const columns = await sql<{ table_name: string; column_name: string; data_type: string }>`
    select table_name, column_name, data_type from information_schema.columns where table_schema = current_schema()`.execute(db)
  const found: string[] = []
  for (const column of columns.rows) {
    const ref = sql.raw(`"${column.table_name}"."${column.column_name}"`)
    const table = sql.raw(`"${column.table_name}"`)
    const condition = column.data_type === 'bytea'
      ? sql`position(convert_to(${needle}, 'UTF8') in ${ref}) > 0`
      : sql`${ref}::text ilike ${'%' + needle + '%'}`
    const hit = await sql<{ n: number }>`select count(*)::int as n from ${table} where ${condition}`.execute(db)
    if ((hit.rows[0]?.n ?? 0) > 0) found.push(`${column.table_name}.${column.column_name}`)
  }
  return found
}

for (const dialect of testDialects()) {
  test(`${dialect}: an erase leaves no byte of the person anywhere, keeps transcripts' shape and other contacts, and an offline client brings nothing back`, async () => {
    // Compacting every few updates: the erased text has been through snapshots and freed log rows before the erase.
    const t = await startTestServer({ dialect, env: { COMPACT_EVERY: '3' } })
    try {
      const victim = await startVisitorConversation(t, NAME, { id: 'victim-msg-1', text: `My order ${MARK} never arrived` })
      await api(t.url, 'POST', `/api/widget/conversations/${victim.conversationId}/contact`, { email: EMAIL }, victim.visitorToken)
      // The rest of the profile an agent keeps: phone, company, notes (each with derived search copies).
      const patched = await api(t.url, 'PATCH', `/api/contacts/${victim.contactId}`, { phone: PHONE, company: COMPANY, notes: `VIP ${MARK}` }, t.ownerToken)
      assert.is(patched.status, 200, JSON.stringify(patched.body))
      const file = await upload(t, victim.conversationId, victim.visitorToken, `${FILE_MARK} secret receipt`)
      for (let i = 2; i <= 6; i++) {
        const sent = await api(t.url, 'POST', `/api/widget/conversations/${victim.conversationId}/messages`, { id: `victim-msg-${i}`, text: `line ${i}: ${MARK} details`, ...(i === 3 ? { attachments: [file] } : {}) }, victim.visitorToken)
        assert.ok(sent.status < 300, JSON.stringify(sent.body))
      }
      const other = await startVisitorConversation(t, 'Otto Other', { id: 'other-msg-1', text: `Keep my words ${KEEP}` })

      // An agent answers, quoting them, notes, drafts, resolves; the customer rates with a comment.
      const me = (await api(t.url, 'GET', '/api/auth/me', undefined, t.ownerToken)).body.agent.id as string
      const name = formatConversationName(victim.conversationId)
      const agent = connectPeer(t.wsUrl, name, t.ownerToken)
      await agent.ready
      const reply: Message = { id: createId('m'), author: { role: 'agent', id: me, name: 'Owner' }, kind: 'message', text: `Hi ${NAME}, about "My order ${MARK} never arrived": on it.`, attachments: [], createdAt: Date.now() }
      appendMessage(agent.doc, reply)
      updateMeta(agent.doc, { status: 'waiting', escalationReason: `${NAME} wants a person`, waitingSince: Date.now(), updatedAt: Date.now() })
      await waitFor(() => agent.provider.unsyncedChanges === 0, 15000, 'the escalation acknowledged')
      await t.server.projection.flush()
      // The inbox is rotated now: its first generation keeps the entry with their name and words.
      assert.ok(await t.server.services.inbox.rotate(t.workspaceId))
      assert.is((await api(t.url, 'POST', `/api/conversations/${victim.conversationId}/take`, {}, t.ownerToken)).body.taken, true)
      updateMeta(agent.doc, { status: 'resolved', updatedAt: Date.now() })
      const notes = connectPeer(t.wsUrl, formatInternalName(victim.conversationId), t.ownerToken)
      await notes.ready
      appendNote(notes.doc, { id: createId('n'), author: { role: 'agent', id: me, name: 'Owner' }, kind: 'note', text: `${NAME} (${EMAIL}) is a regular`, attachments: [], createdAt: Date.now() })
      notes.doc.transact(() => { getInternalDrafts(notes.doc).set(me, new Y.Text(`Dear ${NAME}`)) })
      await waitFor(() => agent.provider.unsyncedChanges === 0 && notes.provider.unsyncedChanges === 0, 15000, 'the agent writes acknowledged')
      const rated = await api(t.url, 'POST', `/api/widget/conversations/${victim.conversationId}/csat`, { rating: 2, comment: `slow ${MARK}` }, victim.visitorToken)
      assert.is(rated.status, 200, JSON.stringify(rated.body))
      await waitFor(() => JSON.stringify(agent.doc.getMap('meta').toJSON()).includes(`slow ${MARK}`), 15000, 'the rating')
      await t.server.projection.flush()
      const before = readMessages(agent.doc)
      assert.ok((await api(t.url, 'GET', `/api/search?q=${MARK}`, undefined, t.ownerToken)).body.items.length > 0, 'searchable before')

      // A second agent's device goes offline holding everything.
      const offline = connectPeer(t.wsUrl, name, t.ownerToken)
      await offline.ready
      const offlineState = Y.encodeStateAsUpdate(offline.doc)
      offline.destroy()
      agent.destroy()
      notes.destroy()

      // Refused: no confirmation, the agent role, another workspace's contact id.
      assert.is((await api(t.url, 'POST', `/api/contacts/${victim.contactId}/erase`, {}, t.ownerToken)).status, 400)
      assert.is((await api(t.url, 'POST', `/api/contacts/${victim.contactId}/erase`, { confirm: 'yes' }, t.ownerToken)).body.error.field, 'confirm')
      await api(t.url, 'POST', '/api/agents', { email: 'a@example.com', name: 'Agent A', role: 'agent', password: 'agent password 1' }, t.ownerToken)
      const agentToken = (await api(t.url, 'POST', '/api/auth/sign-in', { email: 'a@example.com', password: 'agent password 1' })).body.token as string
      assert.is((await api(t.url, 'POST', `/api/contacts/${victim.contactId}/erase`, { confirm: 'erase' }, agentToken)).status, 403)
      assert.is((await api(t.url, 'POST', '/api/contacts/nobody/erase', { confirm: 'erase' }, t.ownerToken)).status, 404)
      assert.ok(dialect === 'postgres' || sqliteFilesContaining(t.dataDir).length > 0, 'the test can see the data before the erase')

      const erased = await api(t.url, 'POST', `/api/contacts/${victim.contactId}/erase`, { confirm: 'erase' }, t.ownerToken)
      assert.is(erased.status, 200, JSON.stringify(erased.body))
      assert.is(erased.body.conversations, 1)
      assert.is(erased.body.messages, 6)

      // The transcript keeps its shape: same ids, same order, placeholders where their words were.
      const transcript = (await api(t.url, 'GET', `/api/conversations/${victim.conversationId}/transcript`, undefined, t.ownerToken)).body
      assert.equal(transcript.messages.map((m: Message) => m.id), before.map((m) => m.id))
      for (const m of transcript.messages as Message[]) {
        if (m.author.role === 'customer') { assert.is(m.text, '[erased]'); assert.equal(m.attachments, []) }
      }
      assert.ok(JSON.stringify(transcript.messages).includes('Hi [erased]'), 'the agent\'s reply keeps its own words')
      assert.not.ok(JSON.stringify(transcript).includes(MARK))
      const profile = (await api(t.url, 'GET', `/api/contacts/${victim.contactId}`, undefined, t.ownerToken)).body
      assert.is(profile.name, '[erased]')
      assert.is(profile.email, null)
      assert.is((await api(t.url, 'GET', `/api/search?q=${MARK}`, undefined, t.ownerToken)).body.items.length, 0)
      assert.is((await api(t.url, 'GET', `/api/widget/conversations/${victim.conversationId}/attachments/${file.id}`, undefined, t.ownerToken)).status, 404)
      // Their widget session is over.
      assert.is((await api(t.url, 'POST', `/api/widget/conversations/${victim.conversationId}/messages`, { id: 'victim-late', text: 'again' }, victim.visitorToken)).status, 401)
      // The other contact keeps everything.
      const kept = await api(t.url, 'GET', `/api/search?q=${KEEP}`, undefined, t.ownerToken)
      assert.equal(kept.body.items.map((m: { conversationId: string }) => m.conversationId), [other.conversationId])
      assert.is((await api(t.url, 'GET', `/api/contacts/${other.contactId}`, undefined, t.ownerToken)).body.name, 'Otto Other')
      // Audited, without the data.
      const log = (await api(t.url, 'GET', `/api/contacts/${victim.contactId}/privacy-log`, undefined, t.ownerToken)).body.items
      assert.equal(log.map((e: { action: string }) => e.action), ['contact-erased'])
      assert.ok((await listConversationEvents(t.server.services.db, victim.conversationId)).some((e) => e.kind === 'erased' && e.actor_id === me))
      assert.not.ok(JSON.stringify(log).includes(MARK))

      // The offline device comes back with its old copy: its sync takes the erase, gives nothing back.
      const returning = new Y.Doc()
      Y.applyUpdate(returning, offlineState)
      assert.ok(JSON.stringify(readMessages(returning)).includes(MARK))
      const back = connectPeer(t.wsUrl, name, t.ownerToken, returning)
      await back.ready
      await waitFor(() => !JSON.stringify(readMessages(back.doc)).includes(MARK), 15000, 'the erase at the returning device')
      // And an update carrying the old content anyway (a client that resends its whole state) is refused unread.
      back.socket.send(updateFrame(name, offlineState))
      assert.is((await waitFor(() => back.closes.map((c) => parseCloseReason(c.reason ?? '')).find(Boolean), 15000, 'the resend refused')).name, 'history-rewrite')
      back.destroy()
      if (dialect === 'postgres') {
        await t.server.projection.flush()
        for (const needle of [MARK, NAME, EMAIL, COMPANY, PHONE]) assert.equal(await postgresRowsContaining(t, needle), [], `no PostgreSQL row holds ${needle}`)
        assert.ok((await postgresRowsContaining(t, KEEP)).includes('messages.text'), 'the other contact\'s words are still stored')
      }
      // Whatever was logged meanwhile is folded again when the documents unload.
      await t.server.close()

      if (dialect === 'sqlite') {
        assert.equal(sqliteFilesContaining(t.dataDir), [], 'no byte of the erased data in the database file or its WAL')
        const keptBytes = fs.readdirSync(t.dataDir).filter((f) => f.startsWith('parley.sqlite')).some((f) => fs.readFileSync(path.join(t.dataDir, f)).includes(Buffer.from(KEEP)))
        assert.ok(keptBytes, 'the other contact\'s words are still stored')
      }
      assert.equal(filesContaining(path.join(t.dataDir, 'attachments'), Buffer.from(FILE_MARK)), [], 'the file is gone from the attachment store')
    } finally {
      await t.close()
    }
  })
}

test.run()
