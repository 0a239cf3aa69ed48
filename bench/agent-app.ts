/**
 * The agent app: its JavaScript weight (gzip -9, what the first visit downloads and the whole
 * app), and the time to a usable inbox holding 1,000 conversations when the service worker's
 * cache is warm (app shell from the SW, inbox from IndexedDB), online and offline; median of runs.
 * Run alone: `node --import tsx bench/agent-app.ts` (`BENCH_SIZE_ONLY=1`: the sizes only, no
 * browser); writes bench/results/agent-app.json. First load counts what index.html loads plus the
 * largest language's first-screen strings (agent-app/i18n/: fetched before the first render).
 */
import fs from 'node:fs'
import path from 'node:path'
import zlib from 'node:zlib'
import { DEFAULT_AI_SETTINGS } from '../protocol/index.ts'
import { LIMITS_OFF, api, startTestServer, startVisitorConversation } from '../server/test-kit.ts'
import { buildBrowserParts, launchBrowser } from '../e2e/browser.ts'
import { openApp } from '../e2e/agent-app-kit.ts'

const BUDGET_GZIP = 60 * 1024
const CONVERSATIONS = Number(process.env.BENCH_CONVERSATIONS ?? 1000)
const RUNS = Number(process.env.BENCH_RUNS ?? 7)
const DIST = path.resolve('dist/app')

const gzip = (file: string) => zlib.gzipSync(fs.readFileSync(file), { level: 9 }).length
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`
const median = (values: number[]) => { const s = [...values].sort((a, b) => a - b); return s[Math.floor((s.length - 1) / 2)]! }

buildBrowserParts()
const html = fs.readFileSync(path.join(DIST, 'index.html'), 'utf8')
const initialFiles = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.js)"/g)].map((m) => m[1]!)
const allJs = fs.readdirSync(path.join(DIST, 'assets')).filter((f) => f.endsWith('.js')).map((f) => `assets/${f}`)
const css = fs.readdirSync(path.join(DIST, 'assets')).filter((f) => f.endsWith('.css')).map((f) => `assets/${f}`)
const sum = (files: string[]) => files.reduce((n, f) => n + gzip(path.join(DIST, f)), 0)
const firstStrings = allJs.filter((f) => /\/strings-first-/.test(f))
const largestStrings = Math.max(0, ...firstStrings.map((f) => gzip(path.join(DIST, f))))
const size = { initialJsGzip: sum(initialFiles) + largestStrings, firstScreenStringsGzip: largestStrings, allJsGzip: sum(allJs), cssGzip: sum(css), initialJsFiles: initialFiles.length + 1, allJsFiles: allJs.length }
const within = size.initialJsGzip <= BUDGET_GZIP
console.log(`first load ${kb(size.initialJsGzip)} gzip (of which one language's first-screen strings ${kb(largestStrings)}) → ${within ? 'within' : 'OVER'} the ${kb(BUDGET_GZIP)} budget`)
// Per file, so a regression points at its chunk (file names carry a module's name: io, router, inbox …).
for (const f of [...initialFiles, firstStrings.find((s) => gzip(path.join(DIST, s)) === largestStrings)].filter(Boolean) as string[]) console.log(`  ${kb(gzip(path.join(DIST, f))).padStart(8)}  ${f}`)
if (!within) process.exitCode = 1
if (process.env.BENCH_SIZE_ONLY === '1') process.exit()

const t = await startTestServer({ env: LIMITS_OFF })
const browser = await launchBrowser()
const timings: { online: number[]; offline: number[] } = { online: [], offline: [] }
try {
  await api(t.url, 'PUT', '/api/settings/ai', { ...DEFAULT_AI_SETTINGS, enabled: false }, t.ownerToken)
  const started = Date.now()
  for (let i = 0; i < CONVERSATIONS; i += 20) {
    await Promise.all(Array.from({ length: Math.min(20, CONVERSATIONS - i) }, (_, j) =>
      startVisitorConversation(t, `Customer ${i + j}`, { id: `bench-first-${i + j}`, text: `Question number ${i + j}: where is my order?` })))
  }
  console.log(`created ${CONVERSATIONS} conversations in ${((Date.now() - started) / 1000).toFixed(1)} s`)

  const { context, page } = await openApp(browser, t)
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined))
  await page.goto(t.url + '/inbox/open')
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null)
  const usable = async (): Promise<number> => {
    const handle = await page.waitForFunction((n) => {
      const rows = document.querySelectorAll('[data-testid=inbox-row]').length
      return rows >= n ? performance.now() : 0
    }, CONVERSATIONS, { polling: 'raf', timeout: 60_000 })
    return (await handle.jsonValue()) as number
  }
  await usable() // first visit: everything comes from the network; warms the SW cache and IndexedDB
  for (const mode of ['online', 'offline'] as const) {
    await context.setOffline(mode === 'offline')
    for (let run = 0; run < RUNS; run++) {
      await page.reload()
      timings[mode].push(await usable())
    }
  }
  await context.setOffline(false)
  await context.close()
} finally {
  await browser.close()
  await t.close()
}

const rows = [
  ['JavaScript on first load, one language (gzip -9)', `${kb(size.initialJsGzip)} (${size.initialJsFiles} files; budget ${kb(BUDGET_GZIP)})`],
  ['JavaScript, whole app incl. lazy pages (gzip -9)', `${kb(size.allJsGzip)} (${size.allJsFiles} files)`],
  ['CSS (gzip -9)', kb(size.cssGzip)],
  [`usable inbox, ${CONVERSATIONS} conversations, warm SW, online (median of ${RUNS})`, `${median(timings.online).toFixed(0)} ms (min ${Math.min(...timings.online).toFixed(0)}, max ${Math.max(...timings.online).toFixed(0)})`],
  [`usable inbox, ${CONVERSATIONS} conversations, warm SW, offline (median of ${RUNS})`, `${median(timings.offline).toFixed(0)} ms (min ${Math.min(...timings.offline).toFixed(0)}, max ${Math.max(...timings.offline).toFixed(0)})`],
]
const width = Math.max(...rows.map((r) => r[0]!.length))
console.log('\nagent app\n')
for (const [label, value] of rows) console.log(`  ${label!.padEnd(width)}  ${value}`)
console.log('\n  "usable": navigation start → every inbox row in the DOM (performance.now() in the page)\n')

fs.mkdirSync('bench/results', { recursive: true })
fs.writeFileSync('bench/results/agent-app.json', JSON.stringify({
  measuredAt: new Date().toISOString(), conversations: CONVERSATIONS, runs: RUNS, size,
  usableInboxMs: { online: { median: median(timings.online), all: timings.online }, offline: { median: median(timings.offline), all: timings.offline } },
}, null, 2) + '\n')
