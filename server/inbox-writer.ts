/**
 * Writes inbox entries into the workspace's inbox document through a direct connection kept open
 * while the server runs. Only the server writes inbox documents; agents sync them read-only.
 *
 * The inbox holds the working set only (issue 19): open, waiting and snoozed conversations, and
 * those resolved within `resolvedWindowMs`. An older resolved conversation leaves it (on its next
 * write, or at housekeeping's `prune`), so every agent device stops downloading and keeping it;
 * it is found through search, the Resolved view's "older" page and the contact's history, over HTTP.
 *
 * A Y.Map keeps a small tombstone for every key it ever deleted (about 34 bytes each: 100,000
 * conversations that left the inbox are 3.4 MB and 1.4 s to load), so pruning alone does not keep
 * the document small. `rotate` starts a fresh generation (`inbox:<ws>.<n>`) holding only the live
 * entries and writes `movedTo` into the old one, which readers (agent app, bot) follow. The
 * generation is raised by a conditional write in the database, so of several instances exactly
 * one rotates; the others notice `movedTo` on their next write and move too, writing again what
 * they wrote lately (it may have reached the old document after the copy).
 */
import type { DirectConnection, Hocuspocus } from '@hocuspocus/server'
import type * as Y from 'yjs'
import { INBOX_AVAILABILITY_ROOT, INBOX_ROUTING_ROOT, formatInboxName, getInboxEntries, getInboxMeta, getInboxRouting, readInboxMovedTo, sortQueue, type InboxEntry } from '../protocol/index.ts'

/** Resolved conversations stay in the inbox this long after their last activity (INBOX_RESOLVED_DAYS). */
export const DEFAULT_RESOLVED_WINDOW_MS = 7 * 24 * 3600_000
/** Entries written within this long are written again after a move to a new generation. */
const REPLAY_MS = 5 * 60_000

export interface InboxGenerations {
  /** The workspace's current generation, from the database. */
  current(workspaceId: string): Promise<number>
  /** Raises it from `from` if nobody has yet: true for the one caller that did. */
  advance(workspaceId: string, from: number): Promise<boolean>
}

/** One process, one database: generations kept in memory (tests, and callers without a database). */
export function memoryGenerations(): InboxGenerations {
  const all = new Map<string, number>()
  return {
    current: async (id) => all.get(id) ?? 0,
    advance: async (id, from) => { if ((all.get(id) ?? 0) !== from) return false; all.set(id, from + 1); return true },
  }
}

export interface InboxWriterOptions { resolvedWindowMs?: number; generations?: InboxGenerations }

export class InboxWriter {
  private connections = new Map<string, Promise<DirectConnection>>()
  private generation = new Map<string, Promise<number>>()
  private recent = new Map<string, Map<string, { entry: InboxEntry; at: number }>>()
  private closed = false
  private readonly resolvedWindowMs: number
  private readonly generations: InboxGenerations

  constructor(private readonly getHocuspocus: () => Hocuspocus, options: InboxWriterOptions = {}) {
    this.resolvedWindowMs = options.resolvedWindowMs ?? DEFAULT_RESOLVED_WINDOW_MS
    this.generations = options.generations ?? memoryGenerations()
  }

  /** Whether an entry belongs in the working set at `now`. */
  inWorkingSet(entry: Pick<InboxEntry, 'status' | 'lastActivityAt'>, now = Date.now()): boolean {
    return entry.status !== 'resolved' || entry.lastActivityAt >= now - this.resolvedWindowMs
  }

  /** The name of the workspace's inbox document now. */
  async documentName(workspaceId: string): Promise<string> {
    return formatInboxName(workspaceId, await this.currentGeneration(workspaceId))
  }

  private currentGeneration(workspaceId: string): Promise<number> {
    let generation = this.generation.get(workspaceId)
    if (!generation) {
      generation = this.generations.current(workspaceId)
      generation.catch(() => this.generation.delete(workspaceId))
      this.generation.set(workspaceId, generation)
    }
    return generation
  }

  private async open(workspaceId: string): Promise<DirectConnection> {
    const name = await this.documentName(workspaceId)
    let connection = this.connections.get(name)
    if (!connection) {
      connection = this.getHocuspocus().openDirectConnection(name, { internal: 'inbox' })
      connection.catch(() => this.connections.delete(name))
      this.connections.set(name, connection)
    }
    return connection
  }

  /** Runs `change` on the current inbox document, following a rotation another instance made. */
  private async transact(workspaceId: string, change: (doc: Y.Doc) => void): Promise<void> {
    for (let hop = 0; ; hop++) {
      const name = await this.documentName(workspaceId)
      const opened = this.open(workspaceId)
      const connection = await opened
      let moved = false
      try {
        await connection.transact((doc) => { moved = readInboxMovedTo(doc) !== null; if (!moved) change(doc) })
      } catch (error) {
        // Closed under us by a rotation on this instance: go again on the new generation.
        if (hop < 3 && this.connections.get(name) === undefined) continue
        throw error
      }
      if (!moved || hop >= 3) return
      await this.moveOn(workspaceId, name)
    }
  }

  /** This instance's inbox of `workspaceId` was rotated elsewhere: take up the new generation, and write again what was written lately. */
  private async moveOn(workspaceId: string, from: string): Promise<void> {
    this.generation.delete(workspaceId)
    const old = this.connections.get(from)
    this.connections.delete(from)
    if (old) await old.then((c) => c.disconnect()).catch(() => {})
    const replay = [...(this.recent.get(workspaceId)?.values() ?? [])].map((r) => r.entry)
    if (replay.length === 0) return
    const connection = await this.open(workspaceId)
    await connection.transact((doc) => this.write(getInboxEntries(doc), replay, Date.now()))
  }

