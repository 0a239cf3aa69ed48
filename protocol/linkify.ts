/**
 * Plain URLs in a message become links, without Markdown and without HTML: the text is cut into
 * text and link parts, which the widget and the agent app build as text nodes and <a> elements,
 * so nothing in the text is ever parsed as markup (`<img src=x onerror=…>` stays characters).
 * Only http(s) and `www.` addresses; punctuation that ends a sentence is not part of the link.
 * No dependencies (the widget imports it).
 */
export interface TextPart { text: string; href?: string }

const URL_PATTERN = /\b(?:https?:\/\/|www\.)[^\s<>"'`]+/gi
const TRAILING = /[.,;:!?'"»”’]+$/

/** Drops what ends a sentence, and a closing bracket the URL did not open ("(see https://x.y/a)"). */
function trim(url: string): string {
  let out = url.replace(TRAILING, '')
  for (const [open, close] of [['(', ')'], ['[', ']']] as const) {
    while (out.endsWith(close) && out.split(open).length < out.split(close).length) out = out.slice(0, -1).replace(TRAILING, '')
  }
  return out
}

export function splitLinks(text: string): TextPart[] {
  const parts: TextPart[] = []
  let last = 0
  for (const match of text.matchAll(URL_PATTERN)) {
    const url = trim(match[0])
    const start = match.index
    if (url.length < 5 || /^www\.$/i.test(url)) continue
    if (start > last) parts.push({ text: text.slice(last, start) })
    parts.push({ text: url, href: /^www\./i.test(url) ? `https://${url}` : url })
    last = start + url.length
  }
  if (last < text.length) parts.push({ text: text.slice(last) })
  return parts
}

/** Whether a text holds a link worth building (so plain text can stay one text node). */
export const hasLink = (text: string): boolean => /\b(?:https?:\/\/|www\.)\S/i.test(text)
