/**
 * How well the bot routes real support questions. Loads /work/shared/data/support-kb (14
 * articles) as a workspace's knowledge base and sends each message of questions.jsonl as a new
 * conversation through the widget API, then reads what the bot did: routed right means
 * answered from the expected article, or escalated when it should be; a confident wrong answer
 * is an answer from another article, or an answer where a person was needed. A clarifying
 * question is neither. Runs the built-in responder, and the model path when OPENAI_* is set.
 *
 * node --import tsx bench/answer-quality.ts
 */
import fs from 'node:fs'
import path from 'node:path'
import { formatConversationName } from '../protocol/index.ts'
import { connectPeer, startVisitorConversation } from '../server/test-kit.ts'
import { loadConfig } from '../server/config.ts'
import { isClarifyingQuestion } from '../ai-worker/builtin-responder.ts'
import { loadArticles, readSupportKb, SUPPORT_KB_DIR, startBotServer, waitForOutcome } from '../ai-worker/test-kit.ts'
import { fmtMs, fmtPct, median, printTable, writeResults } from './lib/report.ts'

interface Question { text: string; expect: string; why: string; lang?: string }
type Verdict = 'right' | 'confident-wrong' | 'clarified' | 'escalated-needlessly'

const questions: Question[] = fs.readFileSync(path.join(SUPPORT_KB_DIR, 'questions.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line))

async function runPath(label: string, model: boolean) {
  const env = loadConfig()
  const t = await startBotServer(model
    ? { env: { ...(env.openai.baseUrl ? { OPENAI_BASE_URL: env.openai.baseUrl } : {}), ...(env.openai.apiKey ? { OPENAI_API_KEY: env.openai.apiKey } : {}), OPENAI_MODEL: env.openai.model, OPENAI_TIMEOUT_MS: String(env.openai.timeoutMs) } }
    : { llm: null })
  const rows: { text: string; expect: string; lang: string; got: string; verdict: Verdict; ms: number }[] = []
  try {
    const ids = await loadArticles(t, readSupportKb())
    const slugOf = new Map([...ids].map(([slug, id]) => [id, slug]))
    for (const [i, q] of questions.entries()) {
      const messageId = `msg-quality-${String(i).padStart(3, '0')}`
      const started = performance.now()
      const { conversationId } = await startVisitorConversation(t, `Customer ${i}`, { id: messageId, text: q.text })
      const peer = connectPeer(t.wsUrl, formatConversationName(conversationId), t.ownerToken)
      await peer.ready
      const outcome = await waitForOutcome(peer.doc, messageId, 120_000)
      const ms = performance.now() - started
      peer.destroy()
      let got: string
      let verdict: Verdict
      if (outcome.kind === 'escalated') {
        got = 'escalate'
        verdict = q.expect === 'escalate' ? 'right' : 'escalated-needlessly'
      } else if (isClarifyingQuestion(outcome.message.text)) {
        got = 'clarify'
        verdict = 'clarified'
      } else {
        got = slugOf.get(outcome.message.sources?.[0]?.id ?? '') ?? '(no source)'
        verdict = got === q.expect ? 'right' : 'confident-wrong'
      }
      rows.push({ text: q.text, expect: q.expect, lang: q.lang ?? 'en', got, verdict, ms })
    }
  } finally { await t.close() }
  const count = (v: Verdict) => rows.filter((r) => r.verdict === v).length
  const byLang = [...new Set(rows.map((r) => r.lang))].map((lang) => {
    const mine = rows.filter((r) => r.lang === lang)
    return `${lang} ${mine.filter((r) => r.verdict === 'right').length}/${mine.length}`
  }).join(', ')
  const summary = {
    path: label, messages: rows.length, routedRight: count('right') / rows.length, confidentWrong: count('confident-wrong'),
    clarified: count('clarified'), escalatedNeedlessly: count('escalated-needlessly'), medianMsToOutcome: median(rows.map((r) => r.ms)), byLanguage: byLang,
  }
  for (const r of rows.filter((x) => x.verdict !== 'right')) console.log(`  ${label}: ${r.verdict.padEnd(20)} expected ${r.expect.padEnd(26)} got ${r.got.padEnd(26)} ${r.text.slice(0, 70)}`)
  return { summary, rows }
}

const config = loadConfig()
const paths = [await runPath('built-in responder', false)]
if (config.openai.apiKey || config.openai.baseUrl) paths.push(await runPath(`model ${config.openai.model}`, true))
else console.log('\n  (model path skipped: set OPENAI_API_KEY and/or OPENAI_BASE_URL to run it)')

printTable('Answer quality (40 support messages, 14 KB articles; target for the built-in responder: ≥ 85 % routed right, ≤ 1 confident wrong)', paths.map(({ summary: s }) => ({
  path: s.path, 'routed right': fmtPct(s.routedRight), 'confident wrong': s.confidentWrong, clarified: s.clarified,
  'escalated needlessly': s.escalatedNeedlessly, 'median ms to outcome': fmtMs(s.medianMsToOutcome), 'right by language': s.byLanguage,
})))
writeResults('answer-quality', { paths })
process.exit(0)
