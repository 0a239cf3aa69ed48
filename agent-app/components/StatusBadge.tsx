import type { JSX } from 'solid-js'
import type { ConversationStatus } from '../../protocol/index.ts'
import { t } from '../i18n/index.ts'

const STYLES: Record<ConversationStatus, string> = {
  bot: 'bg-violet-100 text-violet-900', waiting: 'bg-amber-100 text-amber-900', open: 'bg-green-100 text-green-900',
  snoozed: 'bg-sky-100 text-sky-900', resolved: 'bg-slate-200 text-slate-800',
}

export function StatusBadge(props: { status: ConversationStatus }): JSX.Element {
  return <span class={`rounded px-1.5 py-0.5 ${STYLES[props.status]}`} data-testid="status" data-status={props.status}>{t(`status.${props.status}` as const)}</span>
}
