import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { appendMessage, createId, formatAgentName, formatConversationName, formatInboxName, parseCloseReason, readMessages } from '../protocol/index.ts'
import { createAgent } from '../db/agent.repository.ts'
import { createSession } from '../db/session.repository.ts'
import { createWidget } from '../db/widget.repository.ts'
import { createWorkspace } from '../db/workspace.repository.ts'
import { hashPassword } from './auth/passwords.ts'
import { createToken, hashToken } from './auth/tokens.ts'
import { api, connectPeer, startTestServer, startVisitorConversation, waitFor, type TestServer } from './test-kit.ts'

/** Workspace B with its own agent and a customer conversation. */
async function secondWorkspace(t: TestServer) {
  const db = t.server.services.db
  await createWorkspace(db, { id: 'ws-b', name: 'B' })
  await createAgent(db, { id: 'agent-b', workspace_id: 'ws-b', email: 'bea@b.example', name: 'Bea', role: 'agent', password_hash: await hashPassword('password-of-bea') })
  await createWidget(db, { id: 'widget-b', workspace_id: 'ws-b', site_key: 'site-key-of-b', name: 'B', config: '{}', secret: 'secret-b' })
  const token = (await api(t.url, 'POST', '/api/auth/sign-in', { email: 'bea@b.example', password: 'password-of-bea' })).body.token as string
  const session = await api(t.url, 'POST', '/api/widget/session', { siteKey: 'site-key-of-b', name: 'Bob' })
  const created = await api(t.url, 'POST', '/api/widget/conversations', {}, session.body.token)
  return { token, conversationId: created.body.id as string }
}

async function refusal(t: TestServer, name: string, token: string): Promise<{ code: number; name: string }> {
  const peer = connectPeer(t.wsUrl, name, token)
  try {
    await peer.ready
    throw new Error(`${name} was opened but should have been refused`)
  } catch (error) {
    const parsed = parseCloseReason((error as Error).message)
    if (!parsed) throw error
    return { code: parsed.code, name: parsed.name }
  } finally { peer.destroy() }
}

test('an agent of workspace A cannot open any document of workspace B', async () => {
  const t = await startTestServer()
  try {
    const b = await secondWorkspace(t)
    assert.equal(await refusal(t, formatConversationName(b.conversationId), t.ownerToken), { code: 4403, name: 'forbidden-workspace' })
    assert.equal(await refusal(t, formatInboxName('ws-b'), t.ownerToken), { code: 4403, name: 'forbidden-workspace' })
    assert.equal(await refusal(t, formatAgentName('agent-b'), t.ownerToken), { code: 4403, name: 'forbidden-workspace' })
    // …while B's own agent can.
    const own = connectPeer(t.wsUrl, formatConversationName(b.conversationId), b.token)
    await own.ready
    own.destroy()
    // Over HTTP too: B's conversation is not found from A.
    assert.is((await api(t.url, 'GET', `/api/conversations/${b.conversationId}`, undefined, t.ownerToken)).status, 404)
  } finally { await t.close() }
})

test('a visitor cannot open another visitor\'s conversation, nor write into their own document', async () => {
  const t = await startTestServer()
  try {
    const mine = await startVisitorConversation(t, 'Mia', { id: 'mia-message-1', text: 'hello from Mia' })
    const theirs = await startVisitorConversation(t, 'Theo', { id: 'theo-message-1', text: 'hello from Theo' })
    assert.equal(await refusal(t, formatConversationName(theirs.conversationId), mine.visitorToken), { code: 4404, name: 'forbidden-conversation' })
    assert.equal(await refusal(t, formatInboxName(t.workspaceId), mine.visitorToken), { code: 4404, name: 'forbidden-conversation' })

    const visitor = connectPeer(t.wsUrl, formatConversationName(mine.conversationId), mine.visitorToken)
    const agent = connectPeer(t.wsUrl, formatConversationName(mine.conversationId), t.ownerToken)
    await Promise.all([visitor.ready, agent.ready])
    assert.is(visitor.provider.authorizedScope, 'readonly')
    appendMessage(visitor.doc, { id: 'forged-0001', author: { role: 'agent', id: 'x', name: 'Fake agent' }, kind: 'message', text: 'forged', attachments: [], createdAt: Date.now() })
    // The server refuses the write and applies nothing. A message sent after it on the same
    // socket is processed after it, so once the agent sees that one, the forged one had its chance.
    visitor.provider.sendStateless(JSON.stringify({ type: 'customer-message', message: { id: 'mia-message-2', text: 'second from Mia' } }))
    await waitFor(() => readMessages(agent.doc).length === 2, 5000, 'the second customer message')
    assert.equal(readMessages(agent.doc).map((m) => m.text), ['hello from Mia', 'second from Mia'])
    assert.is(visitor.provider.unsyncedChanges, 1, 'the forged change is never acknowledged')
    const fresh = connectPeer(t.wsUrl, formatConversationName(mine.conversationId), t.ownerToken)
    await fresh.ready
    assert.equal(readMessages(fresh.doc).map((m) => m.text), ['hello from Mia', 'second from Mia'])
    visitor.destroy(); agent.destroy(); fresh.destroy()
  } finally { await t.close() }
})

