// Busy share of the main thread per time bucket of a .cpuprofile, with the heaviest functions of each bucket.
// node bench/tools/profile-timeline.mjs <file> [bucketMs]
import fs from 'node:fs'
const p = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'))
const bucket = Number(process.argv[3] ?? 1000) * 1000
const byId = new Map(p.nodes.map((n) => [n.id, n]))
let t = 0
const buckets = new Map()
p.samples.forEach((id, i) => {
  t += p.timeDeltas[i]
  const b = Math.floor(t / bucket)
  const name = byId.get(id).callFrame.functionName || '(anon)'
  const e = buckets.get(b) ?? { busy: 0, all: 0, fns: new Map() }
  e.all += p.timeDeltas[i]
  if (name !== '(idle)') { e.busy += p.timeDeltas[i]; e.fns.set(name, (e.fns.get(name) ?? 0) + p.timeDeltas[i]) }
  buckets.set(b, e)
})
for (const [b, e] of [...buckets].sort((x, y) => x[0] - y[0])) {
  const top = [...e.fns].sort((x, y) => y[1] - x[1]).slice(0, 4).map(([n, v]) => `${n} ${Math.round(v / 1000)}`).join(', ')
  console.log(`${String(b * bucket / 1e6).padStart(6)} s  busy ${String(Math.round(100 * e.busy / e.all)).padStart(3)} %  ${top}`)
}
