/**
 * Every email Parley sends, one template each: a template returns a subject and a list of
 * blocks (paragraphs, a quoted message, a button, a transcript), and `renderEmail` turns the
 * same blocks into the HTML part and the plain-text part, so the two never say different things.
 * Sentences come from the catalogue (protocol/email-messages.ts), in the reader's language.
 */
import { emailMessage as t } from '../../protocol/index.ts'
import { markdownToEmailHtml } from './email-markdown.ts'

export type EmailBlock =
  | { p: string }
  /** `markdown`: the text is an agent's Markdown, rendered (safely) in the HTML part. */
  | { quote: string; by?: string; markdown?: boolean }
  | { action: string; url: string }
  | { transcript: { who: string; at: number; text: string }[] }
  | { small: string }

export interface EmailContent { subject: string; blocks: EmailBlock[] }
export interface RenderedEmail { subject: string; html: string; text: string }

export const EMAIL_KINDS = ['invite', 'reset', 'assigned', 'customer-replied', 'sla-warning', 'signup', 'account-exists', 'transcript', 'reply'] as const
export type EmailKind = (typeof EMAIL_KINDS)[number]

const when = (ms: number, language: string) => new Date(ms).toLocaleString(language, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }) + ' UTC'
const ROLE_KEYS = { admin: 'roleAdmin', agent: 'roleAgent', viewer: 'roleViewer' } as const

/** Every template takes the reader's language: the customer's (their conversation's), or the agent's own (agent-language.ts). */
type Lang = { language: string }

export const templates = {
  invite: (v: Lang & { inviter: string; workspace: string; role: 'admin' | 'agent' | 'viewer'; url: string; expiresAt: number }): EmailContent => {
    const values = { ...v, role: t(ROLE_KEYS[v.role], v.language) }
    return {
      subject: t('inviteSubject', v.language, values),
      blocks: [{ p: t('inviteIntro', v.language, values) }, { action: t('inviteAction', v.language), url: v.url }, { small: t('inviteExpiry', v.language, { expires: when(v.expiresAt, v.language) }) }],
    }
  },
  reset: (v: Lang & { email: string; url: string; expiresAt: number }): EmailContent => ({
    subject: t('resetSubject', v.language),
    blocks: [{ p: t('resetIntro', v.language, { email: v.email }) }, { action: t('resetAction', v.language), url: v.url }, { small: t('resetExpiry', v.language, { expires: when(v.expiresAt, v.language) }) }],
  }),
  assigned: (v: Lang & { workspace: string; subject: string; customer: string; preview: string; url: string }): EmailContent => ({
    subject: t('assignedSubject', v.language, v),
    blocks: [{ p: t('assignedIntro', v.language, v) }, ...(v.preview ? [{ quote: v.preview }] : []), { action: t('openConversation', v.language), url: v.url }, { small: t('notificationFooter', v.language, v) }],
  }),
  'customer-replied': (v: Lang & { workspace: string; subject: string; customer: string; text: string; url: string }): EmailContent => ({
    subject: t('customerRepliedSubject', v.language, v),
    blocks: [{ p: t('customerRepliedIntro', v.language, v) }, { quote: v.text }, { action: t('openConversation', v.language), url: v.url }, { small: t('notificationFooter', v.language, v) }],
  }),
  'sla-warning': (v: Lang & { workspace: string; subject: string; customer: string; target: 'first_response' | 'resolution'; dueAt: number; minutesLeft: number; assigned: boolean; preview: string; url: string }): EmailContent => ({
    subject: t('slaSubject', v.language, { workspace: v.workspace, subject: v.subject }),
    blocks: [
      { p: t(v.target === 'first_response' ? 'slaFirstResponse' : 'slaResolution', v.language, { customer: v.customer, due: when(v.dueAt, v.language), minutes: v.minutesLeft }) },
      ...(v.assigned ? [] : [{ p: t('slaUnassigned', v.language) }]),
      ...(v.preview ? [{ quote: v.preview }] : []),
      { action: t('openConversation', v.language), url: v.url }, { small: t('notificationFooter', v.language, { workspace: v.workspace }) },
    ],
  }),
  signup: (v: Lang & { email: string; workspace: string; url: string; expiresAt: number }): EmailContent => ({
    subject: t('signupSubject', v.language, { workspace: v.workspace }),
    blocks: [{ p: t('signupIntro', v.language, { email: v.email, workspace: v.workspace }) }, { action: t('signupAction', v.language), url: v.url }, { small: t('signupExpiry', v.language, { expires: when(v.expiresAt, v.language) }) }],
  }),
  'account-exists': (v: Lang & { email: string; url: string }): EmailContent => ({
    subject: t('accountExistsSubject', v.language),
    blocks: [{ p: t('accountExistsIntro', v.language, { email: v.email }) }, { action: t('accountExistsAction', v.language), url: v.url }, { small: t('accountExistsFooter', v.language) }],
  }),
  transcript: (v: Lang & { workspace: string; lines: { who: string; at: number; text: string }[] }): EmailContent => ({
    subject: t('transcriptSubject', v.language, { workspace: v.workspace }),
    blocks: [{ p: t('transcriptIntro', v.language, { workspace: v.workspace }) }, { transcript: v.lines }],
  }),
  reply: (v: Lang & { workspace: string; agent: string; text: string; original: string | null; replyByEmail: boolean }): EmailContent => ({
    subject: t('replySubject', v.language, { workspace: v.workspace }),
    blocks: [
      { p: t('replyIntro', v.language, { workspace: v.workspace, agent: v.agent }) }, { quote: v.text, by: v.agent, markdown: true },
      { small: t(v.replyByEmail ? 'replyByEmail' : 'replyOnSite', v.language) },
      ...(v.original ? [{ quote: v.original, by: t('yourMessage', v.language) }] : []),
    ],
  }),
} satisfies Record<EmailKind, (values: never) => EmailContent>

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string)
const paragraphs = (s: string) => escape(s).replace(/\n/g, '<br>')