test('wrong, expired and revoked tokens are refused, each with its close code; viewers are read-only', async () => {
  const t = await startTestServer()
  try {
    const { conversationId } = await startVisitorConversation(t)
    const name = formatConversationName(conversationId)
    assert.equal(await refusal(t, name, 'pa_not-a-real-token'), { code: 4401, name: 'unauthenticated' })

    const expired = createToken('pa')
    const me = (await api(t.url, 'GET', '/api/auth/me', undefined, t.ownerToken)).body
    await createSession(t.server.services.db, { token_hash: hashToken(expired), kind: 'agent', workspace_id: t.workspaceId, agent_id: me.agent.id, contact_id: null, expires_at: Date.now() - 1000 })
    assert.equal(await refusal(t, name, expired), { code: 4402, name: 'token-expired' })
    assert.is((await api(t.url, 'GET', '/api/auth/me', undefined, expired)).body.error.code, 'token-expired')

    const signIn = await api(t.url, 'POST', '/api/auth/sign-in', { email: 'owner@example.com', password: 'correct horse battery' })
    assert.is((await api(t.url, 'POST', '/api/auth/sign-out', undefined, signIn.body.token)).status, 200)
    assert.equal(await refusal(t, name, signIn.body.token), { code: 4405, name: 'token-revoked' })
    assert.is((await api(t.url, 'GET', '/api/auth/me', undefined, signIn.body.token)).status, 401)

    await api(t.url, 'POST', '/api/agents', { email: 'vic@example.com', name: 'Vic', role: 'viewer', password: 'viewer-password' }, t.ownerToken)
    const viewer = (await api(t.url, 'POST', '/api/auth/sign-in', { email: 'vic@example.com', password: 'viewer-password' })).body.token
    const peer = connectPeer(t.wsUrl, name, viewer)
    await peer.ready
    assert.is(peer.provider.authorizedScope, 'readonly')
    peer.destroy()
    // A viewer cannot manage agents either.
    assert.is((await api(t.url, 'POST', '/api/agents', { email: 'x@example.com', name: 'X', role: 'agent', password: 'long-enough-pw' }, viewer)).status, 403)
  } finally { await t.close() }
})

test('changing the password needs the current one and signs out the other sessions', async () => {
  const t = await startTestServer()
  try {
    const other = (await api(t.url, 'POST', '/api/auth/sign-in', { email: 'owner@example.com', password: 'correct horse battery' })).body.token
    const wrong = await api(t.url, 'POST', '/api/auth/password', { currentPassword: 'guess', newPassword: 'a brand new password' }, t.ownerToken)
    assert.is(wrong.status, 403)
    assert.is(wrong.body.error.field, 'currentPassword')
    assert.is((await api(t.url, 'POST', '/api/auth/password', { currentPassword: 'correct horse battery', newPassword: 'short' }, t.ownerToken)).body.error.field, 'newPassword')
    assert.is((await api(t.url, 'POST', '/api/auth/password', { currentPassword: 'correct horse battery', newPassword: 'a brand new password' }, t.ownerToken)).status, 200)
    assert.is((await api(t.url, 'GET', '/api/auth/me', undefined, t.ownerToken)).status, 200, 'this session stays')
    assert.is((await api(t.url, 'GET', '/api/auth/me', undefined, other)).body.error.code, 'token-revoked', 'the other one is signed out')
    assert.is((await api(t.url, 'POST', '/api/auth/sign-in', { email: 'owner@example.com', password: 'correct horse battery' })).status, 401)
    assert.is((await api(t.url, 'POST', '/api/auth/sign-in', { email: 'owner@example.com', password: 'a brand new password' })).status, 200)
  } finally { await t.close() }
})

