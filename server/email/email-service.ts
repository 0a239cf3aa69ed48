/**
 * Sending email: `queue` renders nothing itself; it logs the rendered message as a delivery
 * (status `queued`) and enqueues its id. `deliver` (the job) claims the row, hands it to the
 * mailer and records `sent`, or `retrying` with the error while the queue has attempts left,
 * then `failed`. A failure stays visible in the log (Settings → Email, and beside the
 * conversation's reply) and an admin can send it again. A sweep re-enqueues rows whose job was
 * lost (the in-process queue dies with its process; Redis may lose a job).
 */
import { createId, ParleyError } from '../../protocol/index.ts'
import type { Db } from '../../db/database.ts'
import { claimDelivery, findStalledDeliveries, finishDelivery, getDelivery, insertDelivery, requeueDelivery, touchDelivery } from '../../db/email-delivery.repository.ts'
import type { EmailDelivery } from '../../db/tables.ts'
import { getWorkspace } from '../../db/workspace.repository.ts'
import type { JobQueue } from '../job-queue.ts'
import type { Logger } from '../log.ts'
import type { Mailer } from './mailer.ts'
import type { EmailJob } from './email-queue.ts'
import type { EmailKind, RenderedEmail } from './templates.ts'

export interface QueueEmail {
  /** A deterministic id makes queueing idempotent: a second call with it sends nothing more. */
  id?: string
  workspaceId: string
  kind: EmailKind
  to: string
  email: RenderedEmail
  conversationId?: string | null
  agentId?: string | null
  /** Our Message-ID for it; made when not given. */
  messageId?: string
  inReplyTo?: string | null
  references?: string | null
}

export interface EmailServiceOptions { from: string; replyTo: string | null; attempts: number }

export class EmailService {
  private readonly domain: string
  private readonly address: string

  constructor(private readonly db: Db, private readonly mailer: Mailer | null, private readonly jobs: JobQueue<EmailJob>, private readonly log: Logger, private readonly options: EmailServiceOptions) {
    this.domain = /@([^>\s]+)>?$/.exec(options.from)?.[1] ?? 'localhost'
    this.address = /<([^>]+)>/.exec(options.from)?.[1] ?? options.from
  }

  /** Customers get email from the workspace they wrote to (its name, EMAIL_FROM's address); agents from Parley. */
  private async senderFor(row: EmailDelivery): Promise<string> {
    if (row.kind !== 'reply' && row.kind !== 'transcript') return this.options.from
    const name = (await getWorkspace(this.db, row.workspace_id))?.name.replace(/["\\\r\n]/g, '').trim()
    return name ? `"${name}" <${this.address}>` : this.options.from
  }

  /** Whether email can be sent at all (SMTP_URL is set). */
  get configured(): boolean { return this.mailer !== null }

  /** A Message-ID of ours: `<parts…@domain>`, the same one every retry sends. */
  messageId(...parts: string[]): string {
    return `<${parts.map((p) => p.replace(/[^A-Za-z0-9._-]/g, '')).join('.')}@${this.domain}>`
  }

  async queue(input: QueueEmail): Promise<EmailDelivery> {
    if (!this.mailer) throw new ParleyError('bad-request', 'email is not configured on this server (SMTP_URL)', 'email')
    const id = input.id ?? createId('em')
    if (input.id) {
      const existing = await getDelivery(this.db, input.id)
      if (existing) return existing
    }
    const delivery = await insertDelivery(this.db, {
      id, workspace_id: input.workspaceId, kind: input.kind, recipient: input.to, subject: input.email.subject, html: input.email.html, text: input.email.text,
      message_id: input.messageId ?? this.messageId(input.kind, id), in_reply_to: input.inReplyTo ?? null, references: input.references ?? null,
      conversation_id: input.conversationId ?? null, agent_id: input.agentId ?? null,
    })
    await this.enqueue(id)
    return delivery
  }

  /** An admin's "send again" of a failed delivery. */
  async retry(workspaceId: string, id: string): Promise<EmailDelivery> {
    if (!this.mailer) throw new ParleyError('bad-request', 'email is not configured on this server (SMTP_URL)', 'email')
    if (!(await requeueDelivery(this.db, workspaceId, id))) {
      const row = await getDelivery(this.db, id)
      if (!row || row.workspace_id !== workspaceId) throw new ParleyError('not-found', 'no such email')
      throw new ParleyError('conflict', `this email is ${row.status}; only a failed one is sent again`, 'status')
    }
    await this.enqueue(id)
    return (await getDelivery(this.db, id))!
  }

  /** The job: send one delivery. Throws while it should be retried. */
  async deliver(job: EmailJob, attempt: number): Promise<void> {
    if (!this.mailer) return
    const row = await claimDelivery(this.db, job.deliveryId)
    if (!row) return // sent already, or another instance is sending it
    try {
      await this.mailer.send({ from: await this.senderFor(row), to: row.recipient, subject: row.subject, html: row.html, text: row.text, messageId: row.message_id, inReplyTo: row.in_reply_to, references: row.references, replyTo: this.options.replyTo })
      await finishDelivery(this.db, row.id, { status: 'sent' })
      this.log.info('email sent', { delivery: row.id, kind: row.kind, attempt })
    } catch (error) {
      const message = describe(error)
      const last = attempt >= this.options.attempts
      await finishDelivery(this.db, row.id, { status: last ? 'failed' : 'retrying', error: message })
      this.log.warn(last ? 'email failed for good' : 'email failed; will retry', { delivery: row.id, kind: row.kind, attempt, error: message })
      if (!last) throw error
    }
  }

  /** Re-enqueues deliveries whose job seems lost (untouched for `olderThanMs`). */
  async sweep(olderThanMs = 5 * 60_000): Promise<number> {
    if (!this.mailer) return 0
    const ids = await findStalledDeliveries(this.db, Date.now() - olderThanMs)
    for (const id of ids) { await touchDelivery(this.db, id); await this.enqueue(id) }
    if (ids.length > 0) this.log.info('email deliveries enqueued again', { count: ids.length })
    return ids.length
  }

  private async enqueue(deliveryId: string): Promise<void> {
    try {
      await this.jobs.add({ deliveryId })
    } catch (error) {
      // The row is logged: the sweep sends it once the queue takes jobs again.
      this.log.error('could not enqueue an email; the sweep will', { delivery: deliveryId, error })
    }
  }
}

function describe(error: unknown): string {
  const e = error as { code?: string; responseCode?: number; message?: string }
  return [e.code, e.responseCode, e.message].filter(Boolean).join(' ').slice(0, 500) || String(error)
}
