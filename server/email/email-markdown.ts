/**
 * An agent's reply is Markdown (the safe subset of protocol/markdown.ts); in an email's HTML part
 * it is rendered the same way, without DOMPurify (no DOM on the server): raw HTML in the text is
 * shown as text, images become links, and only http(s) and mailto links are kept as links.
 * marked escapes text and code itself.
 */
import { Marked, type Tokens } from 'marked'

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
const SAFE_URL = /^(https?:|mailto:)/i

const marked = new Marked({
  gfm: true,
  breaks: true,
  renderer: {
    html: ({ text }: Tokens.HTML | Tokens.Tag) => escapeHtml(text),
    image: ({ href, text }: Tokens.Image) => (SAFE_URL.test(href) ? `<a href="${escapeHtml(href)}">${escapeHtml(text || href)}</a>` : escapeHtml(text || href)),
    link(token: Tokens.Link) {
      const inner = this.parser.parseInline(token.tokens)
      return SAFE_URL.test(token.href) ? `<a href="${escapeHtml(token.href)}">${inner}</a>` : inner
    },
  },
})

export const markdownToEmailHtml = (text: string): string => (marked.parse(text, { async: false }) as string).trim()
