/**
 * The widget's Markdown renderer, built as its own script (dist/widget/widget-markdown.js) and
 * loaded on the first message that needs it: marked and DOMPurify would take most of the
 * widget's size budget, and most conversations never need them.
 */
import { renderMarkdown } from '../protocol/markdown.ts'

;(window as unknown as { __parleyMarkdown?: typeof renderMarkdown }).__parleyMarkdown = renderMarkdown
