/**
 * Preloaded into benchmarked servers (`--import ./bench/servers/probe.mjs`, with `--expose-gc`).
 * Plain JavaScript, so the servers run as they do in production, without the TypeScript loader.
 * It answers `{ type: 'memory' }` on the IPC channel with memory after a full collection, so a
 * benchmark can read the heap a server holds without touching the server's code, and
 * `{ type: 'lag' }` with the event-loop delay since the previous question.
 */
if (process.send) {
  // Event-loop delay since the last `{ type: 'lag' }` question (which resets it): the stalls a
  // benchmark causes, measured inside the server.
  const { monitorEventLoopDelay } = await import('node:perf_hooks')
  const lag = monitorEventLoopDelay({ resolution: 5 })
  lag.enable()
  process.on('message', (message) => {
    if (message?.type === 'lag') {
      process.send({ type: 'lag', id: message.id, p50Ms: lag.percentile(50) / 1e6, p99Ms: lag.percentile(99) / 1e6, maxMs: lag.max / 1e6, samples: lag.count })
      lag.reset()
      return
    }
    if (message?.type !== 'memory') return
    const gc = globalThis.gc
    if (gc) { gc(); gc() }
    process.send({ type: 'memory', id: message.id, gc: Boolean(gc), ...process.memoryUsage() })
  })
  process.channel?.unref()
}
/**
 * BENCH_SQL_STATS=<file>: time spent in every SQL statement (by text), written to <file> when the
 * server exits: which queries the CPU profile's `executeQuery` is made of.
 */
const sqlStats = process.env.BENCH_SQL_STATS
if (sqlStats) {
  const { createRequire } = await import('node:module')
  const fs = await import('node:fs')
  const Database = createRequire(import.meta.url)('better-sqlite3')
  const totals = new Map()
  const prepare = Database.prototype.prepare
  Database.prototype.prepare = function (source) {
    const statement = prepare.call(this, source)
    const key = source.replace(/\(\?(, \?)*\)(, \(\?(, \?)*\))*/g, '(…)').replace(/\?(, \?)+/g, '?…').slice(0, 160)
    for (const method of ['run', 'all', 'get']) {
      const original = statement[method]
      statement[method] = function (...args) {
        const started = performance.now()
        try { return original.apply(this, args) } finally {
          const ms = performance.now() - started
          const t = totals.get(key) ?? { calls: 0, ms: 0, max: 0, slow: 0, slowMs: 0 }
          t.calls += 1; t.ms += ms; t.max = Math.max(t.max, ms)
          if (ms > 1) { t.slow += 1; t.slowMs += ms }
          totals.set(key, t)
        }
      }
    }
    return statement
  }
  process.on('exit', () => {
    const rows = [...totals].sort((a, b) => b[1].ms - a[1].ms).map(([sql, t]) => ({ sql, calls: t.calls, ms: Math.round(t.ms), maxMs: Math.round(t.max * 10) / 10, over1ms: t.slow, msOver1ms: Math.round(t.slowMs) }))
    fs.writeFileSync(sqlStats, JSON.stringify(rows, null, 1))
  })
}

/**
 * BENCH_LAG_LOG=<file>: every event-loop stall over 20 ms (a 5 ms timer that fired late), with
 * its monotonic time in µs (the clock of a .cpuprofile's startTime), written when the server
 * exits; bench/tools/profile-at.mjs shows what ran during each.
 */
const lagLog = process.env.BENCH_LAG_LOG
if (lagLog) {
  const fs = await import('node:fs')
  const stalls = []
  let last = performance.now()
  setInterval(() => {
    const now = performance.now()
    const lag = now - last - 5
    if (lag > 20) stalls.push({ atUs: Number(process.hrtime.bigint() / 1000n), lagMs: Math.round(lag) })
    last = now
  }, 5).unref()
  process.on('exit', () => fs.writeFileSync(lagLog, JSON.stringify(stalls)))
}

/**
 * BENCH_ALLOC_PROFILE=<file>: a sampling allocation profile of everything allocated (also what the
 * GC has already collected: where the garbage comes from), written when the server exits.
 * Read it with bench/tools/alloc-summary.mjs.
 */
const allocProfile = process.env.BENCH_ALLOC_PROFILE
if (allocProfile) {
  const { Session } = await import('node:inspector')
  const fs = await import('node:fs')
  const session = new Session()
  session.connect()
  session.post('HeapProfiler.startSampling', { samplingInterval: 32768, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true })
  process.on('exit', () => {
    session.post('HeapProfiler.stopSampling', (error, result) => {
      if (!error) fs.writeFileSync(allocProfile, JSON.stringify(result.profile))
    })
  })
}
