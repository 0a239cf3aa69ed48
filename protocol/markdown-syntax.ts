/**
 * Whether a message's text uses any Markdown worth rendering: plain text stays plain and needs
 * no parser (the widget loads its renderer only for text that does). No dependencies.
 */
export const hasMarkdown = (text: string): boolean => /[*_`[\]#>]|^\s*([-+]|\d+[.)])\s/m.test(text)

/**
 * A reply still streaming in can stop inside `**bold**` or `` `code` ``: the opener without its
 * closer would show as raw markers until the rest arrives. The last unmatched one is left out of
 * what is drawn meanwhile (the final text is rendered whole).
 */
export function withoutOpenMarkers(text: string): string {
  let out = text
  for (const marker of ['**', '__', '`']) {
    if ((out.split(marker).length - 1) % 2 === 0) continue
    const at = out.lastIndexOf(marker)
    out = out.slice(0, at) + out.slice(at + marker.length)
  }
  return out
}
