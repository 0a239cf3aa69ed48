/**
 * One conversation: its document (`conversation:<id>`: meta, messages, bot streams; the customer
 * reads it) and its internal document (`internal:<id>`: notes, drafts and the team's presence,
 * never opened by the customer), as signals; the agent's actions as writes through the protocol
 * accessors. Every action is applied locally first (and kept in IndexedDB), so it works offline.
 */
import { createSignal, onCleanup } from 'solid-js'
import * as Y from 'yjs'
// Named modules, not the protocol barrel: this is first-load code, and the barrel brings schemas it never uses.
import { appendMessage, getMessages, getMeta, getStreams, readMeta, updateMeta, type Attachment, type ConversationMeta, type Message, type Priority } from '../../protocol/conversation.ts'
import { formatConversationName, formatInternalName } from '../../protocol/document-name.ts'
import { createId } from '../../protocol/ids.ts'
import { appendNote, getDraftSharing, getNotes, getTriage, isDraftShared, readClassification, setDraftShared } from '../../protocol/internal.ts'
import { reopenPatch, resolvePatch, snoozePatch } from '../../protocol/conversation-actions.ts'
import { AI_DRAFT_KEY, PRESENCE_FIELD, type Presence } from '../../protocol/presence.ts'
import { LEGACY_REPLY_DRAFT_KEY, clearDraft, ensureDraft, getInternalDrafts } from '../../protocol/reply-draft.ts'
import type { SyncHub } from '../io/sync.ts'
import { io } from '../io/index.ts'

export interface Me { id: string; name: string }
export interface Peer extends Presence { clientId: number }
/** A teammate's reply draft as others see it: read-only, unless its author opened it for editing together. */
export interface OtherDraft { authorId: string; text: string; shared: boolean }

export type ConversationStore = ReturnType<typeof createConversationStore>

