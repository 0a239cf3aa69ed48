// What a .cpuprofile's main thread ran in the window before each stall of a BENCH_LAG_LOG file.
// node bench/tools/profile-at.mjs <file.cpuprofile> <lag.json> [minLagMs]
import fs from 'node:fs'
import path from 'node:path'
const [file, lagFile, minArg = '40'] = process.argv.slice(2)
const p = JSON.parse(fs.readFileSync(file, 'utf8'))
const stalls = JSON.parse(fs.readFileSync(lagFile, 'utf8')).filter((s) => s.lagMs >= Number(minArg))
const byId = new Map(p.nodes.map((n) => [n.id, n]))
const parent = new Map()
for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n)
const own = (n) => n.callFrame.url.includes('/work/') && !n.callFrame.url.includes('node_modules')
const label = (n) => `${n.callFrame.functionName || '(anon)'} ${path.basename(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`
const times = []
let t = p.startTime
for (let i = 0; i < p.samples.length; i++) { t += p.timeDeltas[i]; times.push(t) }
for (const stall of stalls) {
  const from = stall.atUs - stall.lagMs * 1000 - 5000
  const agg = new Map()
  for (let i = 0; i < times.length; i++) {
    if (times[i] < from || times[i] > stall.atUs) continue
    let n = byId.get(p.samples[i])
    const leaf = label(n)
    let ownFrame = null
    while (n) { if (own(n)) { ownFrame = label(n); break } n = parent.get(n.id) }
    const key = `${ownFrame ?? '-'}  [${leaf}]`
    agg.set(key, (agg.get(key) ?? 0) + 1)
  }
  console.log(`stall ${stall.lagMs} ms at ${((stall.atUs - p.startTime) / 1e6).toFixed(2)} s:`)
  for (const [k, v] of [...agg].sort((a, b) => b[1] - a[1]).slice(0, 6)) console.log(`   ${String(v).padStart(4)} samples  ${k}`)
}
