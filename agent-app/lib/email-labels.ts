/** An email delivery's kind and status in the agent's language (one the app does not know, as the server names it). */
import { t, type AppKey } from '../i18n/index.ts'

const KINDS = new Set(['invite', 'reset', 'assigned', 'customer-replied', 'sla-warning', 'signup', 'account-exists', 'transcript', 'reply'])
const STATUSES = new Set(['sent', 'failed', 'retrying', 'queued', 'sending'])

export const emailKind = (kind: string): string => (KINDS.has(kind) ? t(`email.kind.${kind}` as AppKey) : kind)
export const emailStatus = (status: string): string => (STATUSES.has(status) ? t(`email.status.${status}` as AppKey) : status)
