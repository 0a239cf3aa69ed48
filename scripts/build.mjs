#!/usr/bin/env node
// Builds the browser parts into dist/: the agent app (dist/app), the widget (dist/widget) and
// the demo page (dist/demo). Each part is built only if its entry exists, so the server starts
// on a fresh clone either way. Skips work when dist/ is newer than every source file.
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'

const parts = [
  { name: 'app', entry: 'agent-app/index.html', mode: 'app' },
  { name: 'widget', entry: 'widget/main.ts', mode: 'widget' },
]

const newest = (dir) => {
  if (!fs.existsSync(dir)) return 0
  return fs.readdirSync(dir, { withFileTypes: true }).reduce((max, e) => {
    const full = path.join(dir, e.name)
    if (e.isDirectory()) return e.name === 'node_modules' ? max : Math.max(max, newest(full))
    return Math.max(max, fs.statSync(full).mtimeMs)
  }, 0)
}

const force = process.argv.includes('--force')
const shared = Math.max(newest('protocol'), fs.statSync('vite.config.ts').mtimeMs, fs.statSync('package-lock.json').mtimeMs)
for (const part of parts) {
  if (!fs.existsSync(part.entry)) continue
  const out = path.join('dist', part.name)
  const sourceDir = path.dirname(part.entry)
  if (!force && fs.existsSync(out) && newest(out) > Math.max(newest(sourceDir), shared)) continue
  console.log(`building ${part.name}…`)
  execFileSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--mode', part.mode, '--logLevel', 'warn'], { stdio: 'inherit' })
}
