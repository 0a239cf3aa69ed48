#!/usr/bin/env node
// Runs every *.test.ts file in its own Node process (uvu per file), two at a time, and ends
// with one line "N passed, N failed": uvu prints a summary per file but no total.
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'

const ROOTS = ['protocol', 'db', 'server', 'ai-worker', 'widget', 'agent-app', 'e2e', 'bench']
const args = process.argv.slice(2)
const filter = args.filter((a) => !a.startsWith('-'))
const concurrency = Number(process.env.TEST_CONCURRENCY ?? 2)

function findTests(dir) {
  if (!fs.existsSync(dir)) return []
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name)
    if (entry.isDirectory()) return entry.name === 'node_modules' || entry.name === 'dist' ? [] : findTests(full)
    return entry.name.endsWith('.test.ts') ? [full] : []
  })
}

const files = ROOTS.flatMap(findTests).filter((f) => filter.length === 0 || filter.some((x) => f.includes(x))).sort()
const strip = (s) => s.replace(/\x1b\[[0-9;]*m/g, '')
let passed = 0
let failed = 0
const failures = []

function runFile(file) {
  return new Promise((resolve) => {
    const started = Date.now()
    const child = spawn(process.execPath, ['--import', 'tsx', file], { env: { ...process.env, FORCE_COLOR: '0' }, stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    // A file whose tests have all reported but whose process stays alive (a timer or socket left
    // open: a leak, said as such) is stopped after a grace period and counted by its own results,
    // rather than holding the run for the full time limit.
    let lingered = false
    let linger = null
    const watch = () => {
      if (linger || !/Duration:\s/.test(strip(out))) return
      linger = setTimeout(() => { lingered = true; child.kill('SIGKILL') }, 20_000)
    }
    child.stdout.on('data', (d) => { out += d; watch() })
    child.stderr.on('data', (d) => (out += d))
    const limit = setTimeout(() => { out += `\n[run-tests] ${file} timed out\n`; child.kill('SIGKILL') }, 600_000)
    child.on('close', (code) => {
      clearTimeout(limit)
      if (linger) clearTimeout(linger)
      if (lingered) process.stdout.write(`[run-tests] warning: ${file} did not exit 20 s after its tests finished (an open handle); stopped\n`)
      const text = strip(out)
      const total = Number(/Total:\s+(\d+)/.exec(text)?.[1] ?? NaN)
      const ok = Number(/Passed:\s+(\d+)/.exec(text)?.[1] ?? NaN)
      const skipped = Number(/Skipped:\s+(\d+)/.exec(text)?.[1] ?? 0)
      let filePassed = 0
      let fileFailed = 0
      if (Number.isNaN(total)) fileFailed = 1
      else { filePassed = ok; fileFailed = total - ok - skipped }
      if (code !== 0 && fileFailed === 0 && !lingered) fileFailed = 1
      passed += filePassed
      failed += fileFailed
      const seconds = ((Date.now() - started) / 1000).toFixed(1)
      process.stdout.write(`${fileFailed ? 'FAIL' : 'ok  '} ${file} (${filePassed} passed, ${fileFailed} failed, ${seconds}s)\n`)
      if (fileFailed || args.includes('--verbose')) { failures.push(file); process.stdout.write(text.split('\n').map((l) => '    ' + l).join('\n') + '\n') }
      resolve()
    })
  })
}

const queue = [...files]
await Promise.all(Array.from({ length: Math.min(concurrency, queue.length) }, async () => {
  while (queue.length) await runFile(queue.shift())
}))
if (files.length === 0) failed += 1
console.log(`${passed} passed, ${failed} failed`)
process.exit(failed > 0 ? 1 : 0)
