/**
 * `npm run bench [-- NAME …] [--full] [other flags passed on]`: runs every benchmark in bench/
 * (or the named ones), each as its own process with a time limit, one after another.
 *
 * The convention: a benchmark is a top-level `bench/<name>.ts` (not run.ts, not *.test.ts) that
 * runs standalone, prints its table and writes bench/results/<name>.json. Helpers live in
 * bench/lib/, bench/servers/ and bench/tools/, which are never run as benchmarks.
 */
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { ROOT } from './lib/proc.ts'

const BENCH_DIR = path.join(ROOT, 'bench')
/** Order of the default run: cheap and independent first. Others follow alphabetically. */
const ORDER = ['widget-size', 'agent-app', 'cold-load', 'ack', 'fan-out', 'connections', 'reconnect-storm']

const args = process.argv.slice(2)
const full = args.includes('--full')
const names = args.filter((a, i) => !a.startsWith('--') && !(i > 0 && ['--reps', '--only', '--size', '--sizes', '--rates', '--frames', '--seed', '--questions'].includes(args[i - 1]!)))
const passOn = args.filter((a) => !names.includes(a))
/** Benchmarks whose default matrix is many fresh-server runs of 20 s windows (bench/lib/fresh-run.ts) get longer. */
const LONG_S: Record<string, number> = { 'fan-out': 2400, ack: 1800 }
const limitFor = (name: string): number => Number(process.env.BENCH_TIME_LIMIT_S ?? (full ? 2 * (LONG_S[name] ?? 1800) : LONG_S[name] ?? 300)) * 1000

const available = fs.readdirSync(BENCH_DIR)
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts' && !f.endsWith('.test.ts') && !f.endsWith('.d.ts'))
  .map((f) => f.slice(0, -3))
  .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b))

function rank(name: string): number {
  const i = ORDER.indexOf(name)
  return i === -1 ? ORDER.length : i
}

const unknown = names.filter((n) => !available.includes(n))
if (unknown.length > 0) {
  console.error(`no benchmark named ${unknown.join(', ')}; there are: ${available.join(', ')}`)
  process.exit(1)
}
const selected = names.length > 0 ? names : available

// Servers are measured as `npm start` runs them: compiled (dist/server), so build first.
await new Promise<void>((resolve, reject) => {
  spawn(process.execPath, [path.join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT, stdio: 'inherit' })
    .on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`the build failed (exit ${code})`))))
})

function runOne(name: string): Promise<{ name: string; code: number | null; ms: number; timedOut: boolean }> {
  const started = performance.now()
  return new Promise((resolve) => {
    console.log(`\n━━ ${name} ━━`)
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(BENCH_DIR, `${name}.ts`), ...passOn], { cwd: ROOT, stdio: 'inherit', detached: true })
    let timedOut = false
    const timer = setTimeout(() => {
      timedOut = true
      console.error(`\n${name}: over its ${limitFor(name) / 1000} s limit; stopping it`)
      // The benchmark leads its own process group, so its servers and load processes stop too.
      try { process.kill(-child.pid!, 'SIGTERM') } catch {}
      setTimeout(() => { try { process.kill(-child.pid!, 'SIGKILL') } catch {} }, 5000).unref()
    }, limitFor(name))
    child.on('exit', (code) => {
      clearTimeout(timer)
      resolve({ name, code, ms: performance.now() - started, timedOut })
    })
  })
}

const outcomes = []
for (const name of selected) outcomes.push(await runOne(name))

console.log('\n━━ summary ━━')
for (const o of outcomes) console.log(`  ${o.code === 0 ? 'ok  ' : 'FAIL'}  ${o.name.padEnd(18)} ${(o.ms / 1000).toFixed(0).padStart(4)} s${o.timedOut ? '  (time limit)' : o.code !== 0 ? `  (exit ${o.code})` : ''}`)
console.log('  results: bench/results/*.json')
process.exit(outcomes.every((o) => o.code === 0) ? 0 : 1)