test('a deactivated agent\'s sessions stop working at once', async () => {
  const t = await startTestServer()
  try {
    const created = await api(t.url, 'POST', '/api/agents', { email: 'al@example.com', name: 'Al', role: 'agent', password: 'al-password-1' }, t.ownerToken)
    const token = (await api(t.url, 'POST', '/api/auth/sign-in', { email: 'al@example.com', password: 'al-password-1' })).body.token
    assert.is((await api(t.url, 'GET', '/api/auth/me', undefined, token)).status, 200)
    assert.is((await api(t.url, 'PATCH', `/api/agents/${created.body.id}`, { active: false }, t.ownerToken)).status, 200)
    assert.is((await api(t.url, 'GET', '/api/auth/me', undefined, token)).status, 401)
    assert.is((await api(t.url, 'POST', '/api/auth/sign-in', { email: 'al@example.com', password: 'al-password-1' })).status, 403)
    void createId
  } finally { await t.close() }
})

test('only the owner makes admins, whether by creating an agent or by changing one', async () => {
  const t = await startTestServer()
  try {
    const signInAs = async (email: string, password: string) => (await api(t.url, 'POST', '/api/auth/sign-in', { email, password })).body.token as string
    const ada = await api(t.url, 'POST', '/api/agents', { email: 'ada@example.com', name: 'Ada', role: 'admin', password: 'ada-password-1' }, t.ownerToken)
    assert.is(ada.status, 201, 'the owner creates an admin')
    const admin = await signInAs('ada@example.com', 'ada-password-1')
    const names = async () => (await api(t.url, 'GET', '/api/agents', undefined, t.ownerToken)).body.items.map((a: { name: string; role: string }) => `${a.name}:${a.role}`).sort()

    const created = await api(t.url, 'POST', '/api/agents', { email: 'eve@example.com', name: 'Eve', role: 'admin', password: 'eve-password-1' }, admin)
    assert.is(created.status, 403, 'an admin cannot create an admin')
    assert.is(created.body.error.field, 'role')
    assert.is((await api(t.url, 'POST', '/api/auth/sign-in', { email: 'eve@example.com', password: 'eve-password-1' })).status, 401, 'no account was made')

    const bob = await api(t.url, 'POST', '/api/agents', { email: 'bob@example.com', name: 'Bob', role: 'agent', password: 'bob-password-1' }, admin)
    assert.is(bob.status, 201, 'an admin still creates agents')
    const promoted = await api(t.url, 'PATCH', `/api/agents/${bob.body.id}`, { role: 'admin' }, admin)
    assert.is(promoted.status, 403, 'an admin cannot promote to admin')
    assert.is(promoted.body.error.field, 'role')
    const demoted = await api(t.url, 'PATCH', `/api/agents/${ada.body.id}`, { role: 'agent' }, admin)
    assert.is(demoted.status, 403, 'nor take admin rights back')
    assert.equal(await names(), ['Ada:admin', 'Bob:agent', 'Owner:owner'].sort(), 'nothing changed')

    assert.is((await api(t.url, 'PATCH', `/api/agents/${bob.body.id}`, { role: 'admin' }, t.ownerToken)).status, 200, 'the owner promotes')
    assert.is((await api(t.url, 'PATCH', `/api/agents/${ada.body.id}`, { role: 'viewer' }, t.ownerToken)).status, 200, 'the owner demotes')
    assert.equal(await names(), ['Ada:viewer', 'Bob:admin', 'Owner:owner'].sort())
  } finally { await t.close() }
})

test.run()
