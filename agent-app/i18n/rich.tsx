/**
 * A translated sentence with some of its values set in bold (a workspace's name, an email):
 * `tStrong('invite.byWhom', { inviter }, { workspace, email })`. The bold values go through the
 * template as markers, so each language keeps its own word order around them.
 */
import type { JSX } from 'solid-js'
import type { MessageValues } from '../../protocol/i18n.ts'
import { t, type AppKey } from './index.ts'

export function tStrong(key: AppKey, values: MessageValues, strong: Record<string, string>): JSX.Element {
  const names = Object.keys(strong)
  const marked = t(key, { ...values, ...Object.fromEntries(names.map((n, i) => [n, `\u0000${i}\u0000`])) })
  return marked.split(/\u0000(\d+)\u0000/).map((part, i) => (i % 2 === 1 ? <strong>{strong[names[Number(part)]!]}</strong> : part))
}