  private write(entries: Y.Map<InboxEntry>, list: InboxEntry[], now: number): void {
    for (const entry of list) {
      const current = entries.get(entry.id)
      if (!this.inWorkingSet(entry, now)) { if (current) entries.delete(entry.id); continue }
      if (!current || JSON.stringify(current) !== JSON.stringify(entry)) entries.set(entry.id, entry)
    }
  }

  private remember(workspaceId: string, list: InboxEntry[], now: number): void {
    let recent = this.recent.get(workspaceId)
    if (!recent) this.recent.set(workspaceId, (recent = new Map()))
    for (const entry of list) recent.set(entry.id, { entry, at: now })
    if (recent.size > 1000) for (const [id, r] of recent) if (r.at < now - REPLAY_MS) recent.delete(id)
  }

  /** Writes several entries as one change of the inbox document. */
  async setMany(workspaceId: string, list: InboxEntry[]): Promise<void> {
    // Closing unloads conversations (projecting them here) first; a write after that would
    // reopen the inbox document during shutdown and keep it, and the process, alive.
    if (this.closed) return
    const now = Date.now()
    this.remember(workspaceId, list, now)
    await this.transact(workspaceId, (doc) => this.write(getInboxEntries(doc), list, now))
  }

  /** Removes the entries that have left the working set (resolved longer ago than the window); returns how many. */
  async prune(workspaceId: string, now = Date.now()): Promise<number> {
    if (this.closed) return 0
    let removed = 0
    await this.transact(workspaceId, (doc) => {
      const entries = getInboxEntries(doc)
      const gone: string[] = []
      entries.forEach((entry, id) => { if (!this.inWorkingSet(entry, now)) gone.push(id) })
      const recent = this.recent.get(workspaceId)
      const routing = getInboxRouting(doc)
      for (const id of gone) { entries.delete(id); recent?.delete(id); if (routing.has(id)) routing.delete(id) }
      removed = gone.length
    })
    return removed
  }

  /** Sets (or with null removes) entries of another map of the inbox document (routing's `routing` and `availability`). */
  async setIn<T>(workspaceId: string, root: string, values: Map<string, T | null>): Promise<void> {
    if (this.closed || values.size === 0) return
    await this.transact(workspaceId, (doc) => {
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
    let out = new Map<string, T>()
    await this.transact(workspaceId, (doc) => { out = new Map(doc.getMap<T>(root).entries()) })
    return out
  }

  /** Live entries and tombstones (keys deleted from the map, which Yjs keeps) in the current document. */
  async size(workspaceId: string): Promise<{ live: number; tombstones: number }> {
    const connection = await this.open(workspaceId)
    let size = { live: 0, tombstones: 0 }
    await connection.transact((doc) => {
      // Y.Map's `_map` holds the last item of every key it ever had, deleted or not (Yjs internals).
      const items = (getInboxEntries(doc) as unknown as { _map: Map<string, { deleted: boolean }> })._map
      let tombstones = 0
      for (const item of items.values()) if (item.deleted) tombstones++
      size = { live: items.size - tombstones, tombstones }
    })
    return size
  }

  /**
   * Starts the next generation of the workspace's inbox with its live entries only, and points the
   * old one at it. False when another instance rotated first (this one then follows it).
   */
  async rotate(workspaceId: string): Promise<boolean> {
    if (this.closed) return false
    this.generation.delete(workspaceId)
    const from = await this.currentGeneration(workspaceId)
    const oldName = formatInboxName(workspaceId, from)
    const old = await this.open(workspaceId)
    if (!(await this.generations.advance(workspaceId, from))) { await this.moveOn(workspaceId, oldName); return false }
    const now = Date.now()
    let live: InboxEntry[] = []
    let routing: [string, unknown][] = []
    let availability: [string, unknown][] = []
    // The copy and the pointer in one transaction: a write of this instance after it sees
    // `movedTo` and goes to the new generation, so none lands in the old one after the copy.
    await old.transact((doc) => {
      live = [...getInboxEntries(doc).values()].filter((e) => this.inWorkingSet(e, now))
      const ids = new Set(live.map((e) => e.id))
      routing = [...doc.getMap(INBOX_ROUTING_ROOT).entries()].filter(([id]) => ids.has(id))
      availability = [...doc.getMap(INBOX_AVAILABILITY_ROOT).entries()]
      getInboxMeta(doc).set('movedTo', formatInboxName(workspaceId, from + 1))
    })
    this.generation.set(workspaceId, Promise.resolve(from + 1))
    if (this.connections.get(oldName)) { this.connections.delete(oldName); await old.disconnect().catch(() => {}) }
    const fresh = await this.open(workspaceId)
    // What a write made in the new generation meanwhile is newer than the copy: it stays.
    await fresh.transact((doc) => {
      const entries = getInboxEntries(doc)
      for (const e of live) if (!entries.has(e.id)) entries.set(e.id, e)
      for (const [root, values] of [[INBOX_ROUTING_ROOT, routing], [INBOX_AVAILABILITY_ROOT, availability]] as const) {
        const map = doc.getMap(root)
        for (const [key, value] of values) if (!map.has(key)) map.set(key, value)
      }
    })
    return true
  }

  /**
   * The waiting queue: conversation id → 1-based place. Reads only the waiting entries, in place
   * (copying every entry out on each visitor-status pass was the server's largest
   * source of garbage under load: bench/tools/alloc-summary.mjs).
   */
  async queuePositions(workspaceId: string): Promise<Map<string, number>> {
    if (this.closed) return new Map()
    // Each team's queue is its own line: a conversation's place counts only those ahead of it in
    // the same team's queue (issue 12; a conversation routed to no team is in the workspace's).
    const queues = new Map<string | null, InboxEntry[]>()
    await this.transact(workspaceId, (doc) => {
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
