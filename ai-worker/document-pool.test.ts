import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { findMessage, formatConversationName, updateMeta } from '../protocol/index.ts'
import { api, connectPeer, startVisitorConversation, waitFor } from '../server/test-kit.ts'
import { finishReply } from './conversation-writer.ts'
import { DocumentClosedError, DocumentPool } from './document-pool.ts'
import { startBotServer } from './test-kit.ts'
import { syncUrlOf } from './worker.ts'

test('a refused write closes the document; the pool drops that copy, so the refused change is never sent again', async () => {
  const t = await startBotServer({ llm: null })
  const pool = new DocumentPool({ url: syncUrlOf(t.url), token: t.server.serviceToken, maxOpen: 2, idleMs: 60_000 })
  try {
    const me = (await api(t.url, 'GET', '/api/auth/me', undefined, t.ownerToken)).body.agent.id
    const { conversationId } = await startVisitorConversation(t, 'Vera', { id: 'msg-pool-0001', text: 'hello' })
    const name = formatConversationName(conversationId)
    const agent = connectPeer(t.wsUrl, name, t.ownerToken)
    await agent.ready
    assert.is((await api(t.url, 'POST', `/api/conversations/${conversationId}/take`, {}, t.ownerToken)).body.taken, true) // the assignee is the server's (routing, issue 12)
    await waitFor(() => agent.doc.getMap('meta').get('assignee') === me, 5000, 'the take to reach the document')
    // A human has the conversation: a bot reply is refused by the server's update guard.
    const error = await pool.use(name, async (open) => {
      await waitFor(() => open.doc.getMap('meta').get('status') === 'open', 5000, 'the bot copy to see the take')
      finishReply(open.doc, { id: 'bot-forced-1', text: 'I should not be here' })
      return pool.flush(open).then(() => null, (e: unknown) => e)
    })
    assert.instance(error, DocumentClosedError)
    const fresh = await pool.use(name, async (open) => ({ mine: findMessage(open.doc, 'bot-forced-1') }))
    assert.is(fresh.mine, undefined, 'a fresh copy without the refused change')
    assert.is(findMessage(agent.doc, 'bot-forced-1'), undefined, 'nobody else ever saw it')
    // The pool stays within its bound: idle documents make room.
    for (let i = 0; i < 3; i++) {
      const other = await startVisitorConversation(t, `V${i}`)
      await pool.use(formatConversationName(other.conversationId), async () => {})
    }
    assert.ok(pool.size <= 2, `pool size ${pool.size}`)
    agent.destroy()
  } finally { await pool.close(); await t.close() }
})

test.run()
