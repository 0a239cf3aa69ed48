import net from 'node:net'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { formatConversationName, readMessages } from '../protocol/index.ts'
import { connectPeer, startTestServer, startVisitorConversation, waitFor } from '../server/test-kit.ts'
import { ApiClient, ApiError } from './api-client.ts'
import { LocalStore } from './local-store.ts'
import { Outbox } from './outbox.ts'

/** A port nothing listens on: a real connection refusal, like a server that is down. */
async function deadUrl(): Promise<string> {
  const server = net.createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as net.AddressInfo).port
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return `http://127.0.0.1:${port}`
}

test('kept while the server is unreachable, then delivered in order exactly once; a refused message is marked failed', async () => {
  const t = await startTestServer()
  try {
    const { visitorToken, conversationId } = await startVisitorConversation(t)
    const storage = new Map<string, string>()
    const backing = { getItem: (k: string) => storage.get(k) ?? null, setItem: (k: string, v: string) => void storage.set(k, v), removeItem: (k: string) => void storage.delete(k) }
    let base = await deadUrl()
    const deliver = (entry: { id: string; text: string }) => new ApiClient(base, () => visitorToken).send(conversationId, { id: entry.id, text: entry.text, attachments: [] }).then(() => {})
    const outbox = new Outbox(new LocalStore('parley:test:', backing), deliver, () => {})
    const entry = (id: string, text: string) => ({ id, text, attachments: [], createdAt: Date.now(), conversationId })

    await outbox.add(entry('outbox-msg-01', 'first, typed while the server is down'))
    await outbox.add(entry('outbox-msg-02', 'second'))
    assert.equal(outbox.entries().map((e) => e.id), ['outbox-msg-01', 'outbox-msg-02'])
    assert.ok(storage.get('parley:test:outbox')?.includes('outbox-msg-02'), 'kept in storage, so a reload keeps it')

    // A new page over the same storage (a reload) finds and delivers them once the server is back.
    base = t.url
    const reloaded = new Outbox(new LocalStore('parley:test:', backing), deliver, () => {})
    await reloaded.add(entry('outbox-msg-03', 'x'.repeat(10_001)))
    await reloaded.add(entry('outbox-msg-04', 'third'))
    assert.equal(reloaded.entries().map((e) => [e.id, e.failed ?? null]), [['outbox-msg-03', 'text: must be at most 10000 characters']])
    assert.is(storage.has('parley:test:outbox'), true)

    // A delivery whose answer was lost is retried: the server recognises the id.
    await deliver(entry('outbox-msg-01', 'first, typed while the server is down'))
    const agent = connectPeer(t.wsUrl, formatConversationName(conversationId), t.ownerToken)
    await agent.ready
    await waitFor(() => readMessages(agent.doc).length === 3, 5000, 'three messages')
    assert.equal(readMessages(agent.doc).map((m) => m.id), ['outbox-msg-01', 'outbox-msg-02', 'outbox-msg-04'])

    reloaded.discard('outbox-msg-03')
    assert.is(storage.has('parley:test:outbox'), false, 'an empty outbox leaves nothing behind')
    outbox.stop(); reloaded.stop(); agent.destroy()
  } finally { await t.close() }
})

test('a backlog longer than the message limit is delivered whole, in order and once, waiting as long as each 429 says', async () => {
  const t = await startTestServer({ env: { RATE_LIMIT_MESSAGES_PER_VISITOR: '10/1s' } })
  try {
    const { visitorToken, conversationId } = await startVisitorConversation(t)
    const storage = new Map<string, string>()
    const backing = { getItem: (k: string) => storage.get(k) ?? null, setItem: (k: string, v: string) => void storage.set(k, v), removeItem: (k: string) => void storage.delete(k) }
    const waits: number[] = []
    const client = new ApiClient(t.url, () => visitorToken)
    const deliver = (entry: { id: string; text: string }) => client.send(conversationId, { id: entry.id, text: entry.text, attachments: [] }).then(() => {}, (error) => {
      if (error instanceof ApiError && error.status === 429) waits.push(error.retryAfterSeconds ?? -1)
      throw error
    })
    // Typed offline: 30 entries already in storage when the page opens.
    const ids = Array.from({ length: 30 }, (_, i) => `backlog-msg-${String(i).padStart(2, '0')}`)
    backing.setItem('parley:test:outbox', JSON.stringify(ids.map((id) => ({ id, text: id, attachments: [], createdAt: Date.now(), conversationId }))))
    const outbox = new Outbox(new LocalStore('parley:test:', backing), deliver, () => {})
    void outbox.flush()
    const agent = connectPeer(t.wsUrl, formatConversationName(conversationId), t.ownerToken)
    await agent.ready
    await waitFor(() => readMessages(agent.doc).length === 30 && outbox.entries().length === 0, 20_000, 'the whole backlog')
    assert.equal(readMessages(agent.doc).map((m) => m.id), ids)
    assert.ok(waits.length >= 2 && waits.every((w) => w >= 1), `refused with a Retry-After, then waited (${JSON.stringify(waits)})`)
    outbox.stop(); agent.destroy()
  } finally { await t.close() }
})

test.run()
