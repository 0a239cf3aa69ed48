/**
 * The job handler: opens the conversation as a peer, reads the transcript and acts. A reply's
 * id derives from its trigger, so a retried or duplicated job finds the reply and stops; a
 * human taking the conversation stops the bot mid-sentence; a model that keeps failing ends in
 * an escalation, never in silence.
 */
import {
  DEFAULT_AI_SETTINGS, PRIORITIES, findMessage, formatConversationName, message, formatInboxName, formatInternalName, getMessages, getMeta, queuePosition, readClassification, readInbox, readInboxMovedTo, readMessages, readMeta, replyIdFor,
  updateMeta, writeClassification, type AiSettings, type BotJob, type Classification, type InboxEntry, type Message, type Priority,
} from '../protocol/index.ts'
import type * as Y from 'yjs'
import type { Logger } from '../server/log.ts'
import { classify, currentQuestion, languageOf, respond } from './builtin-responder.ts'
import { escalate, finishReply, openAiDraft, openStream, removeStream, setTyping, writeGreeting } from './conversation-writer.ts'
import { DocumentClosedError, type DocumentPool, type OpenDocument } from './document-pool.ts'
import type { KnowledgeSource } from './knowledge-source.ts'
import { ModelUnavailableError, type LlmClient } from './model-client.ts'
import { runModel, type ModelOutcome } from './model-responder.ts'
import { bestSentences } from './retrieval.ts'
import { isWithinBusinessHours } from '../protocol/business-hours.ts'

export const UNAVAILABLE_REASON = 'assistant unavailable'

/** A job's trigger message is not (yet) in the worker's copy of the conversation: retry later. */
export class TriggerNotVisibleError extends Error {
  constructor(messageId: string) { super(`customer message ${messageId} not visible yet`) }
}
/** The built-in reply is streamed a few words at a time, this far apart (pacing for readers, not synchronisation). */
const STREAM_STEP_MS = 15
const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))
/** A text in pieces of about four words, whitespace kept, so the pieces join back to the text. */
export const streamChunks = (text: string): string[] => text.match(/(?:\S+\s*){1,4}|\s+/g) ?? [text]
const TRIGGER_WAIT_MS = 5000

function waitForMessage(doc: Y.Doc, id: string, timeoutMs: number): Promise<Message | undefined> {
  const found = findMessage(doc, id)
  if (found) return Promise.resolve(found)
  return new Promise((resolve) => {
    const messages = getMessages(doc)
    const check = () => { const message = findMessage(doc, id); if (message) done(message) }
    const timer = setTimeout(() => done(undefined), timeoutMs)
    const done = (message: Message | undefined) => { clearTimeout(timer); messages.unobserve(check); resolve(message) }
    messages.observe(check)
  })
}

export interface BotOptions {
  pool: DocumentPool
  knowledge: KnowledgeSource
  settings: (workspaceId: string) => Promise<AiSettings>
  /** Null: the built-in responder answers. */
  llm: LlmClient | null
  /** The queue's attempts per job: the last one escalates instead of failing. */
  attempts: number
  log: Logger
  /** Passages given to the model. */
  passages?: number
  /** How long a job waits for its trigger message to reach the worker's copy before retrying (ms). */
  triggerWaitMs?: number
}

type Act = (open: OpenDocument, job: BotJob, attempt: number) => Promise<void>

export class Bot {
  /** Jobs of one conversation run one at a time in this worker (a greeting before the answer). */
  private running = new Map<string, Promise<void>>()

  constructor(private readonly options: BotOptions) {}

  readonly handle = async (job: BotJob, attempt: number): Promise<void> => {
    const previous = this.running.get(job.conversationId) ?? Promise.resolve()
    const current = previous.catch(() => {}).then(() => this.run(job, attempt))
    this.running.set(job.conversationId, current)
    try { await current } finally { if (this.running.get(job.conversationId) === current) this.running.delete(job.conversationId) }
  }

