/**
 * The inbox: the server-written `inbox:<workspace>` document, overlaid with the live meta of
 * every conversation document open on this device, so the agent's own actions (online or
 * offline) and converged assignments show at once, before the server's summary catches up.
 */
import { createMemo, createSignal, onCleanup } from 'solid-js'
import {
  formatInboxName, getInboxAvailability, getInboxEntries, getInboxRouting, getMessages, getMeta, parseDocumentName, readInbox, readMeta, sortQueue, type AgentAvailability, type InboxEntry, type RoutingEntry,
} from '../../protocol/index.ts'
import type { DocHandle } from '../io/index.ts'
import type { SyncHub } from '../io/sync.ts'
import type { AgentStateStore } from './agent-state.ts'

export const VIEWS = ['mine', 'teams', 'unassigned', 'waiting', 'open', 'snoozed', 'resolved'] as const
/** A fixed view, or one team's waiting queue (`team:<id>`). */
export type View = (typeof VIEWS)[number] | `team:${string}`
/** A view's heading; a team queue is named by its team (`teamName`). */
export const viewLabel = (view: View, teamName: (id: string) => string | null): string =>
  view.startsWith('team:') ? `Waiting · ${teamName(view.slice(5)) ?? 'team'}` : VIEW_LABELS[view as (typeof VIEWS)[number]]
export const VIEW_LABELS: Record<(typeof VIEWS)[number], string> = { mine: 'Mine', teams: 'My teams', unassigned: 'Unassigned', waiting: 'Waiting', open: 'All', snoozed: 'Snoozed', resolved: 'Resolved' }

type Overlay = Pick<InboxEntry, 'status' | 'assignee' | 'priority' | 'labels' | 'messageCount'>

export type InboxStore = ReturnType<typeof createInboxStore>

export function createInboxStore(hub: SyncHub, workspaceId: string, agentId: string, agentState: AgentStateStore, myTeams: () => string[] = () => []) {
  const handle = hub.open(formatInboxName(workspaceId))
  const entriesMap = getInboxEntries(handle.doc)
  const [raw, setRaw] = createSignal<InboxEntry[]>(readInbox(handle.doc))
  const [loaded, setLoaded] = createSignal(false)
  const refresh = () => setRaw(readInbox(handle.doc))
  entriesMap.observe(refresh)
  // Routing's parts of the inbox document (server/routing/): each conversation's team, reason and
  // SLA due times, and every agent's availability.
  const routingMap = getInboxRouting(handle.doc)
  const availabilityMap = getInboxAvailability(handle.doc)
  const [routing, setRouting] = createSignal<ReadonlyMap<string, RoutingEntry>>(new Map(routingMap.entries()))
  const [availability, setAvailability] = createSignal<ReadonlyMap<string, AgentAvailability>>(new Map(availabilityMap.entries()))
  const refreshRouting = () => setRouting(new Map(routingMap.entries()))
  const refreshAvailability = () => setAvailability(new Map(availabilityMap.entries()))
  routingMap.observe(refreshRouting)
  availabilityMap.observe(refreshAvailability)
  void handle.loaded.then(() => { refresh(); refreshRouting(); refreshAvailability(); setLoaded(true) })

  const [overlays, setOverlays] = createSignal<ReadonlyMap<string, Overlay>>(new Map())
  const watchers = new Map<string, () => void>()
  const watch = (doc: DocHandle) => {
    let id: string
    try {
      const name = parseDocumentName(doc.name)
      if (name.kind !== 'conversation') return
      id = name.id
    } catch { return }
    const meta = getMeta(doc.doc)
    const messages = getMessages(doc.doc)
    const update = () => {
      const m = readMeta(doc.doc)
      if (!m.status) return
      const overlay: Overlay = { status: m.status, assignee: m.assignee ?? null, priority: m.priority ?? 'normal', labels: m.labels ?? [], messageCount: messages.length }
      setOverlays((all) => new Map(all).set(id, overlay))
    }
    meta.observe(update)
    messages.observe(update)
    update()
    watchers.set(doc.name, () => { meta.unobserve(update); messages.unobserve(update); setOverlays((all) => { const next = new Map(all); next.delete(id); return next }) })
  }
  for (const open of hub.openHandles()) watch(open)
  const offs = [
    hub.on('opened', watch),
    hub.on('closed', (name) => { watchers.get(name)?.(); watchers.delete(name) }),
  ]
  onCleanup(() => { entriesMap.unobserve(refresh); routingMap.unobserve(refreshRouting); availabilityMap.unobserve(refreshAvailability); for (const off of offs) off(); for (const stop of watchers.values()) stop(); handle.release() })

  const entries = createMemo(() => {
    const over = overlays()
    return raw().map((entry) => {
      const o = over.get(entry.id)
      return o ? { ...entry, ...o, messageCount: Math.max(o.messageCount, entry.messageCount) } : entry
    })
  })
  const byId = createMemo(() => new Map(entries().map((e) => [e.id, e])))
  const byRecent = (list: InboxEntry[]) => [...list].sort((a, b) => b.lastActivityAt - a.lastActivityAt)
  const active = (e: InboxEntry) => e.status !== 'resolved' && e.status !== 'snoozed'

  const teamOf = (id: string) => routing().get(id)?.teamId ?? null
  const views = createMemo((): Record<(typeof VIEWS)[number], InboxEntry[]> => {
    const all = entries()
    const mineTeams = new Set(myTeams())
    return {
      mine: byRecent(all.filter((e) => e.assignee === agentId && active(e))),
      teams: byRecent(all.filter((e) => active(e) && mineTeams.has(teamOf(e.id) ?? ''))),
      unassigned: byRecent(all.filter((e) => !e.assignee && active(e))),
      waiting: sortQueue(all),
      open: byRecent(all.filter(active)),
      snoozed: byRecent(all.filter((e) => e.status === 'snoozed')),
      resolved: byRecent(all.filter((e) => e.status === 'resolved')),
    }
  })
  const unread = (entry: InboxEntry) => Math.max(0, entry.messageCount - agentState.seen(entry.id))

  /** One team's waiting queue, in queue order. */
  const teamQueue = (teamId: string) => sortQueue(entries().filter((e) => !e.assignee && teamOf(e.id) === teamId))
  const list = (view: View): InboxEntry[] => (view.startsWith('team:') ? teamQueue(view.slice(5)) : views()[view as (typeof VIEWS)[number]] ?? [])

  return {
    loaded,
    entries,
    get: (id: string) => byId().get(id),
    list,
    unread,
    unreadIn: (view: View) => list(view).filter((e) => unread(e) > 0).length,
    routing,
    routingOf: (id: string) => routing().get(id) ?? null,
    availability,
  }
}
