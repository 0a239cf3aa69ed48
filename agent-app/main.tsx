/** Entry: loads the agent's language, renders the app and registers the service worker that keeps it working offline. */
import { render } from 'solid-js/web'
import './app.css'
import { App } from './App.tsx'
import { loadInitialLanguage } from './i18n/index.ts'
import { registerServiceWorker } from './lib/service-worker.ts'
import './lib/theme.ts'

// The strings come before the first paint, so no one sees English flash into German.
void loadInitialLanguage().catch((error) => console.error('Parley: no strings loaded', error)).finally(() => {
  render(() => <App />, document.getElementById('root')!)
})
registerServiceWorker()