export function renderEmail(content: EmailContent, language = 'en'): RenderedEmail {
  const html: string[] = []
  const text: string[] = []
  for (const block of content.blocks) {
    if ('p' in block) { html.push(`<p style="margin:0 0 16px">${paragraphs(block.p)}</p>`); text.push(block.p) }
    else if ('small' in block) { html.push(`<p style="margin:16px 0;color:#6b7280;font-size:13px">${paragraphs(block.small)}</p>`); text.push(block.small) }
    else if ('quote' in block) {
      html.push(`<blockquote style="margin:0 0 16px;padding:8px 12px;border-left:3px solid #d1d5db;color:#111827">${block.by ? `<div style="color:#6b7280;font-size:13px">${escape(block.by)}</div>` : ''}${block.markdown ? markdownToEmailHtml(block.quote) : paragraphs(block.quote)}</blockquote>`)
      text.push((block.by ? `${block.by}:\n` : '') + block.quote.split('\n').map((line) => `> ${line}`).join('\n'))
    } else if ('action' in block) {
      html.push(`<p style="margin:0 0 16px"><a href="${escape(block.url)}" style="display:inline-block;padding:10px 16px;background:#4f46e5;color:#fff;border-radius:6px;text-decoration:none">${escape(block.action)}</a></p>`)
      text.push(`${block.action}: ${block.url}`)
    } else {
      html.push('<table style="border-collapse:collapse;width:100%">' + block.transcript.map((line) =>
        `<tr><td style="vertical-align:top;padding:4px 8px 4px 0;color:#6b7280;font-size:13px;white-space:nowrap">${escape(line.who)}<br>${escape(when(line.at, language))}</td><td style="padding:4px 0">${paragraphs(line.text)}</td></tr>`).join('') + '</table>')
      text.push(block.transcript.map((line) => `[${when(line.at, language)}] ${line.who}:\n${line.text}`).join('\n\n'))
    }
  }
  return {
    subject: content.subject.replace(/[\r\n]+/g, ' '),
    html: `<!doctype html><html lang="${escape(language)}"><body style="font-family:system-ui,sans-serif;font-size:15px;line-height:1.5;color:#111827;max-width:600px;margin:0 auto;padding:24px">${html.join('\n')}</body></html>`,
    text: text.join('\n\n') + '\n',
  }
}
