/** Memberships, single-use account tokens and the email log's claims, on every dialect. */
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { addMember, createAgent, getWorkspaceAgent, listAgents, listMemberships, updateMember } from './agent.repository.ts'
import { insertAccountToken, revokeOpenTokens, useAccountToken } from './account-token.repository.ts'
import { claimDelivery, findStalledDeliveries, finishDelivery, insertDelivery, requeueDelivery } from './email-delivery.repository.ts'
import { createTestDatabase, testDialects } from './test-databases.ts'
import { createWorkspace } from './workspace.repository.ts'

for (const dialect of testDialects()) {
  test(`${dialect}: an agent in two workspaces has a role in each; a removed member is not listed`, async () => {
    const t = await createTestDatabase(dialect)
    try {
      await createWorkspace(t.db, { id: 'w1', name: 'One' })
      await createWorkspace(t.db, { id: 'w2', name: 'Two' })
      await createAgent(t.db, { id: 'a1', workspace_id: 'w1', email: 'Ann@Example.com', name: 'Ann', role: 'admin', password_hash: 'x' })
      await addMember(t.db, { workspace_id: 'w2', agent_id: 'a1', role: 'viewer' })
      assert.equal((await listMemberships(t.db, 'a1')).map((m) => `${m.name}:${m.role}`), ['One:admin', 'Two:viewer'])
      assert.equal([(await getWorkspaceAgent(t.db, 'w2', 'a1'))?.role, (await getWorkspaceAgent(t.db, 'w2', 'a1'))?.workspace_id], ['viewer', 'w2'])
      await updateMember(t.db, 'w2', 'a1', { removed_at: Date.now(), active: 0 })
      assert.equal(await listAgents(t.db, 'w2'), [])
      assert.is(await getWorkspaceAgent(t.db, 'w2', 'a1'), undefined)
      assert.is((await listAgents(t.db, 'w1'))[0]?.email, 'ann@example.com')
    } finally { await t.dispose() }
  })

  test(`${dialect}: a token is used once, not after it expired or was revoked`, async () => {
    const t = await createTestDatabase(dialect)
    try {
      const base = { kind: 'invite' as const, workspace_id: 'w1', agent_id: null, email: 'x@example.com', role: 'agent' as const, created_by: null }
      await insertAccountToken(t.db, { ...base, token_hash: 'h1', id: 'i1', expires_at: Date.now() + 60_000 })
      const raced = await Promise.all([useAccountToken(t.db, 'h1'), useAccountToken(t.db, 'h1')])
      assert.equal(raced.sort(), [false, true])
      await insertAccountToken(t.db, { ...base, token_hash: 'h2', id: 'i2', expires_at: Date.now() - 1 })
      assert.is(await useAccountToken(t.db, 'h2'), false)
      await insertAccountToken(t.db, { ...base, token_hash: 'h3', id: 'i3', expires_at: Date.now() + 60_000 })
      assert.is(await revokeOpenTokens(t.db, 'invite', 'w1', 'x@example.com'), 2, 'the open ones: the expired one and h3')
      assert.is(await useAccountToken(t.db, 'h3'), false)
    } finally { await t.dispose() }
  })

  test(`${dialect}: a delivery is claimed by one sender; failed ones are sent again only on request; stuck ones come back`, async () => {
    const t = await createTestDatabase(dialect)
    try {
      const row = { workspace_id: 'w1', kind: 'reply', recipient: 'v@example.com', subject: 'S', html: '<p>h</p>', text: 't', message_id: '<m@x>', in_reply_to: null, references: null, conversation_id: 'c1', agent_id: null }
      await insertDelivery(t.db, { ...row, id: 'd1' })
      const again = await insertDelivery(t.db, { ...row, id: 'd1', subject: 'other' })
      assert.is(again.subject, 'S', 'a second insert of one id keeps the first')
      const claims = await Promise.all([claimDelivery(t.db, 'd1'), claimDelivery(t.db, 'd1')])
      assert.is(claims.filter(Boolean).length, 1)
      assert.is(claims.find(Boolean)?.attempts, 1)
      await finishDelivery(t.db, 'd1', { status: 'failed', error: 'ECONNREFUSED' })
      assert.is(await claimDelivery(t.db, 'd1'), undefined, 'a failed one is not taken by the queue')
      assert.is(await requeueDelivery(t.db, 'w2', 'd1'), false, 'not from another workspace')
      assert.is(await requeueDelivery(t.db, 'w1', 'd1'), true)
      assert.ok(await claimDelivery(t.db, 'd1', 1000))
      assert.equal(await findStalledDeliveries(t.db, Date.now()), ['d1'], 'stuck in sending: back to retrying')
    } finally { await t.dispose() }
  })
}

test.run()
