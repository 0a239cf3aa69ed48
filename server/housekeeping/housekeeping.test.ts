import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { createSession, findSession } from '../../db/session.repository.ts'
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
    assert.equal({ ...run, ms: 0 }, { sessionsDeleted: 1, uploadsChecked: 3, uploadsDeleted: 1, inboxEntriesRemoved: 0, inboxesRotated: 0, ms: 0 })

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