  private async run(job: BotJob, attempt: number): Promise<void> {
    const act: Act = job.kind === 'greet' ? this.greet : job.kind === 'suggest' ? this.suggest : this.reply
    const name = formatConversationName(job.conversationId)
    try {
      await this.options.pool.use(name, (open) => act(open, job, attempt))
    } catch (error) {
      if (!(error instanceof DocumentClosedError)) throw error
      // The server closed the document: most often it refused a write because a human took
      // the conversation between our check and our write. Look again with a fresh copy; if
      // there is nothing left to do, stop here (retrying would only be refused again).
      const state = await this.options.pool.use(name, async (open) => ({ done: !!findMessage(open.doc, replyIdFor(job.messageId)), status: readMeta(open.doc).status }))
      this.options.log.warn('bot write refused or connection closed', { job, reason: error.reason, status: state.status })
      if (state.done || (job.kind !== 'suggest' && state.status !== 'bot')) return
      throw error
    }
  }

  private readonly greet: Act = async (open, job) => {
    const replyId = replyIdFor(job.messageId)
    const { doc } = open
    if (findMessage(doc, replyId) || readMeta(doc).status !== 'bot') return
    if (readMessages(doc).some((m) => m.author.role === 'bot')) return
    const settings = await this.options.settings(job.workspaceId)
    if (!settings.enabled || !settings.greeting.trim()) return
    // The default greeting speaks the customer's language once they have written.
    const text = settings.greeting === DEFAULT_AI_SETTINGS.greeting ? message('greeting', languageOf(readMessages(doc), readMeta(doc).contact?.language)) : settings.greeting
    writeGreeting(doc, { id: replyId, text })
    await this.options.pool.flush(open)
  }

