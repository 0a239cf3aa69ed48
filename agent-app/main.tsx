/** Entry: renders the app and registers the service worker that keeps it working offline. */
import { render } from 'solid-js/web'
import './app.css'
import { App } from './App.tsx'
import { registerServiceWorker } from './lib/service-worker.ts'
import './lib/theme.ts'

render(() => <App />, document.getElementById('root')!)
registerServiceWorker()
