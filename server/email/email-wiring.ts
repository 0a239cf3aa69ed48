/** Builds the email service for a server: SMTP when configured, its queue (BullMQ with Redis), the sweep. */
import type { Db } from '../../db/database.ts'
import type { Config } from '../config.ts'
import type { Logger } from '../log.ts'
import { BullMqEmailQueue, createInProcessEmailQueue, type EmailJob } from './email-queue.ts'
import { EmailService } from './email-service.ts'
import { createSmtpMailer } from './mailer.ts'
import type { JobQueue } from '../job-queue.ts'

export function startEmail(config: Config, db: Db, log: Logger, sweepEveryMs = 60_000): { service: EmailService; close(): Promise<void> } {
  const { smtpUrl, attempts, backoffMs } = config.email
  const mailer = smtpUrl ? createSmtpMailer(smtpUrl) : null
  const onFailed = (job: EmailJob, error: unknown) => log.error('email job failed for good', { job, error })
  const queue: JobQueue<EmailJob> = config.redisUrl && smtpUrl
    ? new BullMqEmailQueue({ redisUrl: config.redisUrl, prefix: config.email.queuePrefix, attempts, backoffMs, onFailed, onError: (error) => log.warn('email queue: redis error', { error: error.message }) })
    : createInProcessEmailQueue({ attempts, backoffMs, onFailed })
  const service = new EmailService(db, mailer, queue, log, { from: config.email.from, replyTo: config.email.replyTo, attempts })
  if (mailer) queue.process((job, attempt) => service.deliver(job, attempt))
  // Rows whose job was lost (a restart with the in-process queue) are sent by the sweep; it
  // waits well past the longest backoff, so it never races a retry the queue still holds.
  const lostAfterMs = Math.max(5 * 60_000, backoffMs * 2 ** Math.min(attempts, 10))
  const timer = mailer ? setInterval(() => { service.sweep(lostAfterMs).catch((error) => log.warn('email sweep failed', { error })) }, sweepEveryMs) : null
  timer?.unref()
  if (mailer) void service.sweep(lostAfterMs).catch((error) => log.warn('email sweep failed', { error }))
  return {
    service,
    async close() {
      if (timer) clearInterval(timer)
      await queue.close()
      mailer?.close()
    },
  }
}
