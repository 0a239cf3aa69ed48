/**
 * Summarizes a V8 .cpuprofile (from `node --cpu-prof`): self time per function and location,
 * heaviest first. Usage: node --import tsx bench/tools/profile-summary.ts <file.cpuprofile> [top]
 */
import fs from 'node:fs'
import path from 'node:path'

interface Node { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number; children?: number[] }
interface Profile { nodes: Node[]; samples: number[]; timeDeltas: number[]; startTime: number; endTime: number }

export function summarizeProfile(file: string, top = 25): { name: string; selfMs: number; share: number }[] {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as Profile
  const byId = new Map(profile.nodes.map((n) => [n.id, n]))
  const self = new Map<string, number>()
  profile.samples.forEach((id, i) => {
    const node = byId.get(id)!
    const { functionName, url, lineNumber } = node.callFrame
    const key = `${functionName || '(anonymous)'} ${url ? path.basename(url) + ':' + (lineNumber + 1) : ''}`.trim()
    self.set(key, (self.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000)
  })
  const total = [...self.values()].reduce((a, b) => a + b, 0)
  return [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, top).map(([name, ms]) => ({ name, selfMs: Math.round(ms), share: ms / total }))
}

if (process.argv[1] && path.resolve(process.argv[1]) === new URL(import.meta.url).pathname) {
  const file = process.argv[2]
  if (!file) { console.error('usage: profile-summary.ts <file.cpuprofile> [top]'); process.exit(1) }
  if (process.argv[3] !== '--by-caller') for (const row of summarizeProfile(file, Number(process.argv[3] ?? 25))) console.log(`${(row.share * 100).toFixed(1).padStart(5)}%  ${String(row.selfMs).padStart(7)} ms  ${row.name}`)
}

/**
 * Attributes every sample whose stack passes through `leaf` (a function name, e.g. executeQuery)
 * to the nearest frame of the project itself (not node_modules, not node:), with that frame's
 * caller chain: which of our code paths pays for the library time.
 *   node --import tsx bench/tools/profile-summary.ts <file> --by-caller executeQuery
 */
export function attributeToCallers(file: string, leaf: string, depth = 3, top = 25): { path: string; ms: number }[] {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as Profile
  const parent = new Map<number, Node>()
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n)
  const byId = new Map(profile.nodes.map((n) => [n.id, n]))
  const own = (n: Node) => n.callFrame.url.includes('/work/') && !n.callFrame.url.includes('node_modules')
  const label = (n: Node) => `${n.callFrame.functionName || '(anonymous)'} ${path.basename(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`
  const totals = new Map<string, number>()
  profile.samples.forEach((id, i) => {
    let node: Node | undefined = byId.get(id)
    let hit = false
    const chain: string[] = []
    while (node) {
      if (node.callFrame.functionName === leaf) hit = true
      if (hit && own(node)) { chain.push(label(node)); if (chain.length >= depth) break }
      node = parent.get(node.id)
    }
    if (!hit) return
    const key = chain.join(' ← ') || '(no project frame)'
    totals.set(key, (totals.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000)
  })
  return [...totals.entries()].sort((a, b) => b[1] - a[1]).slice(0, top).map(([p, ms]) => ({ path: p, ms: Math.round(ms) }))
}

if (process.argv[1] && path.resolve(process.argv[1]) === new URL(import.meta.url).pathname && process.argv[3] === '--by-caller') {
  for (const row of attributeToCallers(process.argv[2]!, process.argv[4] ?? 'executeQuery')) console.log(`${String(row.ms).padStart(7)} ms  ${row.path}`)
}
