import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { DEFAULT_AI_SETTINGS, formatConversationName, formatInboxName } from '../protocol/index.ts'
import { api, connectPeer, startVisitorConversation } from '../server/test-kit.ts'
import { startOpenAiTestServer, type ChatRequest, type Script } from './openai-test-server.ts'
import { startBotServer, waitForOutcome } from './test-kit.ts'

const lastUser = (request: ChatRequest) => [...request.messages].reverse().find((m) => m.role === 'user')?.content ?? ''

test('outside business hours the handover promises no place in the queue (issue 17)', async () => {
  const model = await startOpenAiTestServer((request): Script => /person/.test(lastUser(request))
    ? { toolCalls: [{ name: 'escalate_to_human', arguments: { reason: 'customer asked for a person', priority: 'normal' } }] }
    : { content: ['Hello'] })
  const t = await startBotServer({ modelUrl: model.baseUrl })
  try {
    // Open only tomorrow (UTC): closed now, whatever the time of day.
    const tomorrow = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'][(new Date().getUTCDay() + 1) % 7]!
    const current = (await api(t.url, 'GET', '/api/settings/ai', undefined, t.ownerToken)).body
    const saved = await api(t.url, 'PUT', '/api/settings/ai', { ...DEFAULT_AI_SETTINGS, ...current, enabled: true, businessHours: { timezone: 'UTC', days: { [tomorrow]: { open: '09:00', close: '17:00' } } } }, t.ownerToken)
    assert.is(saved.status, 200, JSON.stringify(saved.body))
    const inbox = connectPeer(t.wsUrl, formatInboxName(t.workspaceId), t.ownerToken)
    const { conversationId } = await startVisitorConversation(t, 'Nora Night', { id: 'msg-night-1', text: 'I want to talk to a person' })
    const agent = connectPeer(t.wsUrl, formatConversationName(conversationId), t.ownerToken)
    await Promise.all([agent.ready, inbox.ready])
    const outcome = await waitForOutcome(agent.doc, 'msg-night-1')
    assert.is(outcome.kind, 'escalated')
    if (outcome.kind !== 'escalated') return
    assert.is(outcome.status, 'waiting')
    assert.not.match(outcome.message.text, /queue/)
    agent.destroy(); inbox.destroy()
  } finally { await t.close(); await model.close() }
})

test.run()
