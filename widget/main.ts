/**
 * widget.js: embedded with `<script src="https://HOST/widget.js" data-site-key="…" async>`.
 * Reads its own tag, starts the widget, and exposes `window.Parley`.
 */
import { ParleyWidget, type Identity, type WidgetEvent } from './parley-widget.ts'

export interface ParleyApi {
  open(): void
  close(): void
  identify(identity: Identity): Promise<boolean>
  on(event: WidgetEvent, listener: (payload?: unknown) => void): () => void
}

declare global { interface Window { Parley?: ParleyApi } }

function boot(): void {
  const script = (document.currentScript as HTMLScriptElement | null) ?? document.querySelector<HTMLScriptElement>('script[data-site-key][src*="widget.js"]')
  const siteKey = script?.dataset.siteKey
  if (!script || !siteKey) { console.error('Parley: the widget script needs a data-site-key attribute'); return }
  if (window.Parley) return // loaded twice: keep the first
  const { userId, userHash, locale } = script.dataset
  const widget = new ParleyWidget(new URL(script.src, location.href).origin, siteKey, userId && userHash ? { userId, userHash } : null, locale)
  window.Parley = {
    open: () => widget.open(),
    close: () => widget.close(),
    identify: (identity) => widget.identify(identity),
    on: (event, listener) => widget.on(event, listener),
  }
  const start = () => widget.start().catch((error) => console.error('Parley: the widget could not start', error))
  if (document.body) start(); else document.addEventListener('DOMContentLoaded', start, { once: true })
}

boot()
