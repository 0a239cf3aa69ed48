// Inclusive time per function (every frame on the stack counts) in a window of a .cpuprofile.
// node bench/tools/profile-inclusive.mjs <file> [fromS] [toS] [filter]
import fs from 'node:fs'
import path from 'node:path'
const [file, from = '0', to = '1e9', filter = ''] = process.argv.slice(2)
const p = JSON.parse(fs.readFileSync(file, 'utf8'))
const byId = new Map(p.nodes.map((n) => [n.id, n]))
const parent = new Map()
for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n)
let t = 0, total = 0
const incl = new Map()
p.samples.forEach((id, i) => {
  t += p.timeDeltas[i]
  if (t < from * 1e6 || t > to * 1e6) return
  let n = byId.get(id)
  if (n.callFrame.functionName === '(idle)') return
  total += p.timeDeltas[i]
  const seen = new Set()
  while (n) {
    const f = n.callFrame
    const key = `${f.functionName || '(anon)'} ${path.basename(f.url)}:${f.lineNumber + 1}`
    if (!seen.has(key) && (!filter || (f.url.includes(filter) && !f.url.includes('node_modules')))) { seen.add(key); incl.set(key, (incl.get(key) ?? 0) + p.timeDeltas[i]) }
    n = parent.get(n.id)
  }
})
console.log(`busy ${Math.round(total / 1000)} ms`)
for (const [k, v] of [...incl].sort((a, b) => b[1] - a[1]).slice(0, 45)) console.log(`${String(Math.round(v / 1000)).padStart(6)} ms ${(100 * v / total).toFixed(1).padStart(5)} %  ${k}`)
