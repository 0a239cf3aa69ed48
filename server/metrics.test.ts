import { test } from 'uvu'
import * as assert from 'uvu/assert'
import * as encoding from 'lib0/encoding'
import parsePrometheusTextFormat, { type Family } from 'parse-prometheus-text-format'
import { appendMessage, createId, formatConversationName, readMessages, replyIdFor } from '../protocol/index.ts'
import { loadArticles, readSupportKb, startBotServer } from '../ai-worker/test-kit.ts'
import { api, connectPeer, startVisitorConversation, waitFor } from './test-kit.ts'

interface Scrape { families: Family[]; samples: Family[] }

/**
 * The families as the parser reads them (it throws on a malformed line, and gives each family's
 * type), and every sample with its labels: the parser folds a labelled histogram's series into
 * one, so `_count` samples are read a second time with the TYPE lines left out (each series untyped).
 */
const scrape = async (url: string): Promise<Scrape> => {
  const response = await fetch(url + '/metrics')
  assert.is(response.status, 200)
  assert.match(response.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/)
  const text = await response.text()
  return { families: parsePrometheusTextFormat(text), samples: parsePrometheusTextFormat(text.split('\n').filter((line) => !line.startsWith('# TYPE')).join('\n')) }
}
const family = ({ families }: Scrape, name: string): Family => {
  const found = families.find((f) => f.name === name)
  if (!found) throw new Error(`${name} is not in /metrics`)
  return found
}
const sum = ({ samples }: Scrape, name: string, labels: Record<string, string> = {}): number =>
  samples.filter((f) => f.name === name).flatMap((f) => f.metrics).filter((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v)).reduce((total, m) => total + Number(m.value ?? 0), 0)
const histogramCount = (s: Scrape, name: string, labels: Record<string, string> = {}): number => {
  assert.is(family(s, name).type, 'HISTOGRAM', name)
  return sum(s, `${name}_count`, labels)
}
const counterValue = sum

test('/metrics parses as Prometheus text and, after traffic, its histograms and counters have counts', async () => {
  const t = await startBotServer()
  try {
    await loadArticles(t, readSupportKb().filter((a) => a.slug === 'reset-password'))
    const { conversationId } = await startVisitorConversation(t, 'Vera', { id: 'msg-question-1', text: 'I forgot my password, how do I reset it?' })
    const name = formatConversationName(conversationId)
    const agent = connectPeer(t.wsUrl, name, t.ownerToken)
    await agent.ready
    // The bot answers (or hands over): either ends the bot-reply wait.
    await waitFor(() => readMessages(agent.doc).some((m) => m.id === replyIdFor('msg-question-1')), 10_000, 'the bot to act on the question')
    const me = (await api(t.url, 'GET', '/api/auth/me', undefined, t.ownerToken)).body.agent
    appendMessage(agent.doc, { id: createId('m'), author: { role: 'agent', id: me.id, name: me.name }, kind: 'message', text: 'Anything else?', attachments: [], createdAt: Date.now() })
    await waitFor(() => agent.provider.unsyncedChanges === 0, 5000, 'the agent message to be acknowledged')
    assert.is((await api(t.url, 'GET', `/api/conversations/${conversationId}`, undefined, t.ownerToken)).status, 200)
    // A torn update: refused by the guard (4422 malformed-update) and counted by its close code.
    const refusedPeer = connectPeer(t.wsUrl, name, t.ownerToken)
    await refusedPeer.ready
    const encoder = encoding.createEncoder()
    encoding.writeVarString(encoder, name); encoding.writeVarUint(encoder, 0); encoding.writeVarUint(encoder, 2); encoding.writeVarUint8Array(encoder, new Uint8Array([1, 2, 3]))
    refusedPeer.socket.send(encoding.toUint8Array(encoder))
    await waitFor(() => refusedPeer.closes.length > 0, 5000, 'the torn update to be refused')

    const families = await waitFor(async () => {
      const f = await scrape(t.url)
      return histogramCount(f, 'parley_projection_batch_seconds') > 0 && counterValue(f, 'parley_messages_total', { role: 'agent' }) > 0 ? f : null
    }, 5000, 'the projection to have run')
    assert.ok(histogramCount(families, 'parley_http_request_duration_seconds', { route: '/api/widget/conversations', method: 'POST', status: '201' }) >= 1)
    assert.ok(histogramCount(families, 'parley_http_request_duration_seconds', { route: '/api/conversations/:id', method: 'GET', status: '200' }) >= 1, 'the route pattern, not the raw URL')
    assert.not.ok(families.samples.some((f) => f.metrics.some((m) => Object.values(m.labels ?? {}).some((v) => v.includes(conversationId)))), 'no raw ids in labels')
    assert.ok(histogramCount(families, 'parley_update_ack_seconds') >= 1)
    assert.ok(histogramCount(families, 'parley_update_delivery_seconds') >= 1)
    assert.ok(histogramCount(families, 'parley_document_load_seconds', { kind: 'conversation' }) >= 1)
    assert.ok(histogramCount(families, 'parley_bot_reply_seconds') >= 1)
    assert.ok(counterValue(families, 'parley_messages_total', { role: 'customer' }) >= 1)
    assert.is(counterValue(families, 'parley_updates_refused_total', { close_code: '4422' }), 1, 'the torn update, by its close code')
    assert.is(family(families, 'parley_rate_limited_total').type, 'COUNTER')
    assert.is(family(families, 'parley_messages_total').type, 'COUNTER')
    // Node's default process metrics, and today's gauges with their meaning.
    for (const name of ['process_cpu_user_seconds_total', 'process_resident_memory_bytes', 'nodejs_eventloop_lag_seconds', 'nodejs_heap_size_used_bytes']) assert.ok(family(families, name), name)
    for (const name of ['parley_connections', 'parley_documents_loaded', 'parley_messages_per_second', 'parley_update_log_rows', 'parley_job_queue_depth', 'parley_event_loop_delay_p99_ms']) assert.is(family(families, name).type, 'GAUGE', name)
    assert.ok(counterValue(families, 'parley_connections') >= 1)
    assert.ok(counterValue(families, 'parley_update_log_appended_total') >= 1)
  } finally { await t.close() }
})

test.run()