  private readonly reply: Act = async (open, job, attempt) => {
    const { doc } = open
    const replyId = replyIdFor(job.messageId)
    // A pooled copy may not have received the trigger yet (the job can overtake the broadcast).
    const trigger = await waitForMessage(doc, job.messageId, this.options.triggerWaitMs ?? TRIGGER_WAIT_MS)
    if (trigger && trigger.author.role !== 'customer') { this.options.log.warn('bot job whose trigger is not a customer message', { job }); return }
    if (findMessage(doc, replyId)) return
    const meta = readMeta(doc)
    if (meta.status !== 'bot') return
    if (!trigger) {
      // Not here yet: this worker's server instance lacks the message (instances apart during a
      // Redis outage, say). Retried with the queue's backoff; when retries run out, a person
      // takes over, as when the model keeps failing: a question is never left unanswered.
      this.options.log.warn('bot job without its customer message', { job, attempt })
      if (attempt < this.options.attempts) throw new TriggerNotVisibleError(job.messageId)
      await this.escalateIn(open, job, UNAVAILABLE_REASON, 'normal')
      await this.options.pool.flush(open)
      return
    }
    const settings = await this.options.settings(job.workspaceId)
    if (!settings.enabled) return
    const index = await this.options.knowledge.indexFor(job.workspaceId)
    const transcript = readMessages(doc)
    const question = currentQuestion(transcript, job.messageId).text
    const firstMessage = await this.options.pool.use(formatInternalName(job.conversationId), async (internal) => readClassification(internal.doc) === null)

    if (!this.options.llm) {
      const decision = respond(index, transcript, job.messageId, settings.confidenceThreshold, meta.contact?.language)
      setTyping(open, true)
      if (firstMessage) {
        const judged = classify(index, question, decision.language, settings.categories)
        await this.classify(open, job.conversationId, { category: judged.category, sentiment: judged.sentiment, language: judged.language, confidence: judged.confidence, reasoning: judged.reasoning }, judged.priority)
      }
      const stillOurs = () => readMeta(doc).status === 'bot'
      if (settings.responseDelayMs) await pause(settings.responseDelayMs)
      if (!stillOurs()) { setTyping(open, false); await this.options.pool.flush(open); return }
      if (decision.action === 'escalate') await this.escalateIn(open, job, decision.reason, decision.priority, decision.language)
      else {
        // Streamed as a model's reply is: peers see it being written; a human taking over stops it.
        const stream = openStream(doc, replyId)
        for (const chunk of streamChunks(decision.text)) {
          if (!stillOurs()) break
          stream.insert(stream.length, chunk)
          await pause(STREAM_STEP_MS)
        }
        if (stillOurs()) finishReply(doc, { id: replyId, text: decision.text, ...(decision.action === 'answer' ? { sources: decision.sources } : {}) })
        else removeStream(doc, replyId)
      }
      setTyping(open, false)
      await this.options.pool.flush(open)
      return
    }

    const language = languageOf(transcript.slice(0, transcript.findIndex((m) => m.id === job.messageId) + 1), meta.contact?.language)
    // The workspace's pause holds for a model too (our brief: "a configurable delay for a natural feel").
    if (settings.responseDelayMs) {
      setTyping(open, true)
      await pause(settings.responseDelayMs)
      if (readMeta(doc).status !== 'bot') { setTyping(open, false); await this.options.pool.flush(open); return }
    }
    // A human taking the conversation (status leaves 'bot') stops the model mid-stream.
    const abort = new AbortController()
    const onMeta = () => { if (getMeta(doc).get('status') !== 'bot') abort.abort() }
    getMeta(doc).observe(onMeta)
    const stream = openStream(doc, replyId)
    setTyping(open, true)
    let outcome: ModelOutcome
    try {
      outcome = await runModel(this.options.llm, {
        settings, language, transcript: transcript.slice(0, transcript.findIndex((m) => m.id === job.messageId) + 1), hits: index.search(question, this.options.passages ?? 4),
        classify: firstMessage, signal: abort.signal, onText: (delta) => { if (!abort.signal.aborted) stream.insert(stream.length, delta) },
      })
    } catch (error) {
      removeStream(doc, replyId)
      setTyping(open, false)
      if (abort.signal.aborted) { await this.options.pool.flush(open); return }
      if (!(error instanceof ModelUnavailableError)) throw error
      this.options.log.warn('model unavailable', { job, attempt, error: error.message })
      await this.options.pool.flush(open)
      if (attempt < this.options.attempts) throw error
      outcome = { action: 'escalate', reason: UNAVAILABLE_REASON, priority: 'normal', ignored: [] }
    } finally {
      getMeta(doc).unobserve(onMeta)
    }
    setTyping(open, false)
    if (readMeta(doc).status !== 'bot') { removeStream(doc, replyId); await this.options.pool.flush(open); return }
    if (outcome.ignored.length > 0) this.options.log.warn('model tool calls ignored', { job, ignored: outcome.ignored })
    if (firstMessage && outcome.classification) {
      const { priority, ...classification } = outcome.classification
      await this.classify(open, job.conversationId, classification, priority)
    } else if (firstMessage) {
      const judged = classify(index, question, language, settings.categories)
      await this.classify(open, job.conversationId, { category: judged.category, sentiment: judged.sentiment, language: judged.language, confidence: judged.confidence, reasoning: judged.reasoning }, judged.priority)
    }
    if (outcome.action === 'escalate') await this.escalateIn(open, job, outcome.reason, outcome.priority, language)
    else finishReply(doc, { id: replyId, text: outcome.text, sources: outcome.sources })
    await this.options.pool.flush(open)
  }

  /** The classification goes to the internal document (the customer never receives it); its priority to meta. */
  private async classify(open: OpenDocument, conversationId: string, classification: Classification, priority?: Priority): Promise<void> {
    if (priority) updateMeta(open.doc, { priority })
    await this.options.pool.use(formatInternalName(conversationId), async (internal) => {
      writeClassification(internal.doc, classification)
      await this.options.pool.flush(internal)
    })
  }

