/**
 * fan-out: C conversations × 3 peers (customer-side observer, agent, bot); agents and bots append
 * messages at a fixed total rate spread over the conversations. Delivery latency is the time from
 * the append until every other peer of that conversation has the message. Parley runs with its
 * durable update log; stock Hocuspocus and y-websocket's server get the same workload.
 *
 * Each run is a fresh server (bench/lib/fresh-run.ts): 5 s warm-up, a 20 s window, 3 runs per
 * cell, the median of the runs reported and every run kept in the JSON with the generator's CPU
 * and lag. A run of the default matrix rewrites its table in bench/README.md.
 *
 *   npm run bench -- fan-out            1,000 conversations, 500 and 2,000 msg/s, 3 runs each (~15 min)
 *   npm run bench -- fan-out --full     100 / 1,000 / 3,000 conversations, 500 … 8,000 msg/s
 *   options: --only parley,y-websocket  --reps N  --sizes 1000,3000  --rates 2000,5000  --window S  --warmup S
 *            --profile (a CPU profile of each server in bench/results/profiles/)
 */
import { freshRun, windowOptions, type RunFigures } from './lib/fresh-run.ts'
import { fmtMs, fmtPct, median, printTable, readOptions, writeResults } from './lib/report.ts'
import { markdownTable, writeReadmeSection } from './lib/readme-section.ts'
import { TARGET_KINDS, TARGET_LABELS, type TargetKind } from './lib/targets.ts'

const options = readOptions()
const list = (flag: string) => { const i = process.argv.indexOf(flag); return i >= 0 ? process.argv[i + 1]!.split(',').map(Number) : null }
const SIZES = list('--sizes') ?? (options.full ? [100, 1000, 3000] : [1000])
const RATES = list('--rates') ?? (options.full ? [500, 1000, 2000, 3000, 5000, 8000] : [500, 2000])
const REPS = options.reps ?? 3
const { warmupMs: WARMUP_MS, durationMs: DURATION_MS } = windowOptions()
const P99_LIMIT_MS = 50
const kinds = TARGET_KINDS.filter((k) => !options.only || options.only.includes(k))

interface Cell { target: TargetKind; conversations: number; rate: number; runs: RunFigures[] }

const cells: Cell[] = []
for (const size of SIZES) {
  for (const rate of RATES) {
    // Runs of one cell alternate between the servers, so a slow minute of the machine falls on all of them.
    const byKind = new Map(kinds.map((kind) => [kind, { target: kind, conversations: size, rate, runs: [] as RunFigures[] }]))
    for (let rep = 0; rep < REPS; rep++) {
      for (const kind of kinds) {
        const run = await freshRun(kind, { conversations: size, rate, warmupMs: WARMUP_MS, durationMs: DURATION_MS })
        byKind.get(kind)!.runs.push(run)
        process.stderr.write(`  ${kind} ${size} conv ${rate}/s run ${rep + 1}: p50 ${fmtMs(run.p50)} p99 ${fmtMs(run.p99)} ms, server ${fmtPct(run.serverCpu)}, load ${fmtPct(run.loadCpu)} lag p99 ${fmtMs(run.loadLagP99Ms)} ms${run.saturated ? ' (saturated)' : ''}\n`)
      }
    }
    cells.push(...byKind.values())
  }
}

