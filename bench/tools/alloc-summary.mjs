// Bytes allocated by function (self, and inclusive for the project's own code) in a sampling
// allocation profile (bench/servers/probe.mjs, BENCH_ALLOC_PROFILE).
// node bench/tools/alloc-summary.mjs <file> [top]
import fs from 'node:fs'
import path from 'node:path'
const [file, top = '30'] = process.argv.slice(2)
const profile = JSON.parse(fs.readFileSync(file, 'utf8'))
const self = new Map(), incl = new Map()
let total = 0
const walk = (node, stack) => {
  const f = node.callFrame
  const key = `${f.functionName || '(anon)'} ${path.basename(f.url)}:${f.lineNumber + 1}`
  total += node.selfSize
  self.set(key, (self.get(key) ?? 0) + node.selfSize)
  const next = stack.includes(key) ? stack : [...stack, key]
  for (const k of next) incl.set(k, (incl.get(k) ?? 0) + node.selfSize)
  for (const child of node.children) walk(child, next)
}
walk(profile.head, [])
const mb = (b) => (b / 2 ** 20).toFixed(1).padStart(8)
console.log(`sampled ${mb(total)} MiB`)
console.log('self:')
for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, Number(top))) console.log(`${mb(v)}  ${k}`)
console.log('inclusive, project code:')
for (const [k, v] of [...incl].filter(([k]) => /main\.mjs|chunk-/.test(k)).sort((a, b) => b[1] - a[1]).slice(0, Number(top))) console.log(`${mb(v)}  ${k}`)
