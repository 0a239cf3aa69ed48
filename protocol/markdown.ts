/**
 * The Markdown subset a message may carry (bold, italics, lists, links, code, quotes) and the
 * one way to turn it into HTML, shared by the widget and the agent app: marked parses, raw
 * HTML in the text is shown as text (never interpreted), images become links, and DOMPurify
 * keeps only the subset's tags. Links open in a new tab with rel=noopener. Browser only
 * (DOMPurify needs a DOM).
 */
import DOMPurify from 'dompurify'
import { Marked } from 'marked'

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)

const marked = new Marked({
  gfm: true,
  breaks: true,
  renderer: {
    // `<img src=x onerror=…>` in a message is text the sender typed, not markup.
    html: ({ text }) => escapeHtml(text),
    image: ({ href, text }) => `<a href="${escapeHtml(href)}">${escapeHtml(text || href)}</a>`,
  },
})

const ALLOWED_TAGS = ['p', 'br', 'strong', 'em', 'b', 'i', 'del', 'ul', 'ol', 'li', 'a', 'code', 'pre', 'blockquote']

let hooked = false

/** Safe HTML for a message's text. */
export function renderMarkdown(text: string): string {
  if (!hooked) {
    DOMPurify.addHook('afterSanitizeAttributes', (node) => {
      if (node.tagName === 'A') { node.setAttribute('target', '_blank'); node.setAttribute('rel', 'noopener noreferrer') }
    })
    hooked = true
  }
  // Trimmed: the newline marked ends a block with would be text in the bubble.
  const html = (marked.parse(text, { async: false }) as string).trim()
  return DOMPurify.sanitize(html, { ALLOWED_TAGS, ALLOWED_ATTR: ['href', 'target', 'rel'], ALLOWED_URI_REGEXP: /^(https?:|mailto:)/i })
}

export { hasMarkdown } from './markdown-syntax.ts'
