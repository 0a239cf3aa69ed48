/**
 * A translated sentence with some of its values set as elements (a name in bold, a code
 * snippet): `tNodes('invite.byWhom', { inviter }, { workspace: <strong>{name}</strong> })`. The
 * elements go through the template as markers, so each language keeps its own word order.
 */
import type { JSX } from 'solid-js'
import type { MessageValues } from '../../protocol/i18n.ts'
import { formatAttributeValue, type AttributeValue } from '../../protocol/index.ts'
import { t, type AppKey } from './index.ts'

export function tNodes(key: AppKey, values: MessageValues, nodes: Record<string, JSX.Element>): JSX.Element {
  const names = Object.keys(nodes)
  const marked = t(key, { ...values, ...Object.fromEntries(names.map((n, i) => [n, `\u0000${i}\u0000`])) })
  return marked.split(/\u0000(\d+)\u0000/).map((part, i) => (i % 2 === 1 ? nodes[names[Number(part)]!] : part))
}

/** A contact attribute's value for people: yes/no in the agent's language, the rest as stored. */
export const attributeText = (value: AttributeValue | null | undefined): string =>
  typeof value === 'boolean' ? t(value ? 'attr.yes' : 'attr.no') : formatAttributeValue(value)
