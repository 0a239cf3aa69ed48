/** The per-socket frame limit (rate-limiter-flexible, in memory): a runaway writer is closed with 4429; others go on. */
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { appendMessage, formatConversationName, readMessages } from '../../protocol/index.ts'
import { api, connectPeer, startTestServer, startVisitorConversation, waitFor } from '../test-kit.ts'

test('a socket sending frames faster than RATE_LIMIT_PER_SECOND is closed with 4429, and another peer is still served', async () => {
  const t = await startTestServer({ env: { RATE_LIMIT_PER_SECOND: '5' } })
  try {
    const { conversationId } = await startVisitorConversation(t)
    const name = formatConversationName(conversationId)
    const agentId = (await api(t.url, 'GET', '/api/auth/me', undefined, t.ownerToken)).body.agent.id
    const runaway = connectPeer(t.wsUrl, name, t.ownerToken)
    await runaway.ready
    for (let i = 0; i < 60; i++) appendMessage(runaway.doc, { id: `runaway-${String(i).padStart(2, '0')}`, author: { role: 'agent', id: agentId, name: 'Owner' }, kind: 'message', text: `frame ${i}`, attachments: [], createdAt: Date.now() })
    await waitFor(() => runaway.closes.some((c) => /4429 rate-limited/.test(c.reason ?? '') || c.code === 4429), 10_000, 'the 4429 close')
    runaway.destroy()
    const other = connectPeer(t.wsUrl, name, t.ownerToken)
    await other.ready
    assert.ok(readMessages(other.doc).length < 60, 'the frames over the limit were not applied')
    other.destroy()
  } finally {
    await t.close()
  }
})

test.run()
