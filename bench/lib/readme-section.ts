/**
 * The tables in bench/README.md that a benchmark writes itself (issue 19: never edited by hand).
 * A section lives between `<!-- bench:NAME -->` and `<!-- /bench:NAME -->`; a run of the
 * benchmark's default matrix replaces it with its own table, dated, with the machine and the
 * command, so the README always shows what the command last measured here. A narrowed run
 * (`--only`, `--sizes`, `--rates`, …) leaves the README alone.
 */
import fs from 'node:fs'
import path from 'node:path'
import { ROOT } from './proc.ts'
import { machine } from './report.ts'

const README = path.join(ROOT, 'bench', 'README.md')
const NARROWING = ['--only', '--sizes', '--rates', '--reps', '--window', '--warmup', '--size', '--questions']

/** True when the run was the default (or --full) matrix, whose table may stand in the README. */
export const isWholeRun = (argv = process.argv.slice(2)): boolean => !argv.some((a) => NARROWING.includes(a))

/** A Markdown table from rows of cells (the first row's keys are the columns). */
export function markdownTable(rows: Record<string, string | number>[]): string {
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))]
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`
  return [line(columns), line(columns.map(() => '---')), ...rows.map((r) => line(columns.map((c) => String(r[c] ?? ''))))].join('\n')
}

/** Replaces (or appends) the section `name` of bench/README.md. Answers whether it was written. */
export function writeReadmeSection(name: string, title: string, command: string, body: string, argv = process.argv.slice(2), file = README): boolean {
  if (!isWholeRun(argv)) {
    console.log(`  (bench/README.md not updated: a narrowed run; run \`${command}\` to regenerate its table)`)
    return false
  }
  const m = machine()
  const stamp = `${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, \`${command}\`, ${m.cpus} × ${m.cpuModel}, ${m.memory}, Node ${m.node}, ${m.pinning}`
  const section = `<!-- bench:${name} -->\n### ${title}\n\n_Written by the benchmark itself (${stamp}); do not edit by hand._\n\n${body.trim()}\n<!-- /bench:${name} -->`
  const text = fs.readFileSync(file, 'utf8')
  const start = text.indexOf(`<!-- bench:${name} -->`)
  const endMarker = `<!-- /bench:${name} -->`
  const end = text.indexOf(endMarker)
  const next = start >= 0 && end > start ? text.slice(0, start) + section + text.slice(end + endMarker.length) : `${text.trimEnd()}\n\n${section}\n`
  fs.writeFileSync(file, next)
  console.log(`  → bench/README.md (section ${name})`)
  return true
}
