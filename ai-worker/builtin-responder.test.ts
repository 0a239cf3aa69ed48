import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { formatConversationName, formatInboxName, getInboxEntries, readMessages, readMeta, replyIdFor } from '../protocol/index.ts'
import { api, connectPeer, startVisitorConversation, waitFor } from '../server/test-kit.ts'
import { loadArticles, readSupportKb, startBotServer, streamTexts, waitForOutcome } from './test-kit.ts'

test('without a model, the built-in responder answers a KB question from the article and says where it found it', async () => {
  const t = await startBotServer({ llm: null })
  try {
    const ids = await loadArticles(t, readSupportKb())
    const { conversationId, visitorToken } = await startVisitorConversation(t, 'Vera', { id: 'msg-kb-00001', text: 'How long do deleted notes stay in the trash before they are gone for good?' })
    const peer = connectPeer(t.wsUrl, formatConversationName(conversationId), visitorToken)
    await peer.ready
    const outcome = await waitForOutcome(peer.doc, 'msg-kb-00001')
    assert.is(outcome.kind, 'reply')
    assert.match(outcome.message.text, /^I found this in our help center/)
    assert.match(outcome.message.text, /30 days/)
    assert.equal(outcome.message.sources, [{ id: ids.get('trash-and-restoring'), title: 'Deleted notes, trash and restoring' }])
    const meta = readMeta(peer.doc)
    assert.is(meta.status, 'bot')
    // The classification is for the team: it is in the internal document and SQL, not in what the customer receives.
    const projected = await waitFor(async () => (await api(t.url, 'GET', `/api/conversations/${conversationId}`, undefined, t.ownerToken)).body.classification, 5000, 'the projected classification')
    assert.is(projected.category, 'technical', 'one of the workspace\'s categories')
    assert.is(projected.language, 'en')
    assert.not.ok(JSON.stringify(meta).includes('Deleted notes, trash'), 'the customer\'s document carries no classification')
    peer.destroy()
  } finally { await t.close() }
})

test('the built-in responder escalates what the help center does not cover, and always a request for a person', async () => {
  const t = await startBotServer({ llm: null })
  try {
    await loadArticles(t, readSupportKb())
    const inbox = connectPeer(t.wsUrl, formatInboxName(t.workspaceId), t.ownerToken)
    const unknown = await startVisitorConversation(t, 'Uma', { id: 'msg-unknown-1', text: 'Do you offer an on-premise version we can host ourselves?' })
    const a = connectPeer(t.wsUrl, formatConversationName(unknown.conversationId), t.ownerToken)
    await Promise.all([a.ready, inbox.ready])
    const first = await waitForOutcome(a.doc, 'msg-unknown-1')
    await waitFor(() => getInboxEntries(inbox.doc).get(unknown.conversationId)?.status === 'waiting', 5000, 'the first in the queue')
    const person = await startVisitorConversation(t, 'Pat', { id: 'msg-person-01', text: 'Ich möchte bitte mit einem Mitarbeiter sprechen' })
    const b = connectPeer(t.wsUrl, formatConversationName(person.conversationId), t.ownerToken)
    await b.ready
    const second = await waitForOutcome(b.doc, 'msg-person-01')
    assert.is(first.kind, 'escalated')
    assert.is(second.kind, 'escalated')
    if (first.kind !== 'escalated' || second.kind !== 'escalated') return
    assert.is(first.status, 'waiting')
    assert.is(second.reason, 'the customer asked for a person')
    assert.match(second.message.text, /Nummer 2 in der Warteschlange/, 'the handover in the customer\'s language')
    assert.is((await waitFor(async () => (await api(t.url, 'GET', `/api/conversations/${person.conversationId}`, undefined, t.ownerToken)).body.classification, 5000, 'the classification')).language, 'de')
    a.destroy(); b.destroy(); inbox.destroy()
  } finally { await t.close() }
})

test('an unclear question gets one clarifying question; still unclear, it goes to a person', async () => {
  const t = await startBotServer({ llm: null })
  try {
    await loadArticles(t, readSupportKb())
    // A demanding threshold: a question that touches two articles is below it, and above the clarifying band.
    const current = (await api(t.url, 'GET', '/api/settings/ai', undefined, t.ownerToken)).body
    const put = await api(t.url, 'PUT', '/api/settings/ai', { ...current, confidenceThreshold: 0.9 }, t.ownerToken)
    assert.is(put.status, 200, JSON.stringify(put.body))
    const { conversationId, visitorToken } = await startVisitorConversation(t, 'Cleo', { id: 'msg-vague-001', text: 'help with sharing and billing' })
    const peer = connectPeer(t.wsUrl, formatConversationName(conversationId), t.ownerToken)
    await peer.ready
    const first = await waitForOutcome(peer.doc, 'msg-vague-001')
    assert.is(first.kind, 'reply')
    assert.match(first.message.text, /Is your question about/)
    const sent = await api(t.url, 'POST', `/api/widget/conversations/${conversationId}/messages`, { id: 'msg-vague-002', text: 'neither of those' }, visitorToken)
    assert.is(sent.status, 201, JSON.stringify(sent.body))
    const second = await waitForOutcome(peer.doc, 'msg-vague-002')
    assert.is(second.kind, 'escalated', second.message.text)
    peer.destroy()
  } finally { await t.close() }
})

