/**
 * Sends webhook deliveries: at least once, in order per stream, retried with backoff, and an
 * endpoint that keeps failing is disabled with a notice to its workspace's admins.
 *
 * Deliveries are rows (the outbox, written with the event log). Each instance polls for streams
 * with a due delivery and enqueues a job per stream (the queue spreads them over instances with
 * BullMQ); a job sends the stream's oldest pending delivery after leasing it with a conditional
 * write, then the next, and stops at the first failure, which sets the delivery's next attempt.
 * Only a stream's head is ever sent, so a later event never overtakes an earlier one, on any
 * instance. A crash mid-send leaves the lease to lapse and the delivery is sent again (at least once).
 */
import { SIGNATURE_HEADER } from '../../protocol/index.ts'
import type { Db } from '../../db/database.ts'
import type { WebhookDelivery, WebhookSubscription } from '../../db/tables.ts'
import { countEndpointOutcome, disableSubscription, finishAttempt, getSubscription, insertAlert, leaseDelivery, listDueStreams, streamHead } from '../../db/webhook.repository.ts'
import type { Logger } from '../log.ts'
import type { WebhookConfig } from './webhook-config.ts'
import { onDeliveriesWritten } from './webhook-events.ts'
import type { WebhookJob, WebhookQueue } from './webhook-queue.ts'
import { signWebhook } from './webhook-signature.ts'
import type { WebhookTargets } from './webhook-target.ts'

export interface Clock { now(): number }

/** The secrets a delivery is signed with at `at`: the current one, and the one before a rotation while it is honoured. */
export const signingSecrets = (s: WebhookSubscription, at: number): string[] =>
  s.previous_secret && (s.previous_secret_until ?? 0) > at ? [s.secret, s.previous_secret] : [s.secret]

/** Whether `promise` settles within `ms` (it goes on either way). */
export async function within(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined
  const settled = await Promise.race([promise.then(() => true, () => true), new Promise<boolean>((resolve) => { timer = setTimeout(() => resolve(false), ms) })])
  clearTimeout(timer)
  return settled
}
export const systemClock: Clock = { now: () => Date.now() }

/** Told when an endpoint starts failing, recovers or is disabled (the alert row is already written). */
export type EndpointNotice = (notice: { workspaceId: string; subscriptionId: string; level: 'warning' | 'error' | 'info'; message: string }) => void

const RESPONSE_KEPT = 4096
/** Deliveries one job sends before its stream goes to the back of the queue. */
const DRAIN_BATCH = 100
/** The least time between two polls asked for by new deliveries. */
const POLL_GAP_MS = 50

export class WebhookDispatcher {
  private timer: NodeJS.Timeout | null = null
  private polling: Promise<void> | null = null
  private pollAgain = false
  private stopListening: (() => void) | null = null
  private closed = false
  private soon: NodeJS.Timeout | null = null
  private lastPoll = 0
  sent = 0

  constructor(
    private readonly db: Db,
    private readonly queue: WebhookQueue,
    private readonly config: WebhookConfig,
    private readonly targets: WebhookTargets,
    private readonly log: Logger,
    private readonly clock: Clock = systemClock,
    private readonly notify: EndpointNotice = () => {},
  ) {}

  private readonly inflight = new Set<Promise<void>>()

  start(): void {
    this.queue.process((job) => {
      const run = this.drain(job).finally(() => this.inflight.delete(run))
      this.inflight.add(run)
      return run
    })
    // New deliveries go to the queue at once by their stream. A poll (it reads every pending
    // delivery) only when none are named, at most every POLL_GAP_MS.
    this.stopListening = onDeliveriesWritten((streams) => {
      for (const stream of streams) void this.queue.add(stream).catch((error) => this.log.warn('webhook job not queued', { error }))
      if (streams.length > 0 || this.soon) return
      this.soon = setTimeout(() => { this.soon = null; void this.poll() }, Math.max(0, this.lastPoll + POLL_GAP_MS - Date.now()))
    })
    const tick = () => { this.timer = setTimeout(() => { void this.poll().finally(() => { if (!this.closed) tick() }) }, this.config.pollMs) }
    tick()
    void this.poll()
  }

  async close(): Promise<void> {
    this.closed = true
    if (this.timer) clearTimeout(this.timer)
    if (this.soon) clearTimeout(this.soon)
    this.stopListening?.()
    // A poll waiting on a Redis that is away is not waited for (its adds are sent when Redis returns, or never).
    await within(this.polling ?? Promise.resolve(), 2000)
    // Attempts under way finish (within the timeout) and are recorded before the database closes.
    await within(Promise.allSettled([...this.inflight]), this.config.timeoutMs + 2000)
    await this.queue.close()
    this.targets.close()
  }

  /** Enqueues every stream with a due delivery. A call during a poll makes one more poll after it. */
  poll(): Promise<void> {
    if (this.closed) return Promise.resolve()
    if (this.polling) { this.pollAgain = true; return this.polling }
    this.polling = (async () => {
      do {
        this.pollAgain = false
        this.lastPoll = Date.now()
        try {
          for (const stream of await listDueStreams(this.db, this.clock.now())) await this.queue.add({ subscriptionId: stream.subscription_id, streamKey: stream.stream_key })
        } catch (error) {
          if (!this.closed) this.log.warn('webhook poll failed', { error })
        }
      } while (this.pollAgain && !this.closed)
    })().finally(() => { this.polling = null })
    return this.polling
  }

