/**
 * Puts a bot together: document pool (service token), knowledge source, settings, model
 * client, and the job queue it consumes. The server starts one in-process; `npm run worker`
 * starts one per process against BullMQ.
 */
import type { Db } from '../db/database.ts'
import type { Config } from '../server/config.ts'
import { readAiSettings } from '../server/http/settings.routes.ts'
import type { JobQueue } from '../server/job-queue.ts'
import type { Logger } from '../server/log.ts'
import { Bot } from './bot.ts'
import { DocumentPool } from './document-pool.ts'
import { KnowledgeSource } from './knowledge-source.ts'
import { OpenAiClient, type LlmClient } from './model-client.ts'

export interface StartBotOptions {
  jobs: JobQueue
  db: Db
  /** The server's base URL (http://…); a function when it is known only after listen. */
  url: string | (() => string)
  serviceToken: string
  openai: Config['openai']
  /** The queue's attempts per job (the last attempt escalates instead of failing). */
  attempts: number
  log: Logger
  /** Overrides the client made from `openai` (null forces the built-in responder). */
  llm?: LlmClient | null
  maxOpenDocuments?: number
  idleMs?: number
  triggerWaitMs?: number
}

export interface RunningBot { bot: Bot; pool: DocumentPool; llm: LlmClient | null; close(): Promise<void> }

/** A model is configured when there is a key or an endpoint (local servers such as Ollama need no key). */
export const modelFrom = (openai: Config['openai']): LlmClient | null =>
  openai.apiKey || openai.baseUrl ? new OpenAiClient(openai) : null

export const syncUrlOf = (httpUrl: string): string => `${httpUrl.replace(/^http/, 'ws').replace(/\/$/, '')}/sync`

export function startBot(options: StartBotOptions): RunningBot {
  const url = options.url
  const pool = new DocumentPool({
    url: () => syncUrlOf(typeof url === 'function' ? url() : url), token: options.serviceToken,
    // No update batching: merged updates can set one meta key twice, which the guard refuses.
    maxOpen: options.maxOpenDocuments ?? 64, idleMs: options.idleMs ?? 30_000,
  })
  const llm = options.llm !== undefined ? options.llm : modelFrom(options.openai)
  const bot = new Bot({
    pool, llm, attempts: options.attempts, log: options.log, ...(options.triggerWaitMs ? { triggerWaitMs: options.triggerWaitMs } : {}),
    knowledge: new KnowledgeSource(options.db), settings: (workspaceId) => readAiSettings(options.db, workspaceId),
  })
  options.jobs.process(bot.handle)
  options.log.info('bot started', { model: llm ? llm.model : 'built-in responder' })
  return { bot, pool, llm, close: () => pool.close() }
}
