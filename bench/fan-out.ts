/**
 * fan-out: C conversations × 3 peers (customer-side observer, agent, bot); agents and bots append
 * messages at a fixed total rate spread over the conversations. Delivery latency is the time from
 * the append until every other peer of that conversation has the message. Parley runs with its
 * durable update log; stock Hocuspocus and y-websocket's server get the same workload.
 *
 *   npm run bench -- fan-out            1,000 conversations, 2,000 and 5,000 msg/s, 2 repetitions
 *   npm run bench -- fan-out --full     100 / 1,000 / 3,000 conversations, 500 … 8,000 msg/s, 3 repetitions
 *   options: --only parley,y-websocket  --reps N  --sizes 1000,3000  --rates 2000,5000
 *            --profile (a CPU profile of each server in bench/results/profiles/)
 */
import { LoadGroup, type MergedRun } from './lib/load.ts'
import { fmtMs, fmtPct, median, percentile, printTable, readOptions, writeResults } from './lib/report.ts'
import { startCpuMeter, waitForIdle } from './lib/proc.ts'
import { TARGET_KINDS, TARGET_LABELS, startTarget, type TargetKind } from './lib/targets.ts'

const options = readOptions()
const list = (flag: string) => { const i = process.argv.indexOf(flag); return i >= 0 ? process.argv[i + 1]!.split(',').map(Number) : null }
const SIZES = list('--sizes') ?? (options.full ? [100, 1000, 3000] : [1000])
const RATES = list('--rates') ?? (options.full ? [500, 1000, 2000, 3000, 5000, 8000] : [2000, 5000])
const REPS = options.reps ?? (options.full ? 3 : 2)
const WARMUP_MS = 1000
const DURATION_MS = options.full ? 5000 : 3000
const P99_LIMIT_MS = 50
const kinds = TARGET_KINDS.filter((k) => !options.only || options.only.includes(k))

interface Cell {
  target: TargetKind; conversations: number; rate: number
  runs: { p50: number; p99: number; delivered: number; lost: number; serverCpu: number; loadCpu: number; saturated: boolean; ackP50: number; ackP99: number }[]
}

const cells: Cell[] = []
for (const kind of kinds) {
  for (const size of SIZES) {
    const target = await startTarget(kind)
    let group: LoadGroup | null = null
    try {
      const conversations = await target.createConversations(size)
      group = (await LoadGroup.start(target, conversations, { workers: 2, roles: ['customer', 'agent', 'bot'], writers: ['agent', 'bot'] })).group
      const byRate = new Map<number, Cell>()
      for (let rep = 0; rep < REPS; rep++) {
        for (const rate of RATES) {
          const cell = byRate.get(rate) ?? { target: kind, conversations: size, rate, runs: [] }
          byRate.set(rate, cell)
          await waitForIdle(target.pid)
          const serverCpu = startCpuMeter(target.pid)
          const run: MergedRun = await group.run({ rate, warmupMs: WARMUP_MS, durationMs: DURATION_MS, graceMs: 2000 })
          const lost = run.latencies.filter((l) => !Number.isFinite(l)).length
          cell.runs.push({
            p50: percentile(run.latencies, 50), p99: percentile(run.latencies, 99), delivered: run.latencies.length - lost, lost,
            serverCpu: serverCpu(), loadCpu: run.loadCpu, saturated: run.saturated,
            ackP50: percentile(run.acks, 50), ackP99: percentile(run.acks, 99),
          })
          process.stderr.write(`  ${kind} ${size} conv ${rate}/s rep ${rep + 1}: p50 ${fmtMs(cell.runs.at(-1)!.p50)} p99 ${fmtMs(cell.runs.at(-1)!.p99)} ms, load ${fmtPct(run.loadShare)}${run.saturated ? ' (saturated)' : ''}\n`)
        }
      }
      cells.push(...byRate.values())
    } finally {
      await group?.close()
      await target.stop()
    }
  }
}

const summary = cells.map((cell) => ({
  target: cell.target, conversations: cell.conversations, rate: cell.rate,
  p50Ms: median(cell.runs.map((r) => r.p50)), p99Ms: median(cell.runs.map((r) => r.p99)),
  ackP50Ms: median(cell.runs.map((r) => r.ackP50)), ackP99Ms: median(cell.runs.map((r) => r.ackP99)),
  lost: cell.runs.reduce((n, r) => n + r.lost, 0), delivered: cell.runs.reduce((n, r) => n + r.delivered, 0),
  serverCpu: median(cell.runs.map((r) => r.serverCpu)), loadCpu: median(cell.runs.map((r) => r.loadCpu)),
  loadSaturated: cell.runs.some((r) => r.saturated), runs: cell.runs,
}))

printTable(`fan-out: delivery latency, sent → seen by both other peers (ms; median of ${REPS} runs of ${DURATION_MS / 1000} s; workload: C conversations × customer+agent+bot, agent/bot append at the total rate)`,
  summary.map((s) => ({
    server: TARGET_LABELS[s.target], conversations: s.conversations, 'msg/s': s.rate, p50: fmtMs(s.p50Ms), p99: fmtMs(s.p99Ms),
    'ack p99': fmtMs(s.ackP99Ms), lost: s.lost, 'server cpu': fmtPct(s.serverCpu), 'load cpu': fmtPct(s.loadCpu) + (s.loadSaturated ? ' SATURATED' : ''),
  })))

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
  workload: `C conversations × 3 peers (customer observer, agent, bot); agent and bot append plain message objects to Y.Array 'messages' at a fixed total rate, spread uniformly; latency = append → observed by both other peers; warm-up ${WARMUP_MS} ms, ${DURATION_MS} ms measured, ${REPS} repetitions (medians)`,
  rates: RATES, sizes: SIZES, repetitions: REPS, cells: summary, held,
})
