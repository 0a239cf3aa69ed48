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
export {}
