/** Registers the service worker (built by vite-plugin-pwa) that precaches the app shell. */
export function registerServiceWorker(): void {
  reloadOnMissingChunk()
  if (!('serviceWorker' in navigator) || import.meta.env.DEV) return
  navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch((error: unknown) => {
    // Without it the app still works online; offline start is what is lost, so say so in the console.
    console.warn('service worker registration failed', error)
  })
}

const RELOADED_AT = 'parley:chunk-reload'

/**
 * Pages and parts of the first screen load lazily (bench/agent-app.ts). A tab still running the
 * previous version after an update asks for chunks the new service worker no longer holds (it
 * drops the old ones): start again on the new version rather than show a broken page. At most
 * once a minute, so a chunk that fails for another reason cannot make the tab reload in a loop.
 */
function reloadOnMissingChunk(): void {
  window.addEventListener('vite:preloadError', (event) => {
    const last = Number(sessionStorage.getItem(RELOADED_AT) ?? 0)
    if (Date.now() - last < 60_000) return
    sessionStorage.setItem(RELOADED_AT, String(Date.now()))
    event.preventDefault()
    location.reload()
  })
}