  /** Sends a stream's due deliveries in order, until none is due or one fails. */
  async drain(job: WebhookJob): Promise<void> {
    // Read once per job: a webhook disabled meanwhile sends at most this job's batch more.
    const subscription = await getSubscription(this.db, job.subscriptionId)
    if (!subscription || subscription.active !== 1) return
    const first = await streamHead(this.db, job.subscriptionId, job.streamKey)
    const now = this.clock.now()
    if (!first || first.next_attempt_at > now || !(await leaseDelivery(this.db, first.id, now, now + this.config.leaseMs))) return
    let head: WebhookDelivery | null = first
    for (let sent = 1; head && !this.closed; sent++) {
      // Each success leases the next in its own commit; a long stream yields to the others after a batch (its job goes to the back of the queue).
      const more = sent < DRAIN_BATCH
      head = await this.attempt(subscription, head, more ? job.streamKey : null)
      if (!more && head === null) { await this.queue.add(job); return }
    }
  }

  /** One attempt of a leased delivery; after a success, leases and returns the stream's next one when `streamKey` is given and it is due. */
  private async attempt(subscription: WebhookSubscription, delivery: WebhookDelivery, streamKey: string | null): Promise<WebhookDelivery | null> {
    const at = this.clock.now()
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'user-agent': 'Parley-Webhooks/1',
      [SIGNATURE_HEADER]: signWebhook(signingSecrets(subscription, at), delivery.payload, Math.floor(at / 1000)),
      'parley-event': delivery.event_type,
      'parley-delivery': delivery.id,
      'parley-attempt': String(delivery.attempts + 1),
    }
    const started = performance.now()
    let status: number | null = null
    let responseBody: string | null = null
    let error: string | null = null
    try {
      const response = await this.targets.send(subscription.url, headers, delivery.payload, this.config.timeoutMs, RESPONSE_KEPT)
      status = response.status
      responseBody = response.body
      if (status < 200 || status >= 300) error = `HTTP ${status}`
    } catch (e) {
      error = (e as Error).message
    }
    const durationMs = Math.round(performance.now() - started)
    const ok = error === null
    const attempts = delivery.attempts + 1
    const next = ok ? { status: 'succeeded' as const } : attempts >= this.config.maxAttempts ? { status: 'failed' as const } : { status: 'pending' as const, at: at + this.backoff(attempts) }
    // The signature is kept as sent: the log shows exactly what the receiver got.
    const after = this.clock.now()
    const leaseNext = ok && streamKey ? { streamKey, now: after, until: after + this.config.leaseMs } : undefined
    const following = await finishAttempt(this.db, delivery, { at, ok, status, durationMs, error, requestHeaders: JSON.stringify(headers), responseBody, next, ...(leaseNext ? { leaseNext } : {}) })
    if (ok) this.sent += 1
    await this.countOutcome(subscription, ok, error, at)
    return following
  }

  /** Doubling from backoffMs, capped; ±10 % jitter so many streams of one endpoint do not retry in one burst. */
  backoff(attempts: number): number {
    const base = Math.min(this.config.backoffMaxMs, this.config.backoffMs * 2 ** (attempts - 1))
    return Math.round(base * (0.9 + Math.random() * 0.2))
  }

  private async countOutcome(subscription: WebhookSubscription, ok: boolean, error: string | null, at: number): Promise<void> {
    // A success while the endpoint was healthy changes nothing: no write (the common case, by far).
    if (ok && subscription.consecutive_failures === 0) return
    const run = await countEndpointOutcome(this.db, subscription.id, ok, at)
    // What this job knows of the run from now on (the row is the truth for every instance).
    subscription.consecutive_failures = run.failures
    const tell = async (level: 'warning' | 'error' | 'info', message: string) => {
      await insertAlert(this.db, { workspace_id: subscription.workspace_id, subject_kind: 'webhook', subject_id: subscription.id, level, message, created_at: at })
      this.log.warn('webhook endpoint notice', { subscriptionId: subscription.id, level, message })
      this.notify({ workspaceId: subscription.workspace_id, subscriptionId: subscription.id, level, message })
    }
    if (ok) {
      if (run.before >= this.config.alertAfterFailures) await tell('info', `Webhook "${subscription.name}" delivers again after ${run.before} failed attempts.`)
      return
    }
    // Exactly at the threshold: one notice per run of failures, whichever instance counted it.
    if (run.failures === this.config.alertAfterFailures) await tell('warning', `Webhook "${subscription.name}" is failing: ${run.failures} attempts in a row failed (last: ${error}). Deliveries are retried.`)
    const lasted = run.since === null ? 0 : at - run.since
    if (run.failures >= this.config.disableAfterFailures && lasted >= this.config.disableAfterMs) {
      const reason = `${run.failures} attempts in a row failed over ${Math.round(lasted / 60_000)} min (last: ${error})`
      if (await disableSubscription(this.db, subscription.id, reason)) {
        await tell('error', `Webhook "${subscription.name}" was disabled: ${reason}. Its deliveries wait; enable it again in Settings → Integrations to send them.`)
      }
    }
  }
}
