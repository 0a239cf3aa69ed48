/**
 * One measured run on a fresh server (issue 19: figures that hold). A server reused across cells
 * carries the previous cell's backlog (projection batches, checkpoints, compactions still due) into
 * the next one, and a 3-second window misses the periodic stalls a real minute always contains. So
 * each run starts its own server process on an empty data folder, creates the conversations,
 * connects every peer, waits for the server to go idle, warms up, then measures a window of at
 * least 20 s; the server is stopped after. The load generator's CPU and event-loop lag are kept
 * with each run, so a figure limited by the generator says so.
 */
import { LoadGroup } from './load.ts'
import { readCpuSeconds, waitForIdle } from './proc.ts'
import { percentile } from './report.ts'
import { startTarget, type TargetKind } from './targets.ts'

export interface RunFigures {
  /** Delivery latency, append → seen by both other peers (ms). */
  p50: number; p99: number
  /** Update → server acknowledgement (ms; NaN for servers that send none). */
  ackP50: number; ackP99: number
  delivered: number; lost: number
  /** Acknowledgements received in the window (0 for servers that send none). */
  acks: number
  sent: number; expected: number
  /** Server CPU over the window, in cores (1 = one core busy throughout). */
  serverCpu: number
  /** Server CPU per message offered (warm-up and window), in microseconds: the cost figure beside the peers'. */
  cpuUsPerMessage: number
  /** The load generators' CPU in cores, and the worst event-loop delay p99 among them (ms). */
  loadCpu: number; loadLagP99Ms: number
  /** The generators could not keep up: the figure says more about them than about the server. */
  saturated: boolean
}

export interface RunPlan { conversations: number; rate: number; warmupMs: number; durationMs: number }

/** Window lengths from `--window S` and `--warmup S` (seconds), with the harness's floor as defaults. */
export function windowOptions(argv = process.argv.slice(2)): { warmupMs: number; durationMs: number } {
  const seconds = (flag: string, fallback: number) => {
    const i = argv.indexOf(flag)
    if (i < 0) return fallback
    const n = Number(argv[i + 1])
    if (!Number.isFinite(n) || n <= 0) throw new Error(`${flag} must be a number of seconds`)
    return n
  }
  return { warmupMs: seconds('--warmup', 5) * 1000, durationMs: seconds('--window', 20) * 1000 }
}

/**
 * A fresh server of `kind` with `conversations` conversations and their three peers connected,
 * idle, handed to `measure`; the load processes and the server are stopped after, whatever happens.
 */
async function onFreshServer<T>(kind: TargetKind, conversations: number, measure: (group: LoadGroup, pid: number) => Promise<T>): Promise<T> {
  const target = await startTarget(kind)
  let group: LoadGroup | null = null
  try {
    const specs = await target.createConversations(conversations)
    group = (await LoadGroup.start(target, specs, { workers: 2, roles: ['customer', 'agent', 'bot'], writers: ['agent', 'bot'] })).group
    // Connecting thousands of peers leaves work behind (loads, first syncs): measured from a quiet server.
    await waitForIdle(target.pid)
    return await measure(group, target.pid)
  } finally {
    await group?.close()
    await target.stop()
  }
}

export function freshRun(kind: TargetKind, plan: RunPlan): Promise<RunFigures> {
  return onFreshServer(kind, plan.conversations, async (group, pid) => {
    const cpu0 = readCpuSeconds(pid)
    const t0 = performance.now()
    // CPU is read over warm-up, window and grace together: the warm-up is short beside the window, and both are load at the same rate.
    const run = await group.run({ rate: plan.rate, warmupMs: plan.warmupMs, durationMs: plan.durationMs, graceMs: 2000 })
    const cpuSeconds = readCpuSeconds(pid) - cpu0
    const lost = run.latencies.filter((l) => !Number.isFinite(l)).length
    return {
      p50: percentile(run.latencies, 50), p99: percentile(run.latencies, 99), ackP50: percentile(run.acks, 50), ackP99: percentile(run.acks, 99),
      delivered: run.latencies.length - lost, lost, acks: run.acks.length, sent: run.sent, expected: run.expected,
      serverCpu: cpuSeconds / ((performance.now() - t0) / 1000), cpuUsPerMessage: (cpuSeconds * 1e6) / (plan.rate * ((plan.warmupMs + plan.durationMs) / 1000)),
      loadCpu: run.loadCpu, loadLagP99Ms: run.loopDelayP99Ms, saturated: run.saturated,
    }
  })
}

/** `count` appends one at a time, each after the previous one's acknowledgement, on a fresh server: the ack latency without queueing. */
export function freshSerial(kind: TargetKind, plan: { conversations: number; count: number }): Promise<{ p50: number; p99: number; acks: number; loadCpu: number; loadLagP99Ms: number }> {
  return onFreshServer(kind, plan.conversations, async (group) => {
    const run = await group.serial(plan.count)
    return { p50: percentile(run.acks, 50), p99: percentile(run.acks, 99), acks: run.acks.length, loadCpu: run.loadCpu, loadLagP99Ms: run.loopDelayP99Ms }
  })
}
