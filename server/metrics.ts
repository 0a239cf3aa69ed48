/**
 * What /metrics shows, through prom-client: Node's default process metrics (CPU, memory,
 * event-loop lag, GC), latency histograms for the figures Parley promises (HTTP by route,
 * update ack, document load, projection, bot reply), counters, and gauges read at scrape time.
 * One Registry per server, so several servers in one process (tests) never share numbers.
 */
import client from 'prom-client'
import { replyIdFor, type Message } from '../protocol/index.ts'

/** Seconds: from sub-millisecond (acks on a quiet disk) to seconds (a stalled server). */
const FAST = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5]
/** Seconds: a bot reply includes a model's answer. */
const SLOW = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120]
/** Customer messages waiting for a bot reply, remembered at most this long and this many. */
const BOT_WAIT_MS = 10 * 60_000
const BOT_WAIT_MAX = 10_000

export class Metrics {
  readonly registry = new client.Registry()
  readonly contentType = this.registry.contentType
  readonly httpDuration = new client.Histogram({
    name: 'parley_http_request_duration_seconds', help: 'HTTP requests answered, by route pattern (not the raw URL), method and status',
    labelNames: ['method', 'route', 'status'] as const, buckets: FAST, registers: [this.registry],
  })
  readonly ackLatency = new client.Histogram({
    name: 'parley_update_ack_seconds', help: 'From a client update arriving to its acknowledgement (sent once the update is durable)',
    buckets: FAST, registers: [this.registry],
  })
  readonly deliveryLatency = new client.Histogram({
    name: 'parley_update_delivery_seconds', help: 'From a client update arriving to its broadcast to the other connections of the document on this instance and its publication to the other instances (before it is durable)',
    buckets: FAST, registers: [this.registry],
  })
  readonly documentLoad = new client.Histogram({
    name: 'parley_document_load_seconds', help: 'Loading a document from its snapshot and log, by kind (conversation, internal, inbox)',
    labelNames: ['kind'] as const, buckets: FAST, registers: [this.registry],
  })
  readonly projectionBatch = new client.Histogram({
    name: 'parley_projection_batch_seconds', help: 'One projection transaction (up to 50 conversations into SQL rows and the inbox)',
    buckets: FAST, registers: [this.registry],
  })
  readonly botReply = new client.Histogram({
    name: 'parley_bot_reply_seconds', help: 'From a customer message to the bot reply to it (or its hand-over message) appearing in the conversation',
    buckets: SLOW, registers: [this.registry],
  })
  readonly messages = new client.Counter({
    name: 'parley_messages_total', help: 'Messages arriving in conversations open on this instance, by author role',
    labelNames: ['role'] as const, registers: [this.registry],
  })
  readonly refusedUpdates = new client.Counter({
    name: 'parley_updates_refused_total', help: 'Updates refused by the update guard, by WebSocket close code',
    labelNames: ['close_code'] as const, registers: [this.registry],
  })
  /** For the rate limiters to call: `limit` names the limit (e.g. `widget-messages`, `sign-in`). */
  readonly rateLimited = new client.Counter({
    name: 'parley_rate_limited_total', help: 'Requests and updates refused by a rate limit, by limit',
    labelNames: ['limit'] as const, registers: [this.registry],
  })

  private messageTimes: number[] = []
  private awaitingBot = new Map<string, number>()

  constructor() {
    client.collectDefaultMetrics({ register: this.registry })
  }

  counter(name: string, help: string): { inc(by?: number): void } {
    const existing = this.registry.getSingleMetric(name) as client.Counter | undefined
    const counter = existing ?? new client.Counter({ name, help, registers: [this.registry] })
    return { inc: (by = 1) => counter.inc(by) }
  }

  /** A gauge read at scrape time; a read that fails shows NaN rather than failing the scrape. */
  gauge(name: string, help: string, read: () => number | Promise<number>): void {
    new client.Gauge({
      name, help, registers: [this.registry],
      async collect() {
        let value = NaN
        try { value = await read() } catch {}
        this.set(value)
      },
    })
  }

  /** Records one appended message, for the messages-per-second gauge (last 60 s). */
  recordMessage(now = Date.now()): void {
    this.messageTimes.push(now)
    if (this.messageTimes.length > 100_000) this.messageTimes.splice(0, 50_000)
  }

  messagesPerSecond(now = Date.now()): number {
    const since = now - 60_000
    while (this.messageTimes.length > 0 && (this.messageTimes[0] as number) < since) this.messageTimes.shift()
    return this.messageTimes.length / 60
  }

  /**
   * Messages seen arriving in a live conversation: counted by role, and a customer message is
   * remembered until the bot's reply to it (its id derives from the trigger's) arrives.
   */
  messagesArrived(list: readonly Message[], now = Date.now()): void {
    for (const message of list) {
      const role = message.author?.role ?? 'unknown'
      this.messages.inc({ role })
      if (role === 'customer') {
        this.awaitingBot.set(replyIdFor(message.id), now)
        if (this.awaitingBot.size > BOT_WAIT_MAX) this.forgetOldBotWaits(now)
      } else {
        // The bot's reply, or the system message of its hand-over: either ends the wait.
        const since = this.awaitingBot.get(message.id)
        if (since === undefined) continue
        this.awaitingBot.delete(message.id)
        this.botReply.observe((now - since) / 1000)
      }
    }
  }

  private forgetOldBotWaits(now: number): void {
    for (const [id, since] of this.awaitingBot) if (now - since > BOT_WAIT_MS) this.awaitingBot.delete(id)
    // Still too many (a flood of unanswered messages): drop the oldest half; Maps keep insertion order.
    if (this.awaitingBot.size > BOT_WAIT_MAX) for (const id of [...this.awaitingBot.keys()].slice(0, BOT_WAIT_MAX / 2)) this.awaitingBot.delete(id)
  }

  render(): Promise<string> {
    return this.registry.metrics()
  }
}
