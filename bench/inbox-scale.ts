/**
 * inbox-scale: the inbox document of a desk with a long history (issue 19). 100,000 conversations
 * pass through the inbox (opened, resolved, aged out of INBOX_RESOLVED_DAYS by housekeeping, which
 * rotates the document when the tombstones pile up), then 2,000 are in the working set. Measured:
 * the document's size, a new device's first sync (socket open to synced), a device loading its
 * local copy (applying the stored update), and the server's heap and RSS; beside the same figures
 * for the inbox as it was before the working set (every conversation ever, in one document),
 * measured in the same run.
 *
 *   npm run bench -- inbox-scale                  100,000 in history, 2,000 working set, 3 reps
 *   npm run bench -- inbox-scale --size 20000     a smaller history
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import * as Y from 'yjs'
import { formatInboxName, getInboxEntries, type InboxEntry } from '../protocol/index.ts'
import { bootstrapFirstRun } from '../server/bootstrap.ts'
import { startServer } from '../server/app.ts'
import { loadConfig } from '../server/config.ts'
import { runHousekeeping } from '../server/housekeeping/housekeeping.ts'
import { createLogger } from '../server/log.ts'
import { api, connectPeer } from '../server/test-kit.ts'
import { fmtBytes, fmtMs, median, printTable, readOptions, writeResults } from './lib/report.ts'

const options = readOptions()
const sizeFlag = process.argv.indexOf('--size')
const HISTORY = sizeFlag > 0 ? Number(process.argv[sizeFlag + 1]) : 100_000
const WORKING_SET = 2000
const REPS = options.reps ?? 3
const DAY = 24 * 3600_000
const BATCH = 500

const entry = (id: string, status: InboxEntry['status'], at: number): InboxEntry => ({
  id, status, priority: 'normal', assignee: null, contactName: `Visitor #${1000 + (id.length * 7919) % 9000}`, subject: 'Question about my last invoice',
  preview: 'Hi, I was charged twice for my subscription this month, can you refund one of them?', lastActivityAt: at, waitingSince: status === 'waiting' ? at : null,
  lastMessageAuthor: 'customer', messageCount: 6, labels: ['billing'], category: 'billing',
})

async function measure(label: string, seed: (write: (list: InboxEntry[]) => Promise<void>, housekeeping: (now: number) => Promise<void>) => Promise<void>) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-inbox-scale-'))
  const log = createLogger('silent')
  const server = await startServer(loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'silent', PARLEY_IN_PROCESS_BOT: '0' }), { log })
  try {
    const { workspaceId } = (await bootstrapFirstRun(server.services.db, { email: 'owner@example.com', password: 'correct horse battery' }))!
    const token = (await api(server.url, 'POST', '/api/auth/sign-in', { email: 'owner@example.com', password: 'correct horse battery' })).body.token as string
    global.gc?.()
    const heapBefore = process.memoryUsage().heapUsed
    const started = performance.now()
    await seed((list) => server.services.inbox.setMany(workspaceId, list), async (now) => { await runHousekeeping(server.services, now) })
    const seedMs = performance.now() - started
    const name = await server.services.inbox.documentName(workspaceId)
    const size = await server.services.inbox.size(workspaceId)
    const syncs: number[] = []
    const loads: number[] = []
    let bytes = 0
    for (let rep = 0; rep < REPS; rep++) {
      const t0 = performance.now()
      const peer = connectPeer(server.url.replace('http', 'ws') + '/sync', name, token)
      await peer.ready
      syncs.push(performance.now() - t0)
      const update = Y.encodeStateAsUpdate(peer.doc)
      bytes = update.length
      peer.destroy()
      const t1 = performance.now()
      const local = new Y.Doc()
      Y.applyUpdate(local, update)
      loads.push(performance.now() - t1)
      if (getInboxEntries(local).size !== size.live) throw new Error(`${label}: the device has ${getInboxEntries(local).size} entries, the server ${size.live}`)
    }
    global.gc?.()
    const heapAfter = process.memoryUsage().heapUsed
    return {
      label, name, live: size.live, tombstones: size.tombstones, bytes, seedMs,
      firstSyncMs: median(syncs), localLoadMs: median(loads), syncs, loads,
      serverHeapGrowth: heapAfter - heapBefore, rss: process.memoryUsage().rss,
    }
  } finally {
    await server.close()
    fs.rmSync(dataDir, { recursive: true, force: true })
  }
}

const now = Date.now()
// Today's inbox: the history passes through, housekeeping runs every simulated day of 1,000.
const bounded = await measure('working set (pruned, rotated)', async (write, housekeeping) => {
  let day = 0
  for (let i = 0; i < HISTORY; i += BATCH) {
    const list = Array.from({ length: Math.min(BATCH, HISTORY - i) }, (_, k) => entry(`c_hist_${(i + k).toString(36)}`, 'resolved', now))
    await write(list)
    if ((i + BATCH) % 1000 === 0) { day += 1; await housekeeping(now + 8 * DAY) }
  }
  await housekeeping(now + 8 * DAY)
  for (let i = 0; i < WORKING_SET; i += BATCH) await write(Array.from({ length: BATCH }, (_, k) => entry(`c_live_${(i + k).toString(36)}`, (i + k) % 3 === 0 ? 'waiting' : 'open', now)))
})
// The peer: the inbox as it was, every conversation ever kept in it.
const unbounded = await measure('every conversation (before)', async (write) => {
  for (let i = 0; i < HISTORY; i += BATCH) await write(Array.from({ length: Math.min(BATCH, HISTORY - i) }, (_, k) => entry(`c_hist_${(i + k).toString(36)}`, 'resolved', Date.now())))
  for (let i = 0; i < WORKING_SET; i += BATCH) await write(Array.from({ length: BATCH }, (_, k) => entry(`c_live_${(i + k).toString(36)}`, (i + k) % 3 === 0 ? 'waiting' : 'open', Date.now())))
})

printTable(`inbox document, ${HISTORY.toLocaleString('en')} conversations in history, ${WORKING_SET.toLocaleString('en')} in the working set (medians of ${REPS})`, [bounded, unbounded].map((r) => ({
  inbox: r.label, document: r.name.replace(/:.*?(\.\d+)?$/, (_, g) => `:<ws>${g ?? ''}`), entries: r.live, tombstones: r.tombstones, size: fmtBytes(r.bytes),
  'first sync ms': fmtMs(r.firstSyncMs), 'local load ms': fmtMs(r.localLoadMs), 'server heap +': fmtBytes(r.serverHeapGrowth),
})))
console.log(`  ratios (before / now): size ×${(unbounded.bytes / bounded.bytes).toFixed(1)}, first sync ×${(unbounded.firstSyncMs / bounded.firstSyncMs).toFixed(1)}, local load ×${(unbounded.localLoadMs / bounded.localLoadMs).toFixed(1)}`)
console.log(`  targets: document < 2 MB (${fmtBytes(bounded.bytes)}), first sync < 2 s (${fmtMs(bounded.firstSyncMs)} ms), local load < 1 s (${fmtMs(bounded.localLoadMs)} ms)`)
writeResults('inbox-scale', { history: HISTORY, workingSet: WORKING_SET, reps: REPS, bounded, unbounded })
