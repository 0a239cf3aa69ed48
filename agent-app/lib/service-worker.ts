/** Registers the service worker (built by vite-plugin-pwa) that precaches the app shell. */
export function registerServiceWorker(): void {
  if (!('serviceWorker' in navigator) || import.meta.env.DEV) return
  navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch((error: unknown) => {
    // Without it the app still works online; offline start is what is lost, so say so in the console.
    console.warn('service worker registration failed', error)
  })
}