export function createConversationStore(hub: SyncHub, id: string, me: Me) {
  const name = formatConversationName(id)
  const internalName = formatInternalName(id)
  const handle = hub.open(name)
  const internal = hub.open(internalName)
  const { doc, provider } = handle
  const meta = getMeta(doc)
  const messagesArray = getMessages(doc)
  const notesArray = getNotes(internal.doc)
  const streamsMap = getStreams(doc)
  const draftsMap = getInternalDrafts(internal.doc)

  const [metaValue, setMetaValue] = createSignal(readMeta(doc))
  const triageMap = getTriage(internal.doc)
  /** The AI's classification: in the internal document, so the customer never receives it. */
  const [classification, setClassification] = createSignal(readClassification(internal.doc))
  const onTriage = () => setClassification(readClassification(internal.doc))
  const [messages, setMessages] = createSignal<Message[]>(messagesArray.toArray())
  /** Messages in the conversation document (what the inbox counts; notes are not among them). */
  const [messageCount, setMessageCount] = createSignal(messagesArray.length)
  const [streams, setStreams] = createSignal<{ key: string; text: string }[]>([])
  const [aiDraft, setAiDraft] = createSignal('')
  const [peers, setPeers] = createSignal<Peer[]>([])
  const unsentNow = () => [...hub.unsentMessages(name), ...hub.unsentMessages(internalName)]
  const [unsent, setUnsent] = createSignal<readonly string[]>(unsentNow())
  const [loaded, setLoaded] = createSignal(false)
  const [internalLoaded, setInternalLoaded] = createSignal(false)
  const [synced, setSynced] = createSignal(handle.synced())
  const [internalSynced, setInternalSynced] = createSignal(internal.synced())
  const [customerTyping, setCustomerTyping] = createSignal(false)

  const onMeta = () => setMetaValue(readMeta(doc))
  // The transcript: the customer-visible messages with the team's notes merged in by time.
  const onMessages = () => { setMessages(mergeByTime(messagesArray.toArray(), notesArray.toArray())); setMessageCount(messagesArray.length) }
  const onStreams = () => setStreams([...streamsMap.entries()].filter(([, t]) => t instanceof Y.Text).map(([key, t]) => ({ key, text: t.toString() })))
  const sharingMap = getDraftSharing(internal.doc)
  const draftText = (key: string) => { const t = draftsMap.get(key); return t instanceof Y.Text ? t : null }
  const aiText = () => draftText(AI_DRAFT_KEY)
  /** Whose draft this reply box edits: mine (null), or a teammate's they opened for editing together. */
  const [coEditing, setCoEditing] = createSignal<string | null>(null)
  const boundText = () => draftText(coEditing() ?? me.id)
  const [replyDraft, setReplyDraft] = createSignal<Y.Text | null>(boundText(), { equals: false })
  const [otherDrafts, setOtherDrafts] = createSignal<OtherDraft[]>([])
  const [sharingMine, setSharingMine] = createSignal(false)
  const readOthers = (): OtherDraft[] => {
    const list: OtherDraft[] = []
    for (const [key, text] of draftsMap.entries()) {
      if (key === me.id || key === AI_DRAFT_KEY || key === LEGACY_REPLY_DRAFT_KEY || !(text instanceof Y.Text)) continue
      const value = text.toString()
      if (value.trim() || coEditing() === key) list.push({ authorId: key, text: value, shared: isDraftShared(internal.doc, key) })
    }
    return list
  }
  const onDrafts = () => {
    setAiDraft(aiText()?.toString() ?? '')
    setSharingMine(isDraftShared(internal.doc, me.id))
    // The author closed co-editing (or sent): back to my own draft.
    const editing = coEditing()
    if (editing && !isDraftShared(internal.doc, editing)) setCoEditing(null)
    if (boundText() !== replyDraft()) setReplyDraft(boundText())
    setOtherDrafts(readOthers())
  }
  const onDraftText = (events: Y.YEvent<Y.AbstractType<unknown>>[]) => { if (events.some((e) => e.path[0] !== me.id || e.target === draftsMap)) onDrafts() }
  meta.observe(onMeta)
  triageMap.observe(onTriage)
  messagesArray.observe(onMessages)
  notesArray.observe(onMessages)
  streamsMap.observeDeep(onStreams)
  draftsMap.observeDeep(onDraftText)
  sharingMap.observe(onDrafts)

  // Agents show themselves on the internal document (the customer does not see who is looking);
  // the bot's "typing" is on the conversation document, where the customer sees it too.
  const awareness = internal.provider.awareness!
  const publicAwareness = provider.awareness!
  const onAwareness = () => {
    const list: Peer[] = []
    for (const a of [awareness, publicAwareness]) {
      for (const [clientId, state] of a.getStates()) {
        const presence = (state as Record<string, Presence | undefined>)[PRESENCE_FIELD]
        if (clientId !== a.clientID && presence?.id && presence.id !== me.id) list.push({ ...presence, clientId })
      }
    }
    setPeers(list)
  }
  awareness.on('change', onAwareness)
  publicAwareness.on('change', onAwareness)
  const setPresence = (typing: boolean) => awareness.setLocalStateField(PRESENCE_FIELD, { role: 'agent', id: me.id, name: me.name, typing } satisfies Presence)
  setPresence(false)

  /** How many of the conversation's messages the customer has seen (the widget says so over the socket, live only). */
  const [customerSeen, setCustomerSeen] = createSignal(0)
  const onStateless = ({ payload }: { payload: string }) => {
    try {
      const message = JSON.parse(payload) as { type?: string; role?: string; typing?: boolean; count?: number }
      if (message.type === 'seen' && message.role === 'customer' && typeof message.count === 'number') setCustomerSeen((n) => Math.max(n, message.count!))
      if (message.type === 'typing' && message.role === 'customer') setCustomerTyping(Boolean(message.typing))
    } catch { /* not ours */ }
  }
  provider.on('stateless', onStateless)

  const offs = [
    hub.on('pending', () => setUnsent(unsentNow())),
    hub.on('synced', (n) => { if (n === name) setSynced(true); if (n === internalName) setInternalSynced(true) }),
  ]
  void handle.loaded.then(() => { onMeta(); onMessages(); onStreams(); setLoaded(true) })
  void internal.loaded.then(() => { onMessages(); onDrafts(); setInternalLoaded(true) })
  onCleanup(() => {
    meta.unobserve(onMeta)
    triageMap.unobserve(onTriage)
    messagesArray.unobserve(onMessages)
    notesArray.unobserve(onMessages)
    streamsMap.unobserveDeep(onStreams)
    draftsMap.unobserveDeep(onDraftText)
    sharingMap.unobserve(onDrafts)
    awareness.off('change', onAwareness)
    publicAwareness.off('change', onAwareness)
    awareness.setLocalStateField(PRESENCE_FIELD, null)
    provider.off('stateless', onStateless)
    for (const off of offs) off()
    handle.release()
    internal.release()
  })

  /** One local action: applied in one transaction, counted until the server acknowledges it. */
  const act = (change: () => void, messageId?: string, target: 'conversation' | 'internal' = 'conversation') => {
    (target === 'internal' ? internal.doc : doc).transact(change)
    hub.notePending(target === 'internal' ? internalName : name, messageId)
  }
  const patch = (values: Partial<ConversationMeta>) => updateMeta(doc, { ...values, updatedAt: Date.now() })
  const current = () => readMeta(doc)
  /** Set when my Take lost to someone else's: the button says who has it, at once, before the document catches up. */
  const [takenBy, setTakenBy] = createSignal<string | null>(null)
  /**
   * Answering an unassigned conversation takes it, through the server like the Take button (it
   * decides; a teammate who took it first keeps it). Offline, it is asked once the socket is back.
   */
  const takeOnReply = () => {
    const unassigned = () => { const m = current(); return !m.assignee && m.status !== 'resolved' && !takenBy() }
    if (!unassigned()) return
    const attempt = () => io.routing.take(id).then((reply) => { setTakenBy(reply.taken ? null : reply.assignee?.name ?? null) })
    attempt().catch(() => {
      // Offline: once this device's changes of the conversation are on the server (a resolve
      // made offline must arrive before the server opens the conversation for me), if it is
      // still nobody's.
      const off = hub.on('pending', () => {
        if (hub.state !== 'connected' || hub.unsentMessages(name).length > 0 || !synced()) return
        off()
        if (unassigned()) void attempt().catch(() => {})
      })
    })
  }
  const write = (kind: 'message' | 'note', text: string, attachments: Attachment[] = []) => {
    const message: Message = { id: createId('m'), author: { role: 'agent', id: me.id, name: me.name }, kind, text, attachments, createdAt: Date.now() }
    if (kind === 'note') act(() => appendNote(internal.doc, message), message.id, 'internal')
    else { act(() => { appendMessage(doc, message) }, message.id); takeOnReply() }
    return message
  }

  // The bot is "here" only while it has the conversation: once a human takes over (status leaves
  // 'bot') it no longer replies, so "Assistant is viewing" would be false (issue 17).
  const visiblePeers = () => peers().filter((p) => p.role !== 'bot' || metaValue().status === 'bot')

  return {
    id, name, loaded, synced, peers: visiblePeers, customerTyping, customerSeen, unsent, messageCount,
    meta: metaValue,
    classification,
    messages,
    streams,
    /** The AI's suggested reply (text), live as it is written; '' when there is none. */
    aiDraft,
    /** Puts the AI's suggestion into my own reply draft, where I edit it (the suggestion itself stays the bot's). */
    useAiDraft: () => {
      setCoEditing(null)
      onDrafts()
      const reply = ensureDraft(internal.doc, me.id)
      internal.doc.transact(() => { reply.delete(0, reply.length); reply.insert(0, aiText()?.toString() ?? '') })
    },
    dismissAiDraft: () => { const t = aiText(); if (t) clearDraft(t) },
    /**
     * True once my reply draft can be bound without racing another copy of it (my other device):
     * the local copy is loaded and, when online, the server's state is in too.
     */
    draftReady: () => internalLoaded() && (internalSynced() || hub.state !== 'connected'),
    /**
     * The draft the reply box edits: mine, or the one I am editing together with its author. My
     * two devices opening a conversation at once may each create mine; the map keeps one, and this
     * signal then switches to it (the reply box rebinds).
     */
    replyDraft,
    ensureReplyDraft: () => ensureDraft(internal.doc, me.id),
    /** Teammates' drafts with text (or the one I co-edit): "<name> is writing a reply…". */
    otherDrafts,
    /** Whose draft I am co-editing, or null for my own. */
    coEditing,
    /** Joins a teammate's draft they opened for editing together; null returns to my own. */
    editTogether: (authorId: string | null) => {
      if (authorId && !isDraftShared(internal.doc, authorId)) return
      setCoEditing(authorId)
      onDrafts()
    },
    /** True while I let teammates type into my draft. */
    sharingMine,
    shareMine: (shared: boolean) => { setDraftShared(internal.doc, me.id, shared); hub.notePending(internalName) },
    /** After sending: my draft empties and co-editing closes, so nobody types into a sent reply. */
    clearMyDraft: () => { const t = draftText(me.id); if (t) clearDraft(t); setDraftShared(internal.doc, me.id, false) },
    setTyping: (typing: boolean, toCustomer: boolean) => {
      setPresence(typing)
      if (toCustomer) provider.sendStateless(JSON.stringify({ type: 'typing', typing }))
    },
    reply: (text: string, attachments: Attachment[] = []) => write('message', text, attachments),
    note: (text: string) => write('note', text),
    takenBy,
    /**
     * Take and transfer go to the server, which decides with one conditional write (of two agents
     * taking at once, one wins and the other's button turns into "Taken by <name>"); they need a
     * connection, unlike the document writes below.
     */
    take: async () => {
      const reply = await io.routing.take(id)
      setTakenBy(reply.taken ? null : reply.assignee?.name ?? 'a teammate')
    },
    assign: async (agentId: string | null, note?: string) => { await io.routing.transfer(id, { agentId, ...(note ? { note } : {}) }); setTakenBy(null) },
    transferToTeam: async (teamId: string, note?: string) => { await io.routing.transfer(id, { teamId, ...(note ? { note } : {}) }); setTakenBy(null) },
    setPriority: (priority: Priority) => act(() => patch({ priority })),
    addLabel: (label: string) => act(() => patch({ labels: [...new Set([...(current().labels ?? []), label])] })),
    removeLabel: (label: string) => act(() => patch({ labels: (current().labels ?? []).filter((l) => l !== label) })),
    snooze: (until: number) => act(() => patch(snoozePatch(until, Date.now()))),
    resolve: () => act(() => patch(resolvePatch(Date.now()))),
    reopen: () => act(() => patch(reopenPatch(current(), Date.now()))),
  }
}

/** Messages in their order, with notes placed by time (both lists are already in time order). */
function mergeByTime(messages: Message[], notes: Message[]): Message[] {
  if (notes.length === 0) return messages
  const out: Message[] = []
  let j = 0
  for (const message of messages) {
    while (j < notes.length && notes[j]!.createdAt <= message.createdAt) out.push(notes[j++]!)
    out.push(message)
  }
  while (j < notes.length) out.push(notes[j++]!)
  return out
}
