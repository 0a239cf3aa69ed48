/**
 * Whether a message's text uses any Markdown worth rendering: plain text stays plain and needs
 * no parser (the widget loads its renderer only for text that does). No dependencies.
 */
export const hasMarkdown = (text: string): boolean => /[*_`[\]#>]|^\s*([-+]|\d+[.)])\s/m.test(text)
