/**
 * Writes inbox entries into `inbox:<workspace>` through a direct connection kept open while the
 * server runs. Only the server writes inbox documents; agents sync them read-only.
 */
import type { DirectConnection, Hocuspocus } from '@hocuspocus/server'
import { formatInboxName, getInboxEntries, sortQueue, type InboxEntry } from '../protocol/index.ts'

export class InboxWriter {
  private connections = new Map<string, Promise<DirectConnection>>()
  private closed = false

  constructor(private readonly getHocuspocus: () => Hocuspocus) {}

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
    await connection.transact((doc) => {
      const entries = getInboxEntries(doc)
      for (const entry of list) {
        const current = entries.get(entry.id)
        if (!current || JSON.stringify(current) !== JSON.stringify(entry)) entries.set(entry.id, entry)
      }
    })
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
