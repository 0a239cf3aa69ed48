/** A fresh install's knowledge base: one example article, marked as such, that the bot answers from; imports answered too. */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { formatConversationName } from '../../protocol/index.ts'
import { startServer } from '../app.ts'
import { bootstrapFirstRun } from '../bootstrap.ts'
import { loadConfig } from '../config.ts'
import { api, connectPeer, startVisitorConversation } from '../test-kit.ts'
import { startBotServer, waitForOutcome, type BotTestServer } from '../../ai-worker/test-kit.ts'
import { EXAMPLE_ARTICLE, seedExampleArticle } from './example-article.ts'

test('the first start seeds one example article, marked as an example; a second start adds nothing', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-example-'))
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'silent' })
  const server = await startServer(config)
  try {
    const first = await bootstrapFirstRun(server.services.db, { email: 'owner@example.com', password: 'correct horse battery' }, { exampleArticle: true })
    assert.ok(first)
    assert.is(await bootstrapFirstRun(server.services.db, { email: 'owner@example.com', password: 'correct horse battery' }, { exampleArticle: true }), null)
    const token = (await api(server.url, 'POST', '/api/auth/sign-in', { email: 'owner@example.com', password: 'correct horse battery' })).body.token
    const items = (await api(server.url, 'GET', '/api/articles', undefined, token)).body.items
    assert.is(items.length, 1)
    assert.is(items[0].example, true)
    assert.match(items[0].title, /^Example article:/)
    assert.equal(items[0].tags, ['example'])
    assert.match(items[0].body, /^This is an example article/)
  } finally {
    await server.close()
    fs.rmSync(dataDir, { recursive: true, force: true })
  }
})

async function ask(t: BotTestServer, id: string, text: string) {
  const { conversationId, visitorToken } = await startVisitorConversation(t, 'Vera', { id, text })
  const peer = connectPeer(t.wsUrl, formatConversationName(conversationId), visitorToken)
  await peer.ready
  try { return await waitForOutcome(peer.doc, id, 20_000) } finally { peer.destroy() }
}

test('the bot answers from the example article, and from an article imported a moment ago', async () => {
  const t = await startBotServer({ llm: null })
  try {
    await seedExampleArticle(t.server.services.db, t.workspaceId)
    const howTo = await ask(t, 'msg-example-1', 'How do I add articles to the knowledge base?')
    assert.is(howTo.kind, 'reply', JSON.stringify(howTo))
    assert.match(howTo.message.text, /Settings → Knowledge base/)
    assert.equal(howTo.message.sources?.map((s) => s.title), [EXAMPLE_ARTICLE.title])
    const unrelated = await ask(t, 'msg-example-2', 'Can I pay my invoice with bitcoin?')
    assert.is(unrelated.kind, 'escalated', 'a question the example does not answer goes to a person')

    const imported = await api(t.url, 'POST', '/api/knowledge-base/import', { files: [{ name: 'shipping.md', content: '# Shipping and delivery times\n\nStandard shipping takes 3 to 5 working days. Express delivery arrives the next working day.' }] }, t.ownerToken)
    assert.is(imported.status, 200)
    // The bot's index is rebuilt within its few seconds' cache: the answer comes once it has the article.
    let shipping = await ask(t, 'msg-example-3', 'How long does shipping take?')
    for (let i = 4; shipping.kind !== 'reply' && i < 40; i++) {
      await new Promise((resolve) => setTimeout(resolve, 500))
      shipping = await ask(t, `msg-example-${i}`, 'How long does shipping take?')
    }
    assert.is(shipping.kind, 'reply')
    assert.match(shipping.message.text, /3 to 5 working days/)
  } finally { await t.close() }
})

test.run()
