/**
 * Figures and how they are shown: percentiles, medians over repetitions, a plain-text table on
 * stdout and the same figures as JSON in bench/results/<name>.json.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { ROOT, pinning } from './proc.ts'

/** The p-th percentile (0–100) by nearest rank; Infinity entries (lost or late) count as the slowest. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN
  const sorted = [...values].sort((a, b) => a - b)
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  return sorted[rank]!
}

export const median = (values: number[]): number => percentile(values.filter((v) => !Number.isNaN(v)), 50)

export const fmtMs = (ms: number): string => !Number.isFinite(ms) ? (Number.isNaN(ms) ? '—' : 'lost') : ms < 10 ? ms.toFixed(2) : ms < 100 ? ms.toFixed(1) : ms.toFixed(0)
export const fmtBytes = (bytes: number): string => Math.abs(bytes) < 1024 ? `${bytes.toFixed(0)} B` : Math.abs(bytes) < 1024 ** 2 ? `${(bytes / 1024).toFixed(1)} KiB` : `${(bytes / 1024 ** 2).toFixed(1)} MiB`
export const fmtPct = (fraction: number): string => `${(fraction * 100).toFixed(0)}%`

/** Prints rows as an aligned text table. */
export function printTable(title: string, rows: Record<string, string | number>[]): void {
  console.log(`\n${title}`)
  if (rows.length === 0) { console.log('  (no rows)'); return }
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))]
  const width = columns.map((c) => Math.max(c.length, ...rows.map((r) => String(r[c] ?? '').length)))
  const line = (cells: string[]) => '  ' + cells.map((cell, i) => cell.padEnd(width[i]!)).join('  ')
  console.log(line(columns))
  console.log(line(width.map((w) => '-'.repeat(w))))
  for (const row of rows) console.log(line(columns.map((c) => String(row[c] ?? ''))))
}

export function machine(): Record<string, string | number> {
  return {
    node: process.version, cpus: os.availableParallelism(), cpuModel: os.cpus()[0]?.model ?? 'unknown',
    memory: `${(os.totalmem() / 1024 ** 3).toFixed(1)} GiB`, pinning: pinning(),
  }
}

/** Writes bench/results/<name>.json with the machine and the time of the run. */
export function writeResults(name: string, data: unknown): string {
  const dir = path.join(ROOT, 'bench', 'results')
  fs.mkdirSync(dir, { recursive: true })
  const file = path.join(dir, `${name}.json`)
  fs.writeFileSync(file, JSON.stringify({ name, date: new Date().toISOString(), machine: machine(), ...(data as object) }, null, 2) + '\n')
  console.log(`\n  → ${path.relative(ROOT, file)}`)
  return file
}

/** Options every benchmark understands: --full (the whole matrix), --reps N, --only KIND[,KIND]. */
export function readOptions(argv = process.argv.slice(2)) {
  const value = (flag: string) => { const i = argv.indexOf(flag); return i >= 0 ? argv[i + 1] : undefined }
  return {
    full: argv.includes('--full'),
    reps: value('--reps') ? Number(value('--reps')) : undefined,
    only: value('--only')?.split(',') ?? null,
    profile: argv.includes('--profile'),
  }
}
