/**
 * How well the bot routes real support questions. Loads /work/shared/data/support-kb (14
 * articles) as a workspace's knowledge base and sends each message of questions.jsonl as a new
 * conversation through the widget API, then reads what the bot did: routed right means
 * answered from the expected article, or escalated when it should be; a confident wrong answer
 * is an answer from another article, or an answer where a person was needed. A clarifying
 * question is neither. Runs the built-in responder, and the model path when OPENAI_* is set.
 * `expect` is an article's slug, "escalate", or "smalltalk" (a reply with no source that is
 * not a clarifying question); `alsoOk` lists other acceptable outcomes (a message with two
 * questions). Figures per language: routed right, confident wrong, clarified, wrong
 * escalations, requests for a person recognised, and non-English article questions answered.
 *
 * node --import tsx bench/answer-quality.ts [--questions FILE ...]   (default: the tuning set and bench/data/holdout-questions.jsonl)
 */
import fs from 'node:fs'
import path from 'node:path'
import { formatConversationName } from '../protocol/index.ts'
import { LIMITS_OFF, connectPeer, startVisitorConversation } from '../server/test-kit.ts'
import { loadConfig } from '../server/config.ts'
import { isClarifyingQuestion } from '../ai-worker/builtin-responder.ts'
import { loadArticles, readSupportKb, SUPPORT_KB_DIR, startBotServer, waitForOutcome } from '../ai-worker/test-kit.ts'
import { fmtMs, fmtPct, median, printTable, writeResults } from './lib/report.ts'

interface Question { text: string; expect: string; why: string; lang?: string; alsoOk?: string[] }
type Verdict = 'right' | 'confident-wrong' | 'clarified' | 'escalated-needlessly'

const given = process.argv.flatMap((a, i) => (process.argv[i - 1] === '--questions' ? [a] : []))
const files = given.length > 0 ? given : [path.join(SUPPORT_KB_DIR, 'questions.jsonl'), path.join(import.meta.dirname, 'data', 'holdout-questions.jsonl')]
const readQuestions = (file: string): Question[] => fs.readFileSync(file, 'utf8').trim().split('\n').filter(Boolean).map((line) => JSON.parse(line))
const isPersonRequest = (q: Question) => q.expect === 'escalate' && /person|human|agent/i.test(q.why)

async function runPath(label: string, model: boolean, questions: Question[]) {
  const env = loadConfig()
  const t = await startBotServer(model
    // One address opens a conversation per message: the widget's per-address limits would refuse most of them.
    ? { env: { ...LIMITS_OFF, ...(env.openai.baseUrl ? { OPENAI_BASE_URL: env.openai.baseUrl } : {}), ...(env.openai.apiKey ? { OPENAI_API_KEY: env.openai.apiKey } : {}), OPENAI_MODEL: env.openai.model, OPENAI_TIMEOUT_MS: String(env.openai.timeoutMs) } }
    : { llm: null, env: LIMITS_OFF })
  const rows: { text: string; expect: string; lang: string; got: string; verdict: Verdict; ms: number; person: boolean }[] = []
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
      const ok = (value: string) => value === q.expect || (q.alsoOk ?? []).includes(value)
      if (outcome.kind === 'escalated') {
        got = 'escalate'
        verdict = ok(got) ? 'right' : 'escalated-needlessly'
      } else if (isClarifyingQuestion(outcome.message.text)) {
        got = 'clarify'
        verdict = ok(got) ? 'right' : 'clarified'
      } else {
        got = outcome.message.sources?.length ? slugOf.get(outcome.message.sources[0]?.id ?? '') ?? '(unknown source)' : 'smalltalk'
        verdict = ok(got) ? 'right' : 'confident-wrong'
      }
      rows.push({ text: q.text, expect: q.expect, lang: q.lang ?? 'en', got, verdict, ms, person: isPersonRequest(q) })
    }
  } finally { await t.close() }
  const count = (v: Verdict, of = rows) => of.filter((r) => r.verdict === v).length
  const byLanguage = [...new Set(rows.map((r) => r.lang))].map((lang) => {
    const mine = rows.filter((r) => r.lang === lang)
    const persons = mine.filter((r) => r.person)
    const articles = mine.filter((r) => r.expect !== 'escalate' && r.expect !== 'smalltalk')
    return {
      language: lang, messages: mine.length, 'routed right': fmtPct(count('right', mine) / mine.length), 'confident wrong': count('confident-wrong', mine),
      clarified: count('clarified', mine), 'wrong escalations': count('escalated-needlessly', mine),
      'person requests recognised': persons.length ? `${persons.filter((r) => r.got === 'escalate').length}/${persons.length}` : '-',
      'article questions answered': articles.length ? `${articles.filter((r) => r.verdict === 'right').length}/${articles.length}` : '-',
    }
  })
  const foreign = rows.filter((r) => r.lang !== 'en' && r.expect !== 'escalate' && r.expect !== 'smalltalk')
  const summary = {
    path: label, messages: rows.length, routedRight: count('right') / rows.length, confidentWrong: count('confident-wrong'),
    clarified: count('clarified'), escalatedNeedlessly: count('escalated-needlessly'), medianMsToOutcome: median(rows.map((r) => r.ms)),
    nonEnglishArticleAnswered: foreign.length ? foreign.filter((r) => r.verdict === 'right').length / foreign.length : null, byLanguage,
  }
  for (const r of rows.filter((x) => x.verdict !== 'right')) console.log(`  ${label}: ${r.verdict.padEnd(20)} expected ${r.expect.padEnd(26)} got ${r.got.padEnd(26)} ${r.text.slice(0, 70)}`)
  return { summary, rows }
}

const config = loadConfig()
const results = []
for (const file of files) {
  const questions = readQuestions(file)
  const name = path.basename(file)
  console.log(`\n${name}: ${questions.length} messages`)
  const paths = [await runPath('built-in responder', false, questions)]
  if (config.openai.apiKey || config.openai.baseUrl) paths.push(await runPath(`model ${config.openai.model}`, true, questions))
  else console.log('\n  (model path skipped: set OPENAI_API_KEY and/or OPENAI_BASE_URL to run it)')
  printTable(`Answer quality, ${name} (${questions.length} messages, 14 KB articles; targets: ≥ 85 % routed right, ≤ 1 confident wrong per 100, person requests ≥ 95 % per language, non-English article questions ≥ 70 %)`, paths.map(({ summary: s }) => ({
    path: s.path, 'routed right': fmtPct(s.routedRight), 'confident wrong': s.confidentWrong, clarified: s.clarified,
    'wrong escalations': s.escalatedNeedlessly, 'non-English article questions answered': s.nonEnglishArticleAnswered === null ? '-' : fmtPct(s.nonEnglishArticleAnswered),
    'median ms to outcome': fmtMs(s.medianMsToOutcome),
  })))
  for (const { summary: s } of paths) printTable(`${name}, ${s.path}, per language`, s.byLanguage)
  results.push({ file: name, paths })
}
writeResults('answer-quality', { files: results })
process.exit(0)
