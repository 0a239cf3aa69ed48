/**
 * Writes inbox entries into `inbox:<workspace>` through a direct connection kept open while the
 * server runs. Only the server writes inbox documents; agents sync them read-only.
 *
 * The inbox holds the working set only (issue 19): open, waiting and snoozed conversations, and
 * those resolved within `resolvedWindowMs`. An older resolved conversation leaves it (on its next
 * write, or at housekeeping's `prune`), so every agent device stops downloading and keeping it;
 * it is found through search, the Resolved view's "older" page and the contact's history, over HTTP.
 */
import type { DirectConnection, Hocuspocus } from '@hocuspocus/server'
import { formatInboxName, getInboxEntries, sortQueue, type InboxEntry } from '../protocol/index.ts'

/** Resolved conversations stay in the inbox this long after their last activity (INBOX_RESOLVED_DAYS). */
export const DEFAULT_RESOLVED_WINDOW_MS = 7 * 24 * 3600_000

export class InboxWriter {
  private connections = new Map<string, Promise<DirectConnection>>()
  private closed = false

  constructor(private readonly getHocuspocus: () => Hocuspocus, private readonly resolvedWindowMs = DEFAULT_RESOLVED_WINDOW_MS) {}

  /** Whether an entry belongs in the working set at `now`. */
  inWorkingSet(entry: Pick<InboxEntry, 'status' | 'lastActivityAt'>, now = Date.now()): boolean {
    return entry.status !== 'resolved' || entry.lastActivityAt >= now - this.resolvedWindowMs
  }

  private open(workspaceId: string): Promise<DirectConnection> {
    let connection = this.connections.get(workspaceId)
    if (!connection) {
      connection = this.getHocuspocus().openDirectConnection(formatInboxName(workspaceId), { internal: 'inbox' })
      connection.catch(() => this.connections.delete(workspaceId))
      this.connections.set(workspaceId, connection)
    }
    return connection
  }

  /** Writes several entries as one change of the inbox document. */
  async setMany(workspaceId: string, list: InboxEntry[]): Promise<void> {
    // Closing unloads conversations (projecting them here) first; a write after that would
    // reopen the inbox document during shutdown and keep it, and the process, alive.
    if (this.closed) return
    const connection = await this.open(workspaceId)
    const now = Date.now()
    await connection.transact((doc) => {
      const entries = getInboxEntries(doc)
      for (const entry of list) {
        const current = entries.get(entry.id)
        if (!this.inWorkingSet(entry, now)) { if (current) entries.delete(entry.id); continue }
        if (!current || JSON.stringify(current) !== JSON.stringify(entry)) entries.set(entry.id, entry)
      }
    })
  }

  /** Removes the entries that have left the working set (resolved longer ago than the window); returns how many. */
  async prune(workspaceId: string, now = Date.now()): Promise<number> {
    if (this.closed) return 0
    const connection = await this.open(workspaceId)
    let removed = 0
    await connection.transact((doc) => {
      const entries = getInboxEntries(doc)
      const gone: string[] = []
      entries.forEach((entry, id) => { if (!this.inWorkingSet(entry, now)) gone.push(id) })
      for (const id of gone) entries.delete(id)
      removed = gone.length
    })
    return removed
  }

  /**
   * The waiting queue: conversation id → 1-based place. Reads only the waiting entries, in place
   * (copying every entry out on each visitor-status pass was the server's largest
   * source of garbage under load: bench/tools/alloc-summary.mjs).
   */
  async queuePositions(workspaceId: string): Promise<Map<string, number>> {
    if (this.closed) return new Map()
    const connection = await this.open(workspaceId)
    const waiting: InboxEntry[] = []
    await connection.transact((doc) => { getInboxEntries(doc).forEach((entry) => { if (entry.status === 'waiting') waiting.push(entry) }) })
    return new Map(sortQueue(waiting).map((entry, i) => [entry.id, i + 1]))
  }

  async close(): Promise<void> {
    this.closed = true
    const all = [...this.connections.values()]
    this.connections.clear()
    for (const connection of all) await (await connection).disconnect()
  }
}
