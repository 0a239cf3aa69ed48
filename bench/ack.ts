/**
 * ack: time from a client's update to the server's acknowledgement (the SyncStatus message the
 * provider turns into its `unsyncedChanges` event). Parley acknowledges after the update log
 * commit (the fsync); stock Hocuspocus as soon as the update is applied in memory (stored 2–10 s
 * later). y-websocket's server sends no acknowledgement, so it is not in this table.
 *
 * Each run is a fresh server (bench/lib/fresh-run.ts): one at a time (300 appends, each after the
 * previous ack), and 500 and 2,000 msg/s over 1,000 conversations × 3 peers with a 5 s warm-up and
 * a 20 s window; 3 runs each, medians reported, every run kept. A run of the default matrix
 * rewrites its table in bench/README.md.
 *
 *   npm run bench -- ack            (~10 min)
 *   npm run bench -- ack --full     also 5,000 msg/s, 1,000 appends one at a time
 *   options: --reps N  --window S  --warmup S  --only parley
 */
import { freshRun, freshSerial, windowOptions } from './lib/fresh-run.ts'
import { fmtMs, fmtPct, median, printTable, readOptions, writeResults } from './lib/report.ts'
import { markdownTable, writeReadmeSection } from './lib/readme-section.ts'
import { TARGET_LABELS, type TargetKind } from './lib/targets.ts'

const options = readOptions()
const REPS = options.reps ?? 3
const SERIAL_COUNT = options.full ? 1000 : 300
const RATES = options.full ? [500, 2000, 5000] : [500, 2000]
const CONVERSATIONS = 1000
const { warmupMs: WARMUP_MS, durationMs: DURATION_MS } = windowOptions()
const kinds = (['parley', 'hocuspocus'] as TargetKind[]).filter((k) => !options.only || options.only.includes(k))

interface Row { target: TargetKind; mode: string; p50: number[]; p99: number[]; count: number; serverCpu: number[]; loadCpu: number[]; loadLag: number[]; saturated: boolean }
const rows: Row[] = []
const row = (target: TargetKind, mode: string): Row => {
  const existing = rows.find((r) => r.target === target && r.mode === mode)
  if (existing) return existing
  const made: Row = { target, mode, p50: [], p99: [], count: 0, serverCpu: [], loadCpu: [], loadLag: [], saturated: false }
  rows.push(made)
  return made
}

for (let rep = 0; rep < REPS; rep++) {
  for (const kind of kinds) {
    const serial = await freshSerial(kind, { conversations: CONVERSATIONS, count: SERIAL_COUNT })
    const r = row(kind, 'one at a time')
    r.p50.push(serial.p50); r.p99.push(serial.p99); r.count += serial.acks; r.loadCpu.push(serial.loadCpu); r.loadLag.push(serial.loadLagP99Ms)
    process.stderr.write(`  ${kind} one at a time run ${rep + 1}: ack p50 ${fmtMs(serial.p50)} p99 ${fmtMs(serial.p99)} ms\n`)
    for (const rate of RATES) {
      const run = await freshRun(kind, { conversations: CONVERSATIONS, rate, warmupMs: WARMUP_MS, durationMs: DURATION_MS })
      const r = row(kind, `${rate} msg/s over ${CONVERSATIONS} conversations`)
      r.p50.push(run.ackP50); r.p99.push(run.ackP99); r.count += run.acks; r.serverCpu.push(run.serverCpu); r.loadCpu.push(run.loadCpu); r.loadLag.push(run.loadLagP99Ms); r.saturated ||= run.saturated
      process.stderr.write(`  ${kind} ${rate}/s run ${rep + 1}: ack p50 ${fmtMs(run.ackP50)} p99 ${fmtMs(run.ackP99)} ms, load ${fmtPct(run.loadCpu)} lag p99 ${fmtMs(run.loadLagP99Ms)} ms\n`)
    }
  }
}

const summary = rows.map((r) => ({
  target: r.target, mode: r.mode, p50Ms: median(r.p50), p99Ms: median(r.p99), acks: r.count,
  serverCpu: r.serverCpu.length ? median(r.serverCpu) : NaN, loadCpu: median(r.loadCpu), loadLagP99Ms: median(r.loadLag), loadSaturated: r.saturated, runs: { p50: r.p50, p99: r.p99 },
}))
const table = summary.map((s) => ({
  server: TARGET_LABELS[s.target], workload: s.mode, p50: fmtMs(s.p50Ms), p99: fmtMs(s.p99Ms), 'p99 of each run': s.runs.p99.map(fmtMs).join(' / '), acks: s.acks,
  'server cpu': Number.isNaN(s.serverCpu) ? '—' : fmtPct(s.serverCpu), 'load cpu / lag p99': `${fmtPct(s.loadCpu)} / ${fmtMs(s.loadLagP99Ms)} ms${s.loadSaturated ? ' SATURATED' : ''}`,
  'acknowledged when': s.target === 'parley' ? 'after the log commit (fsync)' : 'applied in memory',
}))
const caption = `update sent → server acknowledgement (ms; median of ${REPS} runs, each on a fresh server; rates: ${WARMUP_MS / 1000} s warm-up, ${DURATION_MS / 1000} s window, agent/bot appends to conversations with customer+agent+bot peers)`
printTable(`ack: ${caption}`, table)
writeResults('ack', {
  workload: `one at a time: ${SERIAL_COUNT} appends, each after the previous one's ack; rate: ${RATES.join(', ')} msg/s spread over ${CONVERSATIONS} conversations × customer+agent+bot, ${DURATION_MS} ms measured after ${WARMUP_MS} ms warm-up; a fresh server per run; ${REPS} runs (medians)`,
  warmupMs: WARMUP_MS, windowMs: DURATION_MS, cells: summary,
})
writeReadmeSection('ack', 'Acknowledgement', 'npm run bench -- ack', `${caption[0]!.toUpperCase()}${caption.slice(1)}.\n\n${markdownTable(table)}`)
