// The longest stretches of a .cpuprofile spent in one unbroken call (consecutive samples under the
// same frame of our own or a library's code): where the event loop stalled, and in what.
// node bench/tools/profile-stalls.mjs <file> [minMs]
import fs from 'node:fs'
import path from 'node:path'
const [file, minArg = '20'] = process.argv.slice(2)
const p = JSON.parse(fs.readFileSync(file, 'utf8'))
const byId = new Map(p.nodes.map((n) => [n.id, n]))
const parent = new Map()
for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n)
const stackOf = (id) => { const s = []; let n = byId.get(id); while (n) { s.unshift(n); n = parent.get(n.id) } return s }
const label = (n) => `${n.callFrame.functionName || '(anon)'} ${path.basename(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`
let t = 0
const stretches = []
let current = null // { start, end, stack }
p.samples.forEach((id, i) => {
  t += p.timeDeltas[i]
  const stack = stackOf(id)
  if (stack.at(-1).callFrame.functionName === '(idle)' || stack.length < 2) { if (current) stretches.push(current); current = null; return }
  if (current) {
    // the common prefix with the current stretch
    let k = 0
    while (k < current.stack.length && k < stack.length && current.stack[k] === stack[k]) k++
    if (k >= 2) { current.stack = current.stack.slice(0, k); current.end = t; return }
    stretches.push(current)
  }
  current = { start: t, end: t, stack }
})
if (current) stretches.push(current)
for (const s of stretches.filter((s) => (s.end - s.start) / 1000 >= Number(minArg)).sort((a, b) => (b.end - b.start) - (a.end - a.start)).slice(0, 15)) {
  console.log(`${((s.end - s.start) / 1000).toFixed(0).padStart(5)} ms at ${(s.start / 1e6).toFixed(2)} s: ${s.stack.slice(1).slice(-4).map(label).join(' > ')}`)
}
