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
  for (const row of summarizeProfile(file, Number(process.argv[3] ?? 25))) console.log(`${(row.share * 100).toFixed(1).padStart(5)}%  ${String(row.selfMs).padStart(7)} ms  ${row.name}`)
}
