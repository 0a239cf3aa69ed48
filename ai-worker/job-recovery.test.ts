/**
 * Bot jobs around faults: a job that arrives before its customer message is retried, not
 * finished; one whose message never arrives escalates to a person; a job the queue lost is
 * enqueued again from the database. Each trigger gets one answer.
 */
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { appendMessage, formatConversationName, readMessages, replyIdFor } from '../protocol/index.ts'
import { sweepLostJobs } from '../server/job-recovery/lost-job-sweep.ts'
import { InProcessQueue } from '../server/job-queue.ts'
import type { Logger } from '../server/log.ts'
import { connectPeer, startVisitorConversation, waitFor } from '../server/test-kit.ts'
import { UNAVAILABLE_REASON } from './bot.ts'
import { startOpenAiTestServer, type Script } from './openai-test-server.ts'
import { startBotServer, waitForOutcome, type BotTestServer } from './test-kit.ts'

function recordingLog(): Logger & { messages: string[] } {
  const messages: string[] = []
  const add = (msg: string) => { messages.push(msg) }
  return { messages, debug: add, info: add, warn: add, error: add }
}

/** A customer message that reaches the conversation without a job: as when the job was lost, or overtook it. */
const writeCustomerMessage = (t: BotTestServer, conversationId: string, contactId: string, id: string, text: string) =>
  t.server.services.conversations.change(conversationId, (doc) => appendMessage(doc, { id, author: { role: 'customer', id: contactId, name: 'Vera' }, kind: 'message', text, attachments: [], createdAt: Date.now() }))

const answeredOnce = (doc: Parameters<typeof readMessages>[0], trigger: string) => readMessages(doc).filter((m) => m.id === replyIdFor(trigger)).length

const model = () => startOpenAiTestServer((): Script => ({ content: ['Open Settings, then Export.'] }))

test('a job that arrives before its customer message is retried and answers once the message is there', async () => {
  const openai = await model()
  const log = recordingLog()
  const t = await startBotServer({ modelUrl: openai.baseUrl, attempts: 4, triggerWaitMs: 100, log })
  try {
    const { conversationId, contactId } = await startVisitorConversation(t, 'Vera')
    await t.jobs.add({ kind: 'reply', conversationId, messageId: 'msg-late-00001', workspaceId: t.workspaceId })
    await waitFor(() => log.messages.includes('bot job without its customer message'), 5000, 'the first attempt to miss the message')
    await writeCustomerMessage(t, conversationId, contactId, 'msg-late-00001', 'How do I export?')
    const agent = connectPeer(t.wsUrl, formatConversationName(conversationId), t.ownerToken)
    await agent.ready
    const outcome = await waitForOutcome(agent.doc, 'msg-late-00001')
    assert.is(outcome.kind, 'reply')
    assert.is(outcome.message.text, 'Open Settings, then Export.')
    await t.idle()
    assert.is(answeredOnce(agent.doc, 'msg-late-00001'), 1)
    agent.destroy()
  } finally { await t.close(); await openai.close() }
})

test('a job whose customer message never arrives escalates to a person when its retries run out', async () => {
  const openai = await model()
  const t = await startBotServer({ modelUrl: openai.baseUrl, attempts: 2, triggerWaitMs: 100 })
  try {
    const { conversationId } = await startVisitorConversation(t, 'Vera')
    await t.jobs.add({ kind: 'reply', conversationId, messageId: 'msg-never-0001', workspaceId: t.workspaceId })
    const agent = connectPeer(t.wsUrl, formatConversationName(conversationId), t.ownerToken)
    await agent.ready
    const outcome = await waitForOutcome(agent.doc, 'msg-never-0001')
    assert.is(outcome.kind, 'escalated')
    if (outcome.kind === 'escalated') assert.equal([outcome.status, outcome.reason], ['waiting', UNAVAILABLE_REASON])
    await t.idle()
    assert.is(answeredOnce(agent.doc, 'msg-never-0001'), 1)
    agent.destroy()
  } finally { await t.close(); await openai.close() }
})

test('a customer message whose job was lost is found in the database and answered once', async () => {
  const openai = await model()
  const t = await startBotServer({ modelUrl: openai.baseUrl, env: { PARLEY_BOT_RECOVERY_MS: '300' } })
  try {
    const { conversationId, contactId } = await startVisitorConversation(t, 'Vera')
    await writeCustomerMessage(t, conversationId, contactId, 'msg-lost-00001', 'How do I export?')
    const agent = connectPeer(t.wsUrl, formatConversationName(conversationId), t.ownerToken)
    await agent.ready
    const outcome = await waitForOutcome(agent.doc, 'msg-lost-00001', 15_000)
    assert.is(outcome.kind, 'reply')
    await t.idle()
    // Answered: later sweeps leave it alone, however many instances run them.
    await waitFor(async () => (await t.server.services.db.kysely.selectFrom('messages').select('id').where('id', '=', replyIdFor('msg-lost-00001')).executeTakeFirst()) !== undefined, 5000, 'the reply in the messages table')
    assert.is(await sweepLostJobs(t.server.services, { afterMs: 0 }), 0)
    await t.idle()
    assert.is(answeredOnce(agent.doc, 'msg-lost-00001'), 1)
    agent.destroy()
  } finally { await t.close(); await openai.close() }
})

test('a greeting job the queue lost is enqueued again: the visitor is greeted once', async () => {
  // A queue that loses the first greeting job it is given, as Redis did in issue 20 ("Missing key for job greet-…").
  class LosingQueue extends InProcessQueue {
    lost: string[] = []
    override async add(job: Parameters<InProcessQueue['add']>[0]): Promise<void> {
      if (job.kind === 'greet' && this.lost.length === 0) { this.lost.push(job.messageId); return }
      return super.add(job)
    }
  }
  const jobs = new LosingQueue({ attempts: 2, backoffMs: 50 })
  const openai = await model()
  const t = await startBotServer({ modelUrl: openai.baseUrl, jobs, env: { PARLEY_BOT_RECOVERY_MS: '300' } })
  try {
    const { conversationId } = await startVisitorConversation(t, 'Vera')
    assert.equal(jobs.lost, [`greet-${conversationId}`], 'the greeting job was lost')
    const visitor = connectPeer(t.wsUrl, formatConversationName(conversationId), t.ownerToken)
    await visitor.ready
    const greetingId = replyIdFor(`greet-${conversationId}`)
    await waitFor(() => readMessages(visitor.doc).some((m) => m.id === greetingId), 15_000, 'the greeting, from the sweep')
    await t.idle()
    // Greeted: later sweeps leave it alone.
    await waitFor(async () => (await t.server.services.db.kysely.selectFrom('messages').select('id').where('id', '=', greetingId).executeTakeFirst()) !== undefined, 5000, 'the greeting in the messages table')
    assert.is(await sweepLostJobs(t.server.services, { afterMs: 0 }), 0)
    await t.idle()
    assert.is(readMessages(visitor.doc).filter((m) => m.author.role === 'bot').length, 1, 'one greeting')
    visitor.destroy()
  } finally { await t.close(); await openai.close() }
})

test.run()