  /** The copilot: a suggested reply in the AI draft (internal document) of a conversation an agent owns. */
  private readonly suggest: Act = async (open, job, attempt) => {
    const transcript = readMessages(open.doc)
    const lastCustomer = [...transcript].reverse().find((m) => m.author.role === 'customer')
    if (!lastCustomer) return
    const index = await this.options.knowledge.indexFor(job.workspaceId)
    const settings = await this.options.settings(job.workspaceId)
    await this.options.pool.use(formatInternalName(job.conversationId), async (internal) => {
      const draft = openAiDraft(internal.doc)
      let text: string | null = null
      if (this.options.llm) {
        try {
          const outcome = await runModel(this.options.llm, {
            settings, transcript, hits: index.search(lastCustomer.text, this.options.passages ?? 4), classify: false, draft: true,
            signal: new AbortController().signal, onText: (delta) => draft.insert(draft.length, delta),
          })
          if (outcome.action === 'answer') text = outcome.text
        } catch (error) {
          if (!(error instanceof ModelUnavailableError) || attempt < this.options.attempts) {
            draft.delete(0, draft.length)
            await this.options.pool.flush(internal)
            throw error
          }
        }
      }
      text ??= builtinSuggestion(index, lastCustomer)
      internal.doc.transact(() => { draft.delete(0, draft.length); draft.insert(0, text as string) })
      await this.options.pool.flush(internal)
    })
  }

  private async escalateIn(open: OpenDocument, job: BotJob, reason: string, requested: Priority, language?: string): Promise<void> {
    const now = Date.now()
    // The higher of what the classifier set and what this escalation asks for (PRIORITIES runs high to low).
    const current = readMeta(open.doc).priority
    const priority = current && PRIORITIES.indexOf(current) < PRIORITIES.indexOf(requested) ? current : requested
    let position: number | null = null
    try {
      // Outside business hours nobody works the queue: the handover promises no place in it (issue 17).
      const { businessHours } = await this.options.settings(job.workspaceId)
      if (isWithinBusinessHours(businessHours, now)) position = await this.queuePosition(job, priority, now)
    } catch (error) {
      this.options.log.warn('queue position unavailable', { job, error })
    }
    escalate(open.doc, { replyId: replyIdFor(job.messageId), reason, priority, position, now, ...(language ? { language } : {}) })
  }

  /** The inbox document each workspace was last found at. */
  private readonly inboxNames = new Map<string, string>()

  /** Our place in the workspace's queue, read from the inbox document (read-only for the bot). */
  private async queuePosition(job: BotJob, priority: Priority, now: number, name = this.inboxNames.get(job.workspaceId) ?? formatInboxName(job.workspaceId), hops = 0): Promise<number | null> {
    // A rotated inbox points at its successor (server/inbox-writer.ts): follow it, and start there next time.
    const moved = await this.options.pool.use(name, async (inbox) => readInboxMovedTo(inbox.doc))
    if (moved && hops < 20) { this.inboxNames.set(job.workspaceId, moved); return this.queuePosition(job, priority, now, moved, hops + 1) }
    return this.options.pool.use(name, async (inbox) => {
      const others = readInbox(inbox.doc).filter((entry) => entry.id !== job.conversationId)
      const self: InboxEntry = {
        id: job.conversationId, status: 'waiting', priority, assignee: null, contactName: '', subject: '', preview: '', lastActivityAt: now,
        waitingSince: now, lastMessageAuthor: null, messageCount: 0, labels: [], category: null,
      }
      return queuePosition([...others, self], job.conversationId)
    })
  }
}

function builtinSuggestion(index: Parameters<typeof respond>[0], lastCustomer: Message): string {
  const hit = index.search(lastCustomer.text)[0]
  if (!hit) return 'No help-center article matches this conversation yet.'
  return `${bestSentences(index, hit.passage, lastCustomer.text).join(' ')}\n\n(From the help center: "${hit.article.title}")`
}
