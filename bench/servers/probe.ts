/**
 * Preloaded into benchmarked servers (`--import ./bench/servers/probe.ts`, with `--expose-gc`):
 * answers `{ type: 'memory' }` on the IPC channel with memory after a full collection, so a
 * benchmark can read the heap a server holds without touching the server's code.
 */
if (process.send) {
  process.on('message', (message: { type?: string; id?: number }) => {
    if (message?.type !== 'memory') return
    const gc = (globalThis as { gc?: () => void }).gc
    if (gc) { gc(); gc() }
    process.send!({ type: 'memory', id: message.id, gc: Boolean(gc), ...process.memoryUsage() })
  })
  process.channel?.unref()
}
/**
 * An experiment, never a default: BENCH_SQLITE_SYNCHRONOUS=NORMAL makes every better-sqlite3
 * connection in the server use that setting instead of what the server asks for, to measure what
 * fsync on every commit costs (bench/README.md).
 */
const synchronous = process.env.BENCH_SQLITE_SYNCHRONOUS
if (synchronous) {
  const { createRequire } = await import('node:module')
  const Database = createRequire(import.meta.url)('better-sqlite3') as { prototype: { pragma(source: string, options?: unknown): unknown } }
  const pragma = Database.prototype.pragma
  Database.prototype.pragma = function (source: string, options?: unknown) {
    return pragma.call(this, /^\s*synchronous\s*=/i.test(source) ? `synchronous = ${synchronous}` : source, options)
  }
}
export {}
