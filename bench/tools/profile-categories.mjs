// Self time of a .cpuprofile window grouped by where the code lives (package or project folder).
// node bench/tools/profile-categories.mjs <file> [fromS] [toS]
import fs from 'node:fs'
const [file, from = '0', to = '1e9'] = process.argv.slice(2)
const p = JSON.parse(fs.readFileSync(file, 'utf8'))
const byId = new Map(p.nodes.map((n) => [n.id, n]))
const category = (f) => {
  if (f.functionName === '(idle)') return null
  if (f.functionName === '(garbage collector)') return 'gc'
  if (['writev', 'writeBuffer', 'writeUtf8String', 'close', 'fsync'].includes(f.functionName) && !f.url) return 'syscalls: ' + f.functionName
  if (f.functionName === 'executeQuery' && f.url.includes('sqlite-driver')) return 'sqlite (native)'
  const m = f.url.match(/node_modules\/((@[^/]+\/)?[^/]+)/)
  if (m) return m[1]
  const own = f.url.match(/\/work\/main\/([^/]+)\//)
  if (own) return 'parley ' + own[1] + '/'
  if (f.url.startsWith('node:') || /^[a-z_]+$/.test(f.url) || f.url === '') return 'node internals / native'
  return f.url
}
let t = 0, total = 0
const agg = new Map()
p.samples.forEach((id, i) => {
  t += p.timeDeltas[i]
  if (t < from * 1e6 || t > to * 1e6) return
  const c = category(byId.get(id).callFrame)
  if (!c) return
  total += p.timeDeltas[i]
  agg.set(c, (agg.get(c) ?? 0) + p.timeDeltas[i])
})
console.log(`busy ${Math.round(total / 1000)} ms`)
for (const [k, v] of [...agg].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`${String(Math.round(v / 1000)).padStart(6)} ms ${(100 * v / total).toFixed(1).padStart(5)} %  ${k}`)