const summary = cells.map((cell) => ({
  target: cell.target, conversations: cell.conversations, rate: cell.rate,
  p50Ms: median(cell.runs.map((r) => r.p50)), p99Ms: median(cell.runs.map((r) => r.p99)),
  ackP50Ms: median(cell.runs.map((r) => r.ackP50)), ackP99Ms: median(cell.runs.map((r) => r.ackP99)),
  lost: cell.runs.reduce((n, r) => n + r.lost, 0), delivered: cell.runs.reduce((n, r) => n + r.delivered, 0),
  serverCpu: median(cell.runs.map((r) => r.serverCpu)), cpuUsPerMessage: median(cell.runs.map((r) => r.cpuUsPerMessage)),
  loadCpu: median(cell.runs.map((r) => r.loadCpu)), loadLagP99Ms: median(cell.runs.map((r) => r.loadLagP99Ms)),
  loadSaturated: cell.runs.some((r) => r.saturated), runs: cell.runs,
}))
/** The same cell's y-websocket figures: the reference every ratio is taken against. */
const peer = (s: (typeof summary)[number]) => summary.find((o) => o.target === 'y-websocket' && o.conversations === s.conversations && o.rate === s.rate)
const ratio = (a: number, b: number | undefined) => (b && Number.isFinite(a) && Number.isFinite(b) ? `×${(a / b).toFixed(2)}` : '—')

const rows = summary.map((s) => ({
  server: TARGET_LABELS[s.target], conversations: s.conversations, 'msg/s': s.rate, p50: fmtMs(s.p50Ms), p99: fmtMs(s.p99Ms),
  'p99 of each run': s.runs.map((r) => fmtMs(r.p99)).join(' / '), 'p99 vs y-ws': ratio(s.p99Ms, peer(s)?.p99Ms),
  'ack p50 / p99': Number.isNaN(s.ackP99Ms) ? '—' : `${fmtMs(s.ackP50Ms)} / ${fmtMs(s.ackP99Ms)}`, lost: s.lost,
  'server cpu': fmtPct(s.serverCpu), 'cpu µs/msg': s.cpuUsPerMessage.toFixed(0), 'cpu vs y-ws': ratio(s.cpuUsPerMessage, peer(s)?.cpuUsPerMessage),
  'load cpu / lag p99': `${fmtPct(s.loadCpu)} / ${fmtMs(s.loadLagP99Ms)} ms${s.loadSaturated ? ' SATURATED' : ''}`,
}))
const caption = `delivery latency, sent → seen by both other peers (ms; median of ${REPS} runs, each on a fresh server: ${WARMUP_MS / 1000} s warm-up, ${DURATION_MS / 1000} s window; C conversations × customer+agent+bot, agent/bot append at the total rate)`
printTable(`fan-out: ${caption}`, rows)

const held = kinds.flatMap((target) => SIZES.map((conversations) => {
  const ok = summary.filter((s) => s.target === target && s.conversations === conversations && s.p99Ms < P99_LIMIT_MS && s.lost === 0)
  const best = ok.sort((a, b) => b.rate - a.rate)[0]
  return { target, conversations, highestRateHeld: best?.rate ?? 0, limitedByLoad: best ? best.loadSaturated : false, testedRates: RATES }
}))
printTable(`fan-out: highest tested rate held with p99 < ${P99_LIMIT_MS} ms and nothing lost`, held.map((h) => ({
  server: TARGET_LABELS[h.target], conversations: h.conversations, 'msg/s held': h.highestRateHeld ? h.highestRateHeld + (h.highestRateHeld === Math.max(...RATES) ? '+' : '') : `< ${Math.min(...RATES)}`,
  note: h.limitedByLoad ? 'load generator saturated' : '',
})))

writeResults('fan-out', {
  workload: `C conversations × 3 peers (customer observer, agent, bot); agent and bot append plain message objects to Y.Array 'messages' at a fixed total rate, spread uniformly; latency = append → observed by both other peers; a fresh server per run, warm-up ${WARMUP_MS} ms, ${DURATION_MS} ms measured, ${REPS} runs per cell (medians; every run in cells[].runs)`,
  rates: RATES, sizes: SIZES, repetitions: REPS, warmupMs: WARMUP_MS, windowMs: DURATION_MS, cells: summary, held,
})
writeReadmeSection('fan-out', 'Fan-out', 'npm run bench -- fan-out', `${caption[0]!.toUpperCase()}${caption.slice(1)}. Server on one core, load generators on the other.\n\n${markdownTable(rows)}`)
