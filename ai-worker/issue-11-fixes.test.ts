/**
 * The fixes of issue 11 not covered beside their code: the built-in escalation keeps the
 * classifier's higher priority; the response delay holds for a model too; the model's classify
 * tool offers the workspace's categories and asks for reasoning; a model that escalates with
 * low confidence hands over in the customer's language, with its reason.
 */
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { DEFAULT_AI_SETTINGS, formatConversationName, formatInternalName, readClassification, readMeta } from '../protocol/index.ts'
import { api, connectPeer, startVisitorConversation, waitFor } from '../server/test-kit.ts'
import { startOpenAiTestServer, type ChatRequest, type Script } from './openai-test-server.ts'
import { loadArticles, readSupportKb, startBotServer, waitForOutcome, type BotTestServer } from './test-kit.ts'

const lastUser = (request: ChatRequest) => [...request.messages].reverse().find((m) => m.role === 'user')?.content ?? ''

async function converse(t: BotTestServer, id: string, text: string) {
  const { conversationId } = await startVisitorConversation(t, 'Vera', { id, text })
  const peer = connectPeer(t.wsUrl, formatConversationName(conversationId), t.ownerToken)
  await peer.ready
  return { conversationId, peer }
}

test('built-in: a bug report escalates at normal priority, but an angry one keeps the classifier\'s high', async () => {
  const t = await startBotServer({ llm: null })
  try {
    await loadArticles(t, readSupportKb())
    const calm = await converse(t, 'msg-bug-calm-1', 'When I export a page to PDF the images are missing, it looks like a bug.')
    const calmOutcome = await waitForOutcome(calm.peer.doc, 'msg-bug-calm-1')
    assert.is(calmOutcome.kind, 'escalated')
    assert.is(readMeta(calm.peer.doc).priority, 'normal')
    const angry = await converse(t, 'msg-bug-angry-1', 'This is ridiculous!!! The PDF export is broken AGAIN, the images are missing, this bug is unacceptable')
    const angryOutcome = await waitForOutcome(angry.peer.doc, 'msg-bug-angry-1')
    assert.is(angryOutcome.kind, 'escalated')
    if (angryOutcome.kind === 'escalated') assert.match(angryOutcome.reason ?? '', /bug report/)
    assert.is(readMeta(angry.peer.doc).priority, 'high', 'the escalation asked for normal; the classifier had said high')
    const internal = connectPeer(t.wsUrl, formatInternalName(angry.conversationId), t.ownerToken)
    await internal.ready
    const classification = await waitFor(() => readClassification(internal.doc), 5000, 'the classification')
    assert.is(classification.category, 'technical')
    assert.is(classification.sentiment, 'negative')
    calm.peer.destroy(); angry.peer.destroy(); internal.destroy()
  } finally { await t.close() }
})

test('model: the classify tool offers the workspace\'s categories and asks for reasoning; the response delay holds for a model', async () => {
  const model = await startOpenAiTestServer((): Script => ({ toolCalls: [
    { name: 'reply', arguments: { text: 'Parcels arrive in 3 to 5 working days.', confidence: 0.9 } },
    { name: 'classify', arguments: { category: 'shipping', priority: 'normal', sentiment: 'neutral', language: 'en', confidence: 0.9, reasoning: 'asks about delivery times' } },
  ] }))
  const t = await startBotServer({ modelUrl: model.baseUrl })
  try {
    const saved = await api(t.url, 'PUT', '/api/settings/ai', { ...DEFAULT_AI_SETTINGS, categories: ['shipping', 'returns', 'general'], responseDelayMs: 600 }, t.ownerToken)
    assert.is(saved.status, 200)
    const sentAt = Date.now()
    const { conversationId, peer } = await converse(t, 'msg-model-cat-1', 'When will my parcel arrive?')
    const outcome = await waitForOutcome(peer.doc, 'msg-model-cat-1')
    assert.is(outcome.kind, 'reply')
    assert.ok(Date.now() - sentAt >= 600, 'not before the configured delay')
    const request = model.requests.find((r) => lastUser(r).includes('parcel'))!
    const classify = (request as unknown as { tools: { function: { name: string; parameters: { properties: Record<string, { enum?: string[] }>; required: string[] } } }[] }).tools.find((tool) => tool.function.name === 'classify')!
    assert.equal(classify.function.parameters.properties.category!.enum, ['shipping', 'returns', 'general'])
    assert.ok(classify.function.parameters.required.includes('reasoning'))
    assert.match(request.messages[0]!.content, /shipping, returns, general/)
    const internal = connectPeer(t.wsUrl, formatInternalName(conversationId), t.ownerToken)
    await internal.ready
    const classification = await waitFor(() => readClassification(internal.doc), 5000, 'the classification')
    assert.equal([classification.category, classification.reasoning], ['shipping', 'asks about delivery times'])
    peer.destroy(); internal.destroy()
  } finally { await t.close(); await model.close() }
})

test('model: told the customer\'s language, it answers in it; escalating with low confidence hands over in that language with its reason', async () => {
  const model = await startOpenAiTestServer((request): Script => {
    const french = /reply in French/.test(request.messages[0]?.content ?? '')
    if (/remboursement/.test(lastUser(request))) {
      return { toolCalls: [
        { name: 'escalate_to_human', arguments: { reason: 'refund outside the policy: the help center does not cover it', priority: 'normal' } },
        { name: 'classify', arguments: { category: 'billing', priority: 'normal', sentiment: 'neutral', language: 'fr', confidence: 0.15, reasoning: 'unsure: a refund request the articles do not cover' } },
      ] }
    }
    return { toolCalls: [{ name: 'reply', arguments: { text: french ? 'Vous trouverez vos factures dans **Paramètres → Facturation**.' : 'Your invoices are under Settings → Billing.', confidence: 0.9 } }] }
  })
  const t = await startBotServer({ modelUrl: model.baseUrl })
  try {
    const asked = await converse(t, 'msg-model-fr-01', 'Bonjour, où puis-je trouver mes factures de l’année dernière ?')
    const answer = await waitForOutcome(asked.peer.doc, 'msg-model-fr-01')
    assert.is(answer.kind, 'reply')
    assert.match(answer.message.text, /Vous trouverez vos factures/)
    const refund = await converse(t, 'msg-model-fr-02', 'Je voudrais un remboursement pour une commande de l’an dernier, c’est possible ?')
    const handover = await waitForOutcome(refund.peer.doc, 'msg-model-fr-02')
    assert.is(handover.kind, 'escalated')
    if (handover.kind !== 'escalated') return
    assert.is(handover.status, 'waiting')
    assert.match(handover.reason ?? '', /refund outside the policy/)
    assert.match(handover.message.text, /^Je transmets cette conversation/, 'the handover in French')
    asked.peer.destroy(); refund.peer.destroy()
  } finally { await t.close(); await model.close() }
})

test.run()
