/**
 * The widget's weight as a visitor's browser downloads it: widget.js built for production, raw,
 * gzip (-9) and brotli, against the 45 KB gzip budget; plus the share of the Yjs sync core alone
 * (yjs + y-protocols/sync + lib0, everything the widget needs to be a Yjs peer) for comparison.
 * Run alone: `node --import tsx bench/widget-size.ts`; writes bench/results/widget-size.json.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import zlib from 'node:zlib'
import { build } from 'vite'
// The build's own lib0 fix (vite.config.ts), so this measures what scripts/build.mjs ships.
import { pureLib0DomSchemas } from '../vite.config.ts'

const BUDGET_GZIP = 45 * 1024

async function bundle(entry: string): Promise<Buffer> {
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-widget-size-'))
  try {
    await build({
      configFile: false, logLevel: 'silent', plugins: [pureLib0DomSchemas()],
      build: { outDir, emptyOutDir: true, write: true, minify: true, target: 'es2020', lib: { entry, formats: ['iife'], name: 'Measured', fileName: () => 'out.js' } },
    })
    return fs.readFileSync(path.join(outDir, 'out.js'))
  } finally {
    fs.rmSync(outDir, { recursive: true, force: true })
  }
}

const sizes = (code: Buffer) => ({
  raw: code.length,
  gzip: zlib.gzipSync(code, { level: 9 }).length,
  brotli: zlib.brotliCompressSync(code, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
})

const widget = sizes(await bundle(path.resolve('widget/main.ts')))
const coreEntry = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'parley-core-')), 'core.ts')
fs.writeFileSync(coreEntry, [
  `import * as Y from '${path.resolve('node_modules/yjs')}'`,
  `import { readSyncMessage, writeSyncStep1 } from '${path.resolve('node_modules/y-protocols/sync.js')}'`,
  `import * as encoding from '${path.resolve('node_modules/lib0/encoding.js')}'`,
  `import * as decoding from '${path.resolve('node_modules/lib0/decoding.js')}'`,
  'const doc = new Y.Doc(); const e = encoding.createEncoder(); writeSyncStep1(e, doc)',
  'readSyncMessage(decoding.createDecoder(encoding.toUint8Array(e)), e, doc, null)',
  'export { doc, Y }',
].join('\n'))
const core = sizes(await bundle(coreEntry))
// What the stock provider would have cost instead of the hand-written framing (the reason for it).
const providerEntry = path.join(path.dirname(coreEntry), 'provider.ts')
fs.writeFileSync(providerEntry, `import { HocuspocusProvider } from '${path.resolve('node_modules/@hocuspocus/provider/dist/hocuspocus-provider.esm.js')}'\nexport const p = (url: string) => new HocuspocusProvider({ url, name: 'x' })\n`)
const provider = sizes(await bundle(providerEntry))
fs.rmSync(path.dirname(coreEntry), { recursive: true, force: true })

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`
console.log('\nwidget.js size (minified, es2020 IIFE)\n')
console.log('| part | raw | gzip -9 | brotli |')
console.log('|---|---:|---:|---:|')
console.log(`| widget.js (everything) | ${kb(widget.raw)} | ${kb(widget.gzip)} | ${kb(widget.brotli)} |`)
console.log(`| of which the Yjs sync core (yjs, y-protocols/sync, lib0) | ${kb(core.raw)} | ${kb(core.gzip)} | ${kb(core.brotli)} |`)
console.log(`| of which the widget's own code (difference) | ${kb(widget.raw - core.raw)} | ${kb(widget.gzip - core.gzip)} | ${kb(widget.brotli - core.brotli)} |`)
console.log(`| for comparison: @hocuspocus/provider (with yjs), not used | ${kb(provider.raw)} | ${kb(provider.gzip)} | ${kb(provider.brotli)} |`)
console.log(`\nbudget: ${kb(BUDGET_GZIP)} gzip → ${widget.gzip <= BUDGET_GZIP ? 'within' : 'OVER'} (${kb(BUDGET_GZIP - widget.gzip)} to spare)\n`)

fs.mkdirSync('bench/results', { recursive: true })
fs.writeFileSync('bench/results/widget-size.json', JSON.stringify({
  measuredAt: new Date().toISOString(), budgetGzipBytes: BUDGET_GZIP, withinBudget: widget.gzip <= BUDGET_GZIP, widget, syncCore: core, hocuspocusProviderForComparison: provider,
}, null, 2) + '\n')
if (widget.gzip > BUDGET_GZIP) process.exitCode = 1