test('the greeting is the first message, before the customer\'s question, in the customer\'s language, and the bot does not greet twice', async () => {
  const t = await startBotServer({ llm: null })
  try {
    await loadArticles(t, readSupportKb())
    const session = await api(t.url, 'POST', '/api/widget/session', { siteKey: t.siteKey, name: 'Greta' })
    const response = await fetch(`${t.url}/api/widget/conversations`, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${session.body.token}`, 'accept-language': 'de-DE,de;q=0.9,en;q=0.5' },
      body: JSON.stringify({ siteKey: t.siteKey, message: { id: 'msg-greet-0001', text: 'Wo finde ich meine Rechnungen?' } }),
    })
    assert.is(response.status, 201)
    const { id } = await response.json() as { id: string }
    const peer = connectPeer(t.wsUrl, formatConversationName(id), t.ownerToken)
    await peer.ready
    const outcome = await waitForOutcome(peer.doc, 'msg-greet-0001')
    assert.is(outcome.kind, 'reply')
    await t.idle()
    const messages = readMessages(peer.doc)
    assert.equal(messages.slice(0, 2).map((m) => m.id), [replyIdFor(`greet-${id}`), 'msg-greet-0001'], 'greeting, then the question')
    assert.match(messages[0]!.text, /^Hallo! Ich bin der Support-Assistent/)
    assert.is(messages.filter((m) => m.author.role === 'bot' && /Support-Assistent|support assistant/.test(m.text)).length, 1, 'one greeting')
    assert.match(outcome.message.text, /Hilfe-Center/, 'the answer in German too')
    peer.destroy()
  } finally { await t.close() }
})

test('a one-word message falls back to the browser\'s language', async () => {
  const t = await startBotServer({ llm: null })
  try {
    const session = await api(t.url, 'POST', '/api/widget/session', { siteKey: t.siteKey, name: 'Piet' })
    const response = await fetch(`${t.url}/api/widget/conversations`, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${session.body.token}`, 'accept-language': 'nl-NL,nl;q=0.9' },
      body: JSON.stringify({ siteKey: t.siteKey, message: { id: 'msg-hint-0001', text: 'ok' } }),
    })
    const { id } = await response.json() as { id: string }
    const peer = connectPeer(t.wsUrl, formatConversationName(id), t.ownerToken)
    await peer.ready
    const outcome = await waitForOutcome(peer.doc, 'msg-hint-0001')
    assert.is(outcome.kind, 'reply')
    assert.match(outcome.message.text, /Graag gedaan/)
    assert.is(readMeta(peer.doc).contact?.language, 'nl')
    peer.destroy()
  } finally { await t.close() }
})

test('small talk is answered in kind and stays with the bot', async () => {
  const t = await startBotServer({ llm: null })
  try {
    const { conversationId, visitorToken } = await startVisitorConversation(t, 'Hugo', { id: 'msg-small-001', text: 'Bonjour' })
    const peer = connectPeer(t.wsUrl, formatConversationName(conversationId), t.ownerToken)
    await peer.ready
    const hello = await waitForOutcome(peer.doc, 'msg-small-001')
    assert.is(hello.kind, 'reply')
    assert.match(hello.message.text, /Comment puis-je vous aider/)
    await api(t.url, 'POST', `/api/widget/conversations/${conversationId}/messages`, { id: 'msg-small-002', text: 'merci beaucoup !' }, visitorToken)
    const thanks = await waitForOutcome(peer.doc, 'msg-small-002')
    assert.is(thanks.kind, 'reply')
    assert.match(thanks.message.text, /autre chose/)
    assert.is(readMeta(peer.doc).status, 'bot', 'nobody was bothered')
    peer.destroy()
  } finally { await t.close() }
})

test('the built-in reply streams like a model\'s, after the configured response delay', async () => {
  const t = await startBotServer({ llm: null })
  try {
    await loadArticles(t, readSupportKb())
    const current = (await api(t.url, 'GET', '/api/settings/ai', undefined, t.ownerToken)).body
    assert.is((await api(t.url, 'PUT', '/api/settings/ai', { ...current, responseDelayMs: 400 }, t.ownerToken)).status, 200)
    assert.is((await api(t.url, 'PUT', '/api/settings/ai', { ...current, responseDelayMs: -1 }, t.ownerToken)).status, 400, 'a negative delay is refused')
    const sentAt = Date.now()
    const { conversationId } = await startVisitorConversation(t, 'Sam', { id: 'msg-stream-01', text: 'How do I create an API key?' })
    const peer = connectPeer(t.wsUrl, formatConversationName(conversationId), t.ownerToken)
    const partials: string[] = []
    peer.doc.on('update', () => { for (const text of streamTexts(peer.doc)) if (text) partials.push(text) })
    await peer.ready
    const outcome = await waitForOutcome(peer.doc, 'msg-stream-01')
    assert.is(outcome.kind, 'reply')
    assert.ok(Date.now() - sentAt >= 400, 'not before the delay')
    assert.ok(partials.length > 1, `seen while being written (${partials.length} states)`)
    assert.ok(partials.every((p) => outcome.message.text.startsWith(p)), 'each state is the start of the reply')
    assert.equal(streamTexts(peer.doc), [], 'the stream is gone once the reply is final')
    peer.destroy()
  } finally { await t.close() }
})

test.run()
