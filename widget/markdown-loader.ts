/**
 * Loads the Markdown renderer (widget-markdown.js, next to widget.js) once, on demand. Until it
 * has loaded, or if it cannot load, a message shows as plain text, which is always safe.
 */
type Render = (text: string) => string

// Read while widget.js itself is executing: afterwards currentScript is null.
const base = (() => {
  const script = document.currentScript as HTMLScriptElement | null
  try { return script?.src ? new URL('.', script.src).href : '/' } catch { return '/' }
})()

let loading: Promise<Render> | null = null

export function markdownRenderer(): Promise<Render> {
  const global = window as unknown as { __parleyMarkdown?: Render }
  loading ??= new Promise<Render>((resolve, reject) => {
    if (global.__parleyMarkdown) return resolve(global.__parleyMarkdown)
    const script = document.createElement('script')
    script.src = `${base}widget-markdown.js`
    script.async = true
    script.onload = () => (global.__parleyMarkdown ? resolve(global.__parleyMarkdown) : reject(new Error('the Markdown renderer did not register')))
    script.onerror = () => { loading = null; reject(new Error('the Markdown renderer failed to load')) }
    document.head.append(script)
  })
  return loading
}
