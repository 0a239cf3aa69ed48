/** One shared "now" for live durations ("waiting 12 min"): ticks every 20 s, one timer for the whole app. */
import { createSignal } from 'solid-js'

const [now, setNow] = createSignal(Date.now())
setInterval(() => setNow(Date.now()), 20_000)
document.addEventListener('visibilitychange', () => { if (document.visibilityState === 'visible') setNow(Date.now()) })

export { now }
