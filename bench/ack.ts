/**
 * ack: time from a client's update to the server's acknowledgement (the SyncStatus message the
 * provider turns into its `unsyncedChanges` event). Parley acknowledges after the update log
 * commit; stock Hocuspocus as soon as the update is applied in memory (stored 2–10 s later).
 * y-websocket's server sends no acknowledgement, so it is not in this table.
 *
 *   npm run bench -- ack            one at a time (300 messages), and 2,000 msg/s over 1,000 conversations; 2 repetitions
 *   npm run bench -- ack --full     1,000 one at a time, 2,000 and 5,000 msg/s; 3 repetitions
 */
import { LoadGroup } from './lib/load.ts'
import { startCpuMeter, waitForIdle } from './lib/proc.ts'
import { fmtMs, fmtPct, median, percentile, printTable, readOptions, writeResults } from './lib/report.ts'
import { TARGET_LABELS, startTarget, type TargetKind } from './lib/targets.ts'

const options = readOptions()
const REPS = options.reps ?? (options.full ? 3 : 2)
const SERIAL_COUNT = options.full ? 1000 : 300
const RATES = options.full ? [2000, 5000] : [2000]
const CONVERSATIONS = 1000
const DURATION_MS = options.full ? 5000 : 3000
const kinds = (['parley', 'hocuspocus'] as TargetKind[]).filter((k) => !options.only || options.only.includes(k))

interface Row { target: TargetKind; mode: string; p50: number[]; p99: number[]; count: number; serverCpu: number[]; loadCpu: number[]; saturated: boolean }
const rows: Row[] = []

for (const kind of kinds) {
  const target = await startTarget(kind)
  let group: LoadGroup | null = null
  try {
    const conversations = await target.createConversations(CONVERSATIONS)
    group = (await LoadGroup.start(target, conversations, { workers: 2, roles: ['customer', 'agent', 'bot'], writers: ['agent', 'bot'] })).group
    const serialRow: Row = { target: kind, mode: 'one at a time', p50: [], p99: [], count: 0, serverCpu: [], loadCpu: [], saturated: false }
    const rateRows = RATES.map((rate): Row => ({ target: kind, mode: `${rate} msg/s over ${CONVERSATIONS} conversations`, p50: [], p99: [], count: 0, serverCpu: [], loadCpu: [], saturated: false }))
    for (let rep = 0; rep < REPS; rep++) {
      await waitForIdle(target.pid)
      const serverCpu = startCpuMeter(target.pid)
      const serial = await group.serial(SERIAL_COUNT)
      serialRow.p50.push(percentile(serial.acks, 50)); serialRow.p99.push(percentile(serial.acks, 99))
      serialRow.count += serial.acks.length; serialRow.serverCpu.push(serverCpu()); serialRow.loadCpu.push(serial.loadCpu)
      for (const [i, rate] of RATES.entries()) {
        const row = rateRows[i]!
        await waitForIdle(target.pid)
        const cpu = startCpuMeter(target.pid)
        const run = await group.run({ rate, warmupMs: 1000, durationMs: DURATION_MS, graceMs: 2000 })
        row.p50.push(percentile(run.acks, 50)); row.p99.push(percentile(run.acks, 99))
        row.count += run.acks.length; row.serverCpu.push(cpu()); row.loadCpu.push(run.loadCpu); row.saturated ||= run.saturated
        process.stderr.write(`  ${kind} ${rate}/s rep ${rep + 1}: ack p50 ${fmtMs(row.p50.at(-1)!)} p99 ${fmtMs(row.p99.at(-1)!)} ms (${run.acks.length} acks of ${run.sent} sent)\n`)
      }
    }
    rows.push(serialRow, ...rateRows)
  } finally {
    await group?.close()
    await target.stop()
  }
}

const summary = rows.map((r) => ({
  target: r.target, mode: r.mode, p50Ms: median(r.p50), p99Ms: median(r.p99), acks: r.count,
  serverCpu: median(r.serverCpu), loadCpu: median(r.loadCpu), loadSaturated: r.saturated, runs: { p50: r.p50, p99: r.p99 },
}))
printTable(`ack: update sent → server acknowledgement (ms; median of ${REPS} runs; workload: agent/bot appends to conversations with customer+agent+bot peers)`, summary.map((s) => ({
  server: TARGET_LABELS[s.target], workload: s.mode, p50: fmtMs(s.p50Ms), p99: fmtMs(s.p99Ms), acks: s.acks,
  'server cpu': fmtPct(s.serverCpu), 'load cpu': fmtPct(s.loadCpu) + (s.loadSaturated ? ' SATURATED' : ''),
  'acknowledged when': s.target === 'parley' ? 'after the log commit' : 'applied in memory',
})))
writeResults('ack', {
  workload: `one at a time: ${SERIAL_COUNT} appends, each after the previous one's ack; rate: ${RATES.join(', ')} msg/s spread over ${CONVERSATIONS} conversations × customer+agent+bot, ${DURATION_MS} ms measured after 1 s warm-up; ${REPS} repetitions (medians)`,
  cells: summary,
})
