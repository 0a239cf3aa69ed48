// Self size by constructor (or node type) in a .heapsnapshot: what an idle connection is made of.
// node bench/tools/heap-summary.mjs <file.heapsnapshot> [top]
import fs from 'node:fs'
const [file, top = '40'] = process.argv.slice(2)
const snap = JSON.parse(fs.readFileSync(file, 'utf8'))
const { node_fields: fields, node_types: [types] } = snap.snapshot.meta
const F = fields.length
const iType = fields.indexOf('type'), iName = fields.indexOf('name'), iSize = fields.indexOf('self_size')
const agg = new Map()
let total = 0
for (let i = 0; i < snap.nodes.length; i += F) {
  const type = types[snap.nodes[i + iType]]
  const name = type === 'object' || type === 'closure' ? `${type}: ${snap.strings[snap.nodes[i + iName]]}` : type
  const size = snap.nodes[i + iSize]
  total += size
  const e = agg.get(name) ?? { count: 0, size: 0 }
  e.count += 1; e.size += size
  agg.set(name, e)
}
console.log(`total ${(total / 2 ** 20).toFixed(1)} MiB`)
for (const [k, v] of [...agg].sort((a, b) => b[1].size - a[1].size).slice(0, Number(top))) console.log(`${(v.size / 2 ** 20).toFixed(2).padStart(8)} MiB ${String(v.count).padStart(8)}  ${k}`)
