/** A server-side write for an agent passes the update guard's policy, or changes nothing. */
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { formatConversationName, getMeta, readMeta } from '../../protocol/index.ts'
import type { Principal } from '../auth/principal.ts'
import { api, startTestServer, startVisitorConversation } from '../test-kit.ts'
import { changeAs } from './guarded-change.ts'

test('what the policy refuses an agent is refused here too, and the document is unchanged', async () => {
  const t = await startTestServer()
  try {
    const { conversationId } = await startVisitorConversation(t, 'Vera', { id: 'customer-first-1', text: 'Hi' })
    const me = (await api(t.url, 'GET', '/api/auth/me', undefined, t.ownerToken)).body.agent
    const agent: Principal = { kind: 'agent', workspaceId: t.workspaceId, agentId: me.id, role: 'owner', name: me.name, tokenHash: 'x' }
    const { hocuspocus } = t.server.services
    const name = formatConversationName(conversationId)
    // The rating is the customer's (server-only meta): an agent may not set it.
    const refused = (await changeAs(hocuspocus, t.server.durability, agent, name, () => ({ mutate: (copy) => getMeta(copy).set('csat', { rating: 5 }) })).catch((e: unknown) => e)) as { code: string }
    assert.is(refused.code, 'forbidden')
    // An agent writes as themselves: a message in another's name is a schema violation.
    const impersonation = (await changeAs(hocuspocus, t.server.durability, agent, name, () => ({
      mutate: (copy) => copy.getArray('messages').push([{ id: 'fake-000001', author: { role: 'agent', id: 'someone-else', name: 'X' }, kind: 'message', text: 'hi', attachments: [], createdAt: Date.now() }]),
    })).catch((e: unknown) => e)) as { code: string }
    assert.is(impersonation.code, 'schema-violation')
    const meta = await t.server.services.conversations.change(conversationId, (doc) => readMeta(doc))
    assert.is(meta.csat, undefined)
    // What the policy allows goes through.
    await changeAs(hocuspocus, t.server.durability, agent, name, () => ({ mutate: (copy) => getMeta(copy).set('priority', 'high') }))
    assert.is((await t.server.services.conversations.change(conversationId, (doc) => readMeta(doc))).priority, 'high')
  } finally {
    await t.close()
  }
})

test.run()
