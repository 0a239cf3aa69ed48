/** Shared by the bot's tests and benches: a Parley server with a bot, a knowledge base, peers that watch. */
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import * as Y from 'yjs'
import { findMessage, getStreams, readMessages, readMeta, replyIdFor, type Message } from '../protocol/index.ts'
import { InProcessQueue, type JobQueue } from '../server/job-queue.ts'
import { createLogger, type Logger } from '../server/log.ts'
import { api, startTestServer, waitFor, type TestServer } from '../server/test-kit.ts'
import type { LlmClient } from './model-client.ts'
import { startBot, type RunningBot } from './worker.ts'

/** The support knowledge base the benches use: `../shared/data/support-kb` beside the repository (a checkout of its own). */
export const SUPPORT_KB_DIR = path.resolve(fileURLToPath(new URL('..', import.meta.url)), '../shared/data/support-kb')

export interface BotTestServer extends TestServer {
  bot: RunningBot
  jobs: JobQueue
  /** Resolves when the in-process queue has nothing waiting, running or scheduled. */
  idle(): Promise<void>
}

export interface BotServerOptions {
  /** The model's base URL (an OpenAiTestServer); omitted: the built-in responder. */
  modelUrl?: string
  timeoutMs?: number
  attempts?: number
  jobs?: JobQueue
  llm?: LlmClient | null
  env?: Record<string, string>
  log?: Logger
  triggerWaitMs?: number
}

export async function startBotServer(options: BotServerOptions = {}): Promise<BotTestServer> {
  const attempts = options.attempts ?? 2
  const jobs = options.jobs ?? new InProcessQueue({ attempts, backoffMs: 50 })
  const env: Record<string, string> = {
    ...(options.modelUrl ? { OPENAI_BASE_URL: options.modelUrl, OPENAI_MODEL: 'test-model' } : {}),
    ...(options.timeoutMs ? { OPENAI_TIMEOUT_MS: String(options.timeoutMs) } : {}),
    ...options.env,
  }
  let bot!: RunningBot
  const t = await startTestServer({
    env,
    start: {
      jobs,
      beforeListen: (services, server) => {
        bot = startBot({
          jobs, db: services.db, url: server.url, serviceToken: server.serviceToken, openai: services.config.openai, attempts,
          log: options.log ?? createLogger((process.env.BOT_TEST_LOG as 'debug' | undefined) ?? 'error'), ...(options.llm !== undefined ? { llm: options.llm } : {}),
          ...(options.triggerWaitMs ? { triggerWaitMs: options.triggerWaitMs } : {}),
        })
      },
    },
  })
  return {
    ...t, bot, jobs,
    idle: () => (jobs instanceof InProcessQueue ? jobs.idle() : Promise.reject(new Error('idle() needs the in-process queue'))),
    async close() {
      await bot.close()
      await t.close()
    },
  }
}

export interface KbArticleFile { slug: string; title: string; body: string }

/** The support knowledge base shipped with the benches: `# Title` then the body. */
export function readSupportKb(dir = SUPPORT_KB_DIR): KbArticleFile[] {
  return fs.readdirSync(dir).filter((f) => f.endsWith('.md')).sort().map((file) => {
    const raw = fs.readFileSync(path.join(dir, file), 'utf8')
    const title = /^#\s+(.*)$/m.exec(raw)?.[1]?.trim() ?? file
    return { slug: file.replace(/\.md$/, ''), title, body: raw.replace(/^#\s+.*$/m, '').trim() }
  })
}

/** Adds articles through the HTTP API; returns slug → article id. */
export async function loadArticles(t: TestServer, articles: KbArticleFile[]): Promise<Map<string, string>> {
  const ids = new Map<string, string>()
  for (const article of articles) {
    const created = await api(t.url, 'POST', '/api/articles', { title: article.title, body: article.body }, t.ownerToken)
    if (created.status !== 201) throw new Error(`article not created: ${JSON.stringify(created.body)}`)
    ids.set(article.slug, created.body.id)
  }
  return ids
}

/** What the bot did about a trigger message, once it has done something. */
export type BotOutcome =
  | { kind: 'reply'; message: Message }
  | { kind: 'escalated'; message: Message; status: string; priority: string; reason: string | null }

export function outcomeOf(doc: Y.Doc, triggerId: string): BotOutcome | null {
  const message = findMessage(doc, replyIdFor(triggerId))
  if (!message) return null
  if (message.author.role === 'bot') return { kind: 'reply', message }
  const meta = readMeta(doc)
  return { kind: 'escalated', message, status: meta.status ?? '', priority: meta.priority ?? '', reason: meta.escalationReason ?? null }
}

export const waitForOutcome = (doc: Y.Doc, triggerId: string, timeoutMs = 10_000): Promise<BotOutcome> =>
  waitFor(() => outcomeOf(doc, triggerId), timeoutMs, `the bot's answer to ${triggerId}`)

export const botReplies = (doc: Y.Doc): Message[] => readMessages(doc).filter((m) => m.author.role === 'bot' || m.author.role === 'system')

export const streamTexts = (doc: Y.Doc): string[] => [...getStreams(doc).values()].map((text) => text.toString())
