/**
 * Recovers bot jobs the queue lost (a Redis restart without persistence, a process that died
 * with the in-process queue): a conversation in `bot` status whose last customer message has
 * no reply and no activity for `afterMs`, gets its reply job again; one that has had no bot
 * message at all since it was opened `afterMs` ago (its greeting job was lost: issue 20, "Missing
 * key for job greet-…") gets its greeting job again. Idempotent: the job's id
 * derives from the trigger message (BullMQ keeps one job per id) and the bot replies at most
 * once per trigger, so several instances sweeping, or a job that was only slow, cost nothing.
 */
import { findMessage, readMessages, readMeta, replyIdFor } from '../../protocol/index.ts'
import { readAiSettings } from '../http/settings.routes.ts'
import type { Services } from '../services.ts'

export interface SweepOptions {
  /** A customer message unanswered this long counts as lost (ms). */
  afterMs: number
  /** Older ones are left alone (ms): by then a person should look, not the bot. */
  maxAgeMs?: number
  /** Conversations looked at per sweep. */
  limit?: number
}

/** Triggers enqueued again, so one that keeps going unanswered is given up after a few sweeps. */
export type SweepMemory = Map<string, number>

const MAX_REQUEUES = 3

export async function sweepLostJobs(services: Services, options: SweepOptions, memory: SweepMemory = new Map(), now = Date.now()): Promise<number> {
  const { db } = services
  const candidates = await db.kysely.selectFrom('conversations').select(['id', 'workspace_id'])
    .where('status', '=', 'bot')
    .where('last_activity_at', '<=', now - options.afterMs)
    .where('last_activity_at', '>', now - (options.maxAgeMs ?? 24 * 3600_000))
    .orderBy('last_activity_at', 'desc').limit(options.limit ?? 100).execute()
  let enqueued = 0
  const enabled = new Map<string, boolean>()
  for (const conversation of candidates) {
    // The last customer message, answered or not (a greeting can come after it).
    const last = await db.kysely.selectFrom('messages').select('id').where('conversation_id', '=', conversation.id).where('author_role', '=', 'customer').orderBy('seq', 'desc').limit(1).executeTakeFirst()
    if (!last) continue
    const reply = await db.kysely.selectFrom('messages').select('id').where('conversation_id', '=', conversation.id).where('id', '=', replyIdFor(last.id)).executeTakeFirst()
    if (reply) continue
    if ((memory.get(last.id) ?? 0) >= MAX_REQUEUES) continue
    if (!enabled.has(conversation.workspace_id)) enabled.set(conversation.workspace_id, (await readAiSettings(db, conversation.workspace_id)).enabled)
    if (!enabled.get(conversation.workspace_id)) continue
    // The document decides (the tables are a projection and may lag behind it).
    const unanswered = await services.conversations.change(conversation.id, (doc) =>
      readMeta(doc).status === 'bot' && findMessage(doc, last.id)?.author.role === 'customer' && !findMessage(doc, replyIdFor(last.id)))
    if (!unanswered) continue
    const times = (memory.get(last.id) ?? 0) + 1
    memory.set(last.id, times)
    if (times === MAX_REQUEUES) services.log.error('a customer message stays unanswered after its job was enqueued again; giving up on it', { conversationId: conversation.id, messageId: last.id })
    services.log.warn('bot job lost; enqueued again', { conversationId: conversation.id, messageId: last.id, times })
    await services.jobs.add({ kind: 'reply', conversationId: conversation.id, messageId: last.id, workspaceId: conversation.workspace_id })
    enqueued += 1
  }
  return enqueued + await sweepLostGreetings(services, options, memory, now, enabled)
}

/**
 * Conversations still in `bot` status, opened `afterMs` ago or more, with no bot message in the
 * tables: the greeting never came. Only workspaces whose bot greets are looked at; the document
 * decides, as above. The bot writes the greeting before any customer message, so a late one still
 * reads in order.
 */
async function sweepLostGreetings(services: Services, options: SweepOptions, memory: SweepMemory, now: number, enabled: Map<string, boolean>): Promise<number> {
  const { db } = services
  const candidates = await db.kysely.selectFrom('conversations as c').select(['c.id', 'c.workspace_id'])
    .where('c.status', '=', 'bot')
    .where('c.created_at', '<=', now - options.afterMs)
    .where('c.created_at', '>', now - (options.maxAgeMs ?? 24 * 3600_000))
    .where(({ not, exists, selectFrom }) => not(exists(selectFrom('messages as m').select('m.id').whereRef('m.conversation_id', '=', 'c.id').where('m.author_role', '=', 'bot'))))
    .orderBy('c.created_at', 'desc').limit(options.limit ?? 100).execute()
  const greets = new Map<string, boolean>()
  let enqueued = 0
  for (const conversation of candidates) {
    const trigger = `greet-${conversation.id}`
    if ((memory.get(trigger) ?? 0) >= MAX_REQUEUES) continue
    if (!greets.has(conversation.workspace_id)) {
      const settings = await readAiSettings(db, conversation.workspace_id)
      enabled.set(conversation.workspace_id, settings.enabled)
      greets.set(conversation.workspace_id, settings.enabled && settings.greeting.trim() !== '')
    }
    if (!greets.get(conversation.workspace_id)) continue
    const lost = await services.conversations.change(conversation.id, (doc) =>
      readMeta(doc).status === 'bot' && !findMessage(doc, replyIdFor(trigger)) && !readMessages(doc).some((m) => m.author.role === 'bot'))
    if (!lost) continue
    const times = (memory.get(trigger) ?? 0) + 1
    memory.set(trigger, times)
    services.log.warn('bot greeting lost; enqueued again', { conversationId: conversation.id, times })
    await services.jobs.add({ kind: 'greet', conversationId: conversation.id, messageId: trigger, workspaceId: conversation.workspace_id })
    enqueued += 1
  }
  return enqueued
}

/** Sweeps every `afterMs / 2` (at most every 30 s); the returned stop waits for a sweep under way. */
export function startLostJobSweep(services: Services, options: SweepOptions): () => Promise<void> {
  const memory: SweepMemory = new Map()
  let running: Promise<void> | null = null
  const timer = setInterval(() => {
    if (running) return
    running = sweepLostJobs(services, options, memory)
      .then(() => {}, (error) => services.log.error('recovering lost bot jobs failed', { error }))
      .finally(() => { running = null; if (memory.size > 10_000) memory.clear() })
  }, Math.min(30_000, Math.max(50, Math.floor(options.afterMs / 2))))
  timer.unref()
  return async () => { clearInterval(timer); await running }
}
