/**
 * Writes inbox entries into `inbox:<workspace>` through a direct connection kept open while the
 * server runs. Only the server writes inbox documents; agents sync them read-only.
 */
import type { DirectConnection, Hocuspocus } from '@hocuspocus/server'
import { formatInboxName, getInboxEntries, getInboxRouting, sortQueue, type InboxEntry } from '../protocol/index.ts'

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

  /** Sets (or with null removes) entries of another map of the inbox document (routing's `routing` and `availability`). */
  async setIn<T>(workspaceId: string, root: string, values: Map<string, T | null>): Promise<void> {
    if (this.closed || values.size === 0) return
    const connection = await this.open(workspaceId)
    await connection.transact((doc) => {
      const map = doc.getMap<T>(root)
      for (const [key, value] of values) {
        if (value === null) { if (map.has(key)) map.delete(key); continue }
        const current = map.get(key)
        if (current === undefined || JSON.stringify(current) !== JSON.stringify(value)) map.set(key, value)
      }
    })
  }

  /** Reads a map of the inbox document. */
  async readIn<T>(workspaceId: string, root: string): Promise<Map<string, T>> {
    if (this.closed) return new Map()
    const connection = await this.open(workspaceId)
    let out = new Map<string, T>()
    await connection.transact((doc) => { out = new Map(doc.getMap<T>(root).entries()) })
    return out
  }

  /**
   * The waiting queue: conversation id → 1-based place. Reads only the waiting entries, in place
   * (copying every entry out on each visitor-status pass was the server's largest
   * source of garbage under load: bench/tools/alloc-summary.mjs).
   */
  async queuePositions(workspaceId: string): Promise<Map<string, number>> {
    if (this.closed) return new Map()
    const connection = await this.open(workspaceId)
    // Each team's queue is its own line: a conversation's place counts only those ahead of it in
    // the same team's queue (issue 12; a conversation routed to no team is in the workspace's).
    const queues = new Map<string | null, InboxEntry[]>()
    await connection.transact((doc) => {
      const routing = getInboxRouting(doc)
      getInboxEntries(doc).forEach((entry) => {
        if (entry.status !== 'waiting' || entry.assignee) return
        const team = routing.get(entry.id)?.teamId ?? null
        let list = queues.get(team)
        if (!list) queues.set(team, (list = []))
        list.push(entry)
      })
    })
    const out = new Map<string, number>()
    for (const list of queues.values()) sortQueue(list).forEach((entry, i) => out.set(entry.id, i + 1))
    return out
  }

  async close(): Promise<void> {
    this.closed = true
    const all = [...this.connections.values()]
    this.connections.clear()
    for (const connection of all) await (await connection).disconnect()
  }
}
