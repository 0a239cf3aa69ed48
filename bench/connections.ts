/**
 * connections: idle peers held by one server process. Peers connect in steps (1k, then up to 5k,
 * then 10k), two per conversation (the customer's widget and an agent), and stay connected; after
 * each step the server's RSS (and heap after a full collection) is read and divided by the peers
 * it holds. Connect time is socket open → first sync received, with 64 connecting at once.
 *
 *   npm run bench -- connections          1,000 and 5,000 peers, 2 repetitions
 *   npm run bench -- connections --full   1,000, 5,000 and 10,000 peers, 3 repetitions
 */
import { LoadGroup } from './lib/load.ts'
import { sleep } from './lib/proc.ts'
import { fmtBytes, fmtMs, median, percentile, printTable, readOptions, writeResults } from './lib/report.ts'
import { TARGET_KINDS, TARGET_LABELS, startTarget, type TargetKind } from './lib/targets.ts'

const options = readOptions()
const LEVELS = options.full ? [1000, 5000, 10_000] : [1000, 5000]
const REPS = options.reps ?? (options.full ? 3 : 2)
const PEERS_PER_CONVERSATION = 2
const kinds = TARGET_KINDS.filter((k) => !options.only || options.only.includes(k))

interface Step { target: TargetKind; peers: number; rssPerPeer: number[]; heapPerPeer: number[]; rss: number[]; connectP50: number[]; connectP99: number[]; stepSeconds: number[] }
const steps = new Map<string, Step>()

for (let rep = 0; rep < REPS; rep++) {
  for (const kind of kinds) {
    const target = await startTarget(kind)
    const groups: LoadGroup[] = []
    try {
      const conversations = await target.createConversations(Math.max(...LEVELS) / PEERS_PER_CONVERSATION)
      // A fresh process holding nothing is the baseline (creating conversations grew the heap once).
      await target.stop(false, true)
      await target.restart()
      await sleep(1000)
      const before = await target.memory()
      let connected = 0
      for (const level of LEVELS) {
        const share = conversations.slice(connected / PEERS_PER_CONVERSATION, level / PEERS_PER_CONVERSATION)
        const t0 = performance.now()
        const { group, connectMs } = await LoadGroup.start(target, share, { workers: 2, roles: ['customer', 'agent'], writers: [], concurrency: 32 })
        const stepSeconds = (performance.now() - t0) / 1000
        groups.push(group)
        connected = level
        await sleep(1000)
        const after = await target.memory()
        const step = steps.get(`${kind}:${level}`) ?? { target: kind, peers: level, rssPerPeer: [], heapPerPeer: [], rss: [], connectP50: [], connectP99: [], stepSeconds: [] }
        steps.set(`${kind}:${level}`, step)
        step.rssPerPeer.push((after.rss - before.rss) / level)
        step.heapPerPeer.push((after.heapUsed + after.external - before.heapUsed - before.external) / level)
        step.rss.push(after.rss)
        step.connectP50.push(percentile(connectMs, 50))
        step.connectP99.push(percentile(connectMs, 99))
        step.stepSeconds.push(stepSeconds)
        process.stderr.write(`  ${kind} ${level} peers (rep ${rep + 1}): RSS ${fmtBytes(after.rss)}, ${fmtBytes(step.rssPerPeer.at(-1)!)} per peer, connect p50 ${fmtMs(step.connectP50.at(-1)!)} ms\n`)
      }
    } finally {
      for (const group of groups) await group.close()
      await target.stop()
    }
  }
}

const summary = [...steps.values()].map((s) => ({
  target: s.target, peers: s.peers, rssBytes: median(s.rss), rssPerPeerBytes: median(s.rssPerPeer), heapPerPeerBytes: median(s.heapPerPeer),
  connectP50Ms: median(s.connectP50), connectP99Ms: median(s.connectP99), runs: s,
}))
printTable(`connections: idle peers held by one server process (median of ${REPS}; workload: ${PEERS_PER_CONVERSATION} peers per conversation, customer + agent, connected in steps)`, summary.map((s) => ({
  server: TARGET_LABELS[s.target], peers: s.peers, 'server RSS': fmtBytes(s.rssBytes), 'RSS / peer': fmtBytes(s.rssPerPeerBytes),
  'heap+ext / peer': fmtBytes(s.heapPerPeerBytes), 'connect p50 ms': fmtMs(s.connectP50Ms), 'connect p99 ms': fmtMs(s.connectP99Ms),
})))
writeResults('connections', {
  workload: `idle peers, ${PEERS_PER_CONVERSATION} per conversation (customer + agent), connected 32 at a time per load process (2 processes) in steps of ${LEVELS.join(' / ')}; per-peer memory = growth over the server with no connections, divided by peers held; ${REPS} repetitions (medians)`,
  cells: summary,
})
