import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { findAccountToken, insertAccountToken } from '../../db/account-token.repository.ts'
import { createSession, findSession } from '../../db/session.repository.ts'
import { testDialects } from '../../db/test-databases.ts'
import { hashToken } from '../auth/tokens.ts'
import { api, startTestServer, startVisitorConversation, waitFor, type TestServer } from '../test-kit.ts'
import { runHousekeeping, startHousekeeping } from './housekeeping.ts'

const HOUR = 3600_000

async function upload(t: TestServer, conversationId: string, token: string, name: string, bytes: string): Promise<{ id: string }> {
  const response = await fetch(`${t.url}/api/widget/conversations/${conversationId}/attachments?name=${name}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'text/plain' }, body: bytes })
  assert.is(response.status, 200)
  return response.json()
}

const download = (t: TestServer, conversationId: string, id: string, token: string) =>
  fetch(`${t.url}/api/widget/conversations/${conversationId}/attachments/${id}`, { headers: { authorization: `Bearer ${token}` } })

async function expiredSession(t: TestServer, tokenHash: string): Promise<void> {
  await createSession(t.server.services.db, { token_hash: tokenHash, kind: 'agent', workspace_id: t.workspaceId, agent_id: null, contact_id: null, expires_at: Date.now() - 1000 })
}

test('removes expired sessions and old uploads no message refers to, and nothing else', async () => {
  const t = await startTestServer({ env: { ORPHAN_UPLOAD_GRACE_HOURS: '1' } })
  try {
    const { services } = t.server
    const { conversationId, visitorToken } = await startVisitorConversation(t, 'Vera', { id: 'first-msg-0001', text: 'hello' })
    const sent = await upload(t, conversationId, visitorToken, 'receipt.txt', 'the receipt')
    const abandoned = await upload(t, conversationId, visitorToken, 'draft.txt', 'never sent')
    const message = await api(t.url, 'POST', `/api/widget/conversations/${conversationId}/messages`, { id: 'msg-with-file', text: 'here it is', attachments: [sent] }, visitorToken)
    assert.is(message.status, 201)
    await waitFor(async () => (await services.db.kysely.selectFrom('messages').select('id').where('id', '=', 'msg-with-file').executeTakeFirst()) !== undefined, 5000, 'the message row')
    await expiredSession(t, hashToken('expired-agent-session'))

    // Two hours on: the two HTTP uploads are past the grace period; this one is not.
    const now = Date.now() + 2 * HOUR
    await services.attachments.put(`${conversationId}/att_recent_upload`, new TextEncoder().encode('just uploaded'), { name: 'recent.txt', contentType: 'text/plain', size: 13, createdAt: now - 10 * 60_000 })
    const run = await runHousekeeping(services, now)
    assert.equal({ ...run, ms: 0 }, { sessionsDeleted: 1, invitationsDeleted: 0, resetsDeleted: 0, uploadsChecked: 3, uploadsDeleted: 1, inboxEntriesRemoved: 0, inboxesRotated: 0, conversationsErased: 0, ms: 0 })

    assert.is(await findSession(services.db, hashToken('expired-agent-session')), undefined)
    assert.is((await api(t.url, 'GET', '/api/auth/me', undefined, t.ownerToken)).status, 200, 'a live agent session stays')
    const kept = await download(t, conversationId, sent.id, visitorToken)
    assert.is(kept.status, 200)
    assert.is(await kept.text(), 'the receipt')
    assert.is((await download(t, conversationId, abandoned.id, visitorToken)).status, 404)
    assert.ok(await services.attachments.get(`${conversationId}/att_recent_upload`), 'an upload within the grace period stays')
    assert.is((await api(t.url, 'POST', `/api/widget/conversations/${conversationId}/messages`, { id: 'msg-still-here', text: 'still here' }, visitorToken)).status, 201, 'the visitor session stays')

    const again = await runHousekeeping(services, now)
    assert.equal([again.sessionsDeleted, again.uploadsDeleted], [0, 0], 'a second run finds nothing more')
  } finally { await t.close() }
})

const DAY = 24 * HOUR

for (const dialect of testDialects()) {
  test(`${dialect}: deletes used, revoked and expired invitation and reset links past the grace, and no live or recent one`, async () => {
    const t = await startTestServer({ dialect, env: { ACCOUNT_TOKEN_GRACE_DAYS: '7' } })
    try {
      const { services } = t.server
      const now = Date.now()
      const live = await api(t.url, 'POST', '/api/invitations', { email: 'live@example.com', role: 'agent' }, t.ownerToken)
      assert.is(live.status, 201, JSON.stringify(live.body))
      const liveRow = await services.db.kysely.selectFrom('account_tokens').select('token_hash').where('email', '=', 'live@example.com').executeTakeFirstOrThrow()
      const base = { workspace_id: t.workspaceId, agent_id: null, role: null, created_by: null }
      const rows: { hash: string; kind: 'invite' | 'reset'; expires: number; used?: number; revoked?: number; gone: boolean }[] = [
        { hash: 'used-long-ago', kind: 'invite', expires: now - 20 * DAY, used: now - 8 * DAY, gone: true },
        { hash: 'used-yesterday', kind: 'invite', expires: now + 2 * DAY, used: now - DAY, gone: false },
        { hash: 'revoked-long-ago', kind: 'invite', expires: now + 30 * DAY, revoked: now - 8 * DAY, gone: true },
        { hash: 'expired-long-ago', kind: 'invite', expires: now - 8 * DAY, gone: true },
        { hash: 'expired-lately', kind: 'invite', expires: now - 6 * DAY, gone: false },
        { hash: 'reset-used', kind: 'reset', expires: now - 9 * DAY + 3600_000, used: now - 9 * DAY, gone: true },
        { hash: 'reset-expired', kind: 'reset', expires: now - 8 * DAY, gone: true },
        { hash: 'reset-live', kind: 'reset', expires: now + 3600_000, gone: false },
      ]
      for (const row of rows) {
        await insertAccountToken(services.db, { ...base, token_hash: row.hash, id: `tok_${row.hash}`, kind: row.kind, email: `${row.hash}@example.com`, expires_at: row.expires })
        await services.db.kysely.updateTable('account_tokens').set({ used_at: row.used ?? null, revoked_at: row.revoked ?? null }).where('token_hash', '=', row.hash).execute()
      }
      const run = await runHousekeeping(services, now)
      assert.equal([run.invitationsDeleted, run.resetsDeleted], [3, 2])
      for (const row of rows) assert.is(await findAccountToken(services.db, row.hash) === undefined, row.gone, `${row.hash} ${row.gone ? 'deleted' : 'kept'}`)
      assert.ok(await findAccountToken(services.db, liveRow.token_hash), 'the live invitation stays')
      const listed = await api(t.url, 'GET', '/api/invitations', undefined, t.ownerToken)
      assert.equal(listed.body.items.map((i: { email: string }) => i.email).sort(), ['expired-lately@example.com', 'live@example.com'], 'the live and the lately expired invitation are still listed')
      const again = await runHousekeeping(services, now)
      assert.equal([again.invitationsDeleted, again.resetsDeleted], [0, 0], 'a second run finds nothing more')
    } finally { await t.close() }
  })
}

test('on its schedule: a run happens by itself and is logged', async () => {
  const t = await startTestServer()
  try {
    const lines: Record<string, unknown>[] = []
    const services = { ...t.server.services, log: { ...t.server.services.log, info: (msg: string, fields?: Record<string, unknown>) => { lines.push({ msg, ...fields }) } } }
    await expiredSession(t, hashToken('expired-for-the-schedule'))
    const stop = startHousekeeping(services, 10)
    try {
      await waitFor(() => lines.find((line) => line.msg === 'housekeeping'), 5000, 'a logged housekeeping run')
      assert.is(await findSession(t.server.services.db, hashToken('expired-for-the-schedule')), undefined)
      assert.is(lines[0]!.sessionsDeleted, 1)
    } finally { await stop() }
  } finally { await t.close() }
})

test.run()
