/**
 * The seam between Parley and an SMTP server: one `send`. Nodemailer speaks SMTP (`SMTP_URL`:
 * `smtp://user:pass@host:587`, `smtps://…:465`); tests point it at a real `smtp-server`.
 */
import nodemailer from 'nodemailer'

export interface OutgoingEmail {
  from: string
  to: string
  subject: string
  html: string
  text: string
  /** `<id@host>`: stable for one email across retries, so a thread never forks. */
  messageId: string
  inReplyTo?: string | null
  references?: string | null
  replyTo?: string | null
}

export interface Mailer {
  send(email: OutgoingEmail): Promise<void>
  close(): void
}

export function createSmtpMailer(smtpUrl: string, timeoutMs = 15_000): Mailer {
  const transport = nodemailer.createTransport(smtpUrl, {})
  // Set after creation: a URL's query may set them too, but a hung server must not hold a job for minutes.
  Object.assign(transport.options, { connectionTimeout: timeoutMs, greetingTimeout: timeoutMs, socketTimeout: timeoutMs * 2 })
  return {
    async send(email) {
      await transport.sendMail({
        from: email.from, to: email.to, subject: email.subject, html: email.html, text: email.text, messageId: email.messageId,
        ...(email.inReplyTo ? { inReplyTo: email.inReplyTo } : {}),
        ...(email.references ? { references: email.references } : {}),
        ...(email.replyTo ? { replyTo: email.replyTo } : {}),
      })
    },
    close: () => transport.close(),
  }
}
