/**
 * The inbox: the server-written `inbox:<workspace>` document, overlaid with the live meta of
 * every conversation document open on this device, so the agent's own actions (online or
 * offline) and converged assignments show at once, before the server's summary catches up.
 */
import { createMemo, createSignal, onCleanup } from 'solid-js'
// Named modules without schemas (the *-shape.ts files), not the protocol barrel or conversation.ts: this is
// first-load code, and valibot with every schema it never uses would come along (bench/agent-app.ts).
import { getMessages, getMeta, readMeta } from '../../protocol/conversation-shape.ts'
import { formatInboxName, parseDocumentName } from '../../protocol/document-name.ts'
import { getInboxEntries, getInboxMeta, readInbox, readInboxMovedTo, sortQueue, type InboxEntry } from '../../protocol/inbox.ts'
import type { StatelessReply } from '../../protocol/wire.ts'
import { getInboxAvailability, getInboxRouting, type AgentAvailability, type RoutingEntry } from '../../protocol/routing-shape.ts'
import type { DocHandle } from '../io/index.ts'
import type { SyncHub } from '../io/sync.ts'
import type { AgentStateStore } from './agent-state.ts'
import { t } from '../i18n/index.ts'

export const VIEWS = ['mine', 'teams', 'unassigned', 'waiting', 'open', 'snoozed', 'resolved'] as const
/** A fixed view, or one team's waiting queue (`team:<id>`). */
export type View = (typeof VIEWS)[number] | `team:${string}`
/** A view's name in the agent's language; a team queue is named by its team (`teamName`). */
export const viewLabel = (view: View, teamName: (id: string) => string | null = () => null): string =>
  view.startsWith('team:') ? t('view.teamQueue', { team: teamName(view.slice(5)) ?? t('view.team') }) : t(`view.${view as (typeof VIEWS)[number]}` as const)

type Overlay = Pick<InboxEntry, 'status' | 'assignee' | 'priority' | 'labels' | 'messageCount'>

export type InboxStore = ReturnType<typeof createInboxStore>

export function createInboxStore(hub: SyncHub, workspaceId: string, agentId: string, agentState: AgentStateStore, currentName?: Promise<string | undefined>, myTeams: () => string[] = () => []) {
  // The inbox document is rotated now and then (a fresh generation without the tombstones of what
  // left it; server/inbox-writer.ts): the device remembers which one it reads, follows `movedTo`
  // when the server writes it, and forgets the old copy.
  const nameKey = `${hub.storagePrefix}inbox-document:${workspaceId}`
  const [raw, setRaw] = createSignal<InboxEntry[]>([])
  const [loaded, setLoaded] = createSignal(false)
  const [serverLink, setServerLink] = createSignal<'ok' | 'degraded'>('ok')
  // Routing's parts of the inbox document (server/routing/): each conversation's team, reason and
  // SLA due times, and every agent's availability.
  const [routing, setRouting] = createSignal<ReadonlyMap<string, RoutingEntry>>(new Map())
  const [availability, setAvailability] = createSignal<ReadonlyMap<string, AgentAvailability>>(new Map())
  let handle!: DocHandle
  let stopWatching = () => {}
  const follow = (name: string) => {
    if (handle?.name === name) return
    const previous = handle
    stopWatching()
    handle = hub.open(name)
    localStorage.setItem(nameKey, name)
    const entriesMap = getInboxEntries(handle.doc)
    const meta = getInboxMeta(handle.doc)
    const current = handle
    const refresh = () => setRaw(readInbox(current.doc))
    const moved = () => { const next = readInboxMovedTo(current.doc); if (next && next !== current.name) follow(next) }
    // The server says so on the inbox when its link to the other server instances is down.
    const onStateless = ({ payload }: { payload: string }) => {
      try { const m = JSON.parse(payload) as StatelessReply; if (m.type === 'server-link') setServerLink(m.state) } catch {}
    }
    const routingMap = getInboxRouting(current.doc)
    const availabilityMap = getInboxAvailability(current.doc)
    const refreshRouting = () => setRouting(new Map(routingMap.entries()))
    const refreshAvailability = () => setAvailability(new Map(availabilityMap.entries()))
    entriesMap.observe(refresh)
    meta.observe(moved)
    routingMap.observe(refreshRouting)
    availabilityMap.observe(refreshAvailability)
    current.provider.on('stateless', onStateless)
    stopWatching = () => {
      entriesMap.unobserve(refresh); meta.unobserve(moved); routingMap.unobserve(refreshRouting); availabilityMap.unobserve(refreshAvailability)
      current.provider.off('stateless', onStateless)
    }
    void current.loaded.then(() => { if (handle !== current) return; refresh(); refreshRouting(); refreshAvailability(); setLoaded(true); moved() })
    if (previous) { previous.release(); void hub.forget(previous.name) }
  }
  follow(localStorage.getItem(nameKey) ?? formatInboxName(workspaceId))
  // Online, the server names the current one (a device offline across rotations goes straight there).
  void currentName?.then((name) => { if (name && parseDocumentName(name).kind === 'inbox') follow(name) }, () => {})

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
    // Reconnected, the server says again if its link is down; until then nothing is known of it.
    hub.on('socket', (state) => { if (state !== 'connected') setServerLink('ok') }),
    hub.on('opened', watch),
    hub.on('closed', (name) => { watchers.get(name)?.(); watchers.delete(name) }),
  ]
  onCleanup(() => { stopWatching(); for (const off of offs) off(); for (const stop of watchers.values()) stop(); handle.release() })

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
    /** 'degraded' while the server this device talks to cannot reach the other instances. */
    serverLink,
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
