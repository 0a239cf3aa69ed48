/**
 * reconnect-storm: 2,000 connected clients (1,000 conversations × customer + agent, each agent
 * with one message written) are dropped at once and reconnect, each after a random 0–1 s delay
 * as providers do. Two ways to drop them: a network cut (every socket terminated without a
 * closing handshake) and a server crash and restart (SIGKILL, then the same data directory).
 * Reported: time until every client is synced again, and server memory (after a full
 * collection) once settled against before the storm: a leak of documents or connections shows here.
 *
 *   npm run bench -- reconnect-storm          2 repetitions
 *   npm run bench -- reconnect-storm --full   3 repetitions
 */
import { LoadGroup } from './lib/load.ts'
import { sleep } from './lib/proc.ts'
import { fmtBytes, fmtMs, fmtPct, median, percentile, printTable, readOptions, writeResults } from './lib/report.ts'
import { TARGET_KINDS, TARGET_LABELS, startTarget, type TargetKind } from './lib/targets.ts'

const options = readOptions()
const REPS = options.reps ?? (options.full ? 3 : 2)
const CONVERSATIONS = 1000
const JITTER_MS = 1000
const kinds = TARGET_KINDS.filter((k) => !options.only || options.only.includes(k))

interface Cell { target: TargetKind; drop: 'network cut' | 'crash + restart'; allSyncedMs: number[]; p50Ms: number[]; failed: number; heapBefore: number[]; heapAfter: number[]; rssBefore: number[]; rssAfter: number[]; loadCpu: number[] }
const cells: Cell[] = []

for (const kind of kinds) {
  const target = await startTarget(kind)
  let group: LoadGroup | null = null
  try {
    const conversations = await target.createConversations(CONVERSATIONS)
    group = (await LoadGroup.start(target, conversations, { workers: 2, roles: ['customer', 'agent'], writers: ['agent'] })).group
    await group.run({ rate: 1000, warmupMs: 0, durationMs: 1000, graceMs: 2000 }) // about one message per conversation
    const cut: Cell = { target: kind, drop: 'network cut', allSyncedMs: [], p50Ms: [], failed: 0, heapBefore: [], heapAfter: [], rssBefore: [], rssAfter: [], loadCpu: [] }
    const crash: Cell = { ...structuredClone(cut), drop: 'crash + restart' }
    // y-websocket's server keeps documents in memory only: after a crash they are gone, so only the cut applies.
    const modes = kind === 'y-websocket' ? [cut] : [cut, crash]
    for (let rep = 0; rep < REPS; rep++) {
      for (const cell of modes) {
        await sleep(1500)
        const before = await target.memory()
        const storm = group.cut({ drop: cell === cut, jitterMs: JITTER_MS, timeoutMs: 60_000 })
        if (cell === crash) {
          await target.stop(true)
          await target.restart()
        }
        const result = await storm
        await sleep(3000) // unloads, compaction and collection settle
        const after = await target.memory()
        cell.allSyncedMs.push(Math.max(...result.syncedAt)); cell.p50Ms.push(percentile(result.syncedAt, 50)); cell.failed += result.failed
        cell.heapBefore.push(before.heapUsed + before.external); cell.heapAfter.push(after.heapUsed + after.external)
        cell.rssBefore.push(before.rss); cell.rssAfter.push(after.rss); cell.loadCpu.push(result.loadCpu)
        process.stderr.write(`  ${kind} ${cell.drop} rep ${rep + 1}: all ${result.syncedAt.length} synced in ${fmtMs(cell.allSyncedMs.at(-1)!)} ms (${result.failed} failed), heap ${fmtBytes(cell.heapBefore.at(-1)!)} → ${fmtBytes(cell.heapAfter.at(-1)!)}\n`)
      }
    }
    cells.push(...modes)
  } finally {
    await group?.close()
    await target.stop()
  }
}

const summary = cells.map((c) => ({
  target: c.target, drop: c.drop, clients: CONVERSATIONS * 2, allSyncedMs: median(c.allSyncedMs), p50Ms: median(c.p50Ms), failed: c.failed,
  heapBeforeBytes: median(c.heapBefore), heapAfterBytes: median(c.heapAfter), heapChange: median(c.heapAfter.map((a, i) => a / c.heapBefore[i]! - 1)),
  rssBeforeBytes: median(c.rssBefore), rssAfterBytes: median(c.rssAfter), loadCpu: median(c.loadCpu), runs: c,
}))
printTable(`reconnect-storm: ${CONVERSATIONS * 2} clients dropped at once, each back after 0–${JITTER_MS / 1000} s (median of ${REPS}; workload: ${CONVERSATIONS} conversations × customer + agent)`, summary.map((s) => ({
  server: TARGET_LABELS[s.target], drop: s.drop, 'all synced ms': fmtMs(s.allSyncedMs), 'half synced ms': fmtMs(s.p50Ms), failed: s.failed,
  'heap+ext before': fmtBytes(s.heapBeforeBytes), after: fmtBytes(s.heapAfterBytes), change: (s.heapChange >= 0 ? '+' : '') + fmtPct(s.heapChange),
  'RSS before → after': `${fmtBytes(s.rssBeforeBytes)} → ${fmtBytes(s.rssAfterBytes)}`,
})))
writeResults('reconnect-storm', {
  workload: `${CONVERSATIONS} conversations × customer + agent peers (one message each), all dropped at once (network cut: sockets terminated; crash: SIGKILL and restart on the same data), each client reconnects after a uniform 0–${JITTER_MS} ms delay and retries every 200–500 ms; time until all are synced; memory after a full collection, 3 s after the last sync, against before; ${REPS} repetitions (medians). After a crash the process is new, so its memory is compared with the old one's.`,
  cells: summary,
})
