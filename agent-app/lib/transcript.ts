/**
 * A conversation as a plain-text transcript (what the customer saw: notes stay out), for the
 * "Transcript" download. Times in ISO 8601 UTC so the file reads the same for everyone.
 */
import type { Message } from '../../protocol/index.ts'
import { formatSize } from './format.ts'

export function formatTranscript(title: string, messages: Message[]): string {
  const lines = [`Conversation with ${title}`, '']
  for (const m of messages) {
    if (m.kind === 'note') continue
    const at = new Date(m.createdAt).toISOString().replace('T', ' ').slice(0, 16) + ' UTC'
    const who = m.kind === 'event' ? '—' : `${m.author.name} (${m.author.role})`
    lines.push(`[${at}] ${who}: ${m.text}`)
    for (const a of m.attachments) lines.push(`    attached: ${a.name} (${a.contentType}, ${formatSize(a.size)})`)
  }
  return lines.join('\n') + '\n'
}

/** Offers `text` as a file download. */
export function downloadText(fileName: string, text: string): void {
  const href = URL.createObjectURL(new Blob([text], { type: 'text/plain;charset=utf-8' }))
  const link = Object.assign(document.createElement('a'), { href, download: fileName })
  document.body.append(link)
  link.click()
  link.remove()
  setTimeout(() => URL.revokeObjectURL(href), 60_000)
}
