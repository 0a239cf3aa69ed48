#!/usr/bin/env node
// Builds into dist/: the agent app (dist/app), the widget (dist/widget), the demo page
// (dist/demo) and the server (dist/server: one ES module bundle of server/, db/, protocol/ and
// ai-worker/, dependencies left to node_modules; main.mjs is the server, worker.mjs a bot worker). Skips work when dist/ is newer than every source file.
//
// The server runs compiled, not through the TypeScript loader: the loader costs ~55 MiB of
// memory and compiles at every start (bench/README.md).
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'

const parts = [
  { name: 'app', entry: 'agent-app/index.html', mode: 'app' },
  { name: 'widget', entry: 'widget/main.ts', mode: 'widget', then: ['widget-markdown'] },
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
// `--server`: only the server and worker bundle (what `npm run worker` needs; no vite build).
const serverOnly = process.argv.includes('--server')
const shared = Math.max(newest('protocol'), fs.statSync('vite.config.ts').mtimeMs, fs.statSync('package-lock.json').mtimeMs)
for (const part of serverOnly ? [] : parts) {
  if (!fs.existsSync(part.entry)) continue
  const out = path.join('dist', part.name)
  const sourceDir = path.dirname(part.entry)
  if (!force && fs.existsSync(out) && newest(out) > Math.max(newest(sourceDir), shared)) continue
  console.log(`building ${part.name}…`)
  for (const mode of [part.mode, ...(part.then ?? [])]) execFileSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--mode', mode, '--logLevel', 'warn'], { stdio: 'inherit' })
}

const serverSources = ['server', 'db', 'protocol', 'ai-worker']
const serverOut = path.join('dist', 'server', 'main.mjs')
const serverNewest = Math.max(...serverSources.map(newest), fs.statSync('package-lock.json').mtimeMs, fs.statSync('scripts/build.mjs').mtimeMs)
const serverOutputs = [serverOut, path.join('dist', 'server', 'worker.mjs')]
if (force || serverOutputs.some((out) => !fs.existsSync(out) || fs.statSync(out).mtimeMs < serverNewest)) {
  console.log('building server…')
  const esbuild = await import('esbuild')
  fs.rmSync(path.join('dist', 'server'), { recursive: true, force: true })
  await esbuild.build({
    entryPoints: {
      main: 'server/main.ts',
      // `npm run worker`: a bot worker process, compiled like the server.
      worker: 'ai-worker/main.ts',
      // Worker threads load their own file: it must sit next to the bundle, as it does next to db/database.ts.
      'checkpoint-worker': 'db/checkpoint-worker.mjs',
    },
    bundle: true,
    splitting: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    outdir: path.join('dist', 'server'),
    outExtension: { '.js': '.mjs' },
    sourcemap: true,
    logLevel: 'warning',
  })
}
