import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { formatConversationName } from '../../protocol/index.ts'
import { connectPeer, startTestServer, startVisitorConversation } from '../test-kit.ts'

test('/health reports the database, and /metrics speaks Prometheus with the numbers an operator watches', async () => {
  const t = await startTestServer()
  try {
    const health = await fetch(t.url + '/health')
    assert.is(health.status, 200)
    assert.equal(await health.json(), { status: 'ok', database: 'ok', databaseDialect: 'sqlite', redis: 'not-configured' })

    const { conversationId } = await startVisitorConversation(t, 'Vera', { id: 'first-msg-0001', text: 'hello' })
    const peer = connectPeer(t.wsUrl, formatConversationName(conversationId), t.ownerToken)
    await peer.ready
    const response = await fetch(t.url + '/metrics')
    assert.match(response.headers.get('content-type') ?? '', /^text\/plain/)
    const text = await response.text()
    const value = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1])
    for (const name of ['parley_connections', 'parley_documents_loaded', 'parley_messages_per_second', 'parley_update_log_rows', 'parley_job_queue_depth', 'parley_event_loop_delay_p99_ms']) {
      assert.match(text, new RegExp(`# TYPE ${name} gauge`), name)
      assert.ok(Number.isFinite(value(name)), `${name} has a number`)
    }
    assert.ok(value('parley_connections') >= 1)
    assert.ok(value('parley_documents_loaded') >= 1)
    assert.ok(value('parley_update_log_appended_total') >= 1)
  } finally { await t.close() }
})

test.run()
