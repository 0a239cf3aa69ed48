/**
 * One conversation: its document (`conversation:<id>`: meta, messages, bot streams; the customer
 * reads it) and its internal document (`internal:<id>`: notes, drafts and the team's presence,
 * never opened by the customer), as signals; the agent's actions as writes through the protocol
 * accessors. Every action is applied locally first (and kept in IndexedDB), so it works offline.
 */
import { createSignal, onCleanup } from 'solid-js'
import * as Y from 'yjs'
import {
  appendMessage, appendNote, createId, formatConversationName, formatInternalName, getMessages, getMeta, getNotes, getStreams, getTriage, readClassification, readMeta, updateMeta,
  type ConversationMeta, type Message, type Priority,
} from '../../protocol/index.ts'
import { AI_DRAFT_KEY, PRESENCE_FIELD, type Presence } from '../../protocol/presence.ts'
import { REPLY_DRAFT_KEY, clearDraft, ensureDraft, getInternalDrafts } from '../../protocol/reply-draft.ts'
import type { SyncHub } from '../io/sync.ts'

export interface Me { id: string; name: string }
export interface Peer extends Presence { clientId: number }

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
  const aiText = () => { const t = draftsMap.get(AI_DRAFT_KEY); return t instanceof Y.Text ? t : null }
  const replyText = () => { const t = draftsMap.get(REPLY_DRAFT_KEY); return t instanceof Y.Text ? t : null }
  const [replyDraft, setReplyDraft] = createSignal<Y.Text | null>(replyText(), { equals: false })
  const onDrafts = () => {
    setAiDraft(aiText()?.toString() ?? '')
    if (replyText() !== replyDraft()) setReplyDraft(replyText())
  }
  const onDraftText = (events: Y.YEvent<Y.AbstractType<unknown>>[]) => { if (events.some((e) => e.path[0] === AI_DRAFT_KEY || e.target === draftsMap)) onDrafts() }
  meta.observe(onMeta)
  triageMap.observe(onTriage)
  messagesArray.observe(onMessages)
  notesArray.observe(onMessages)
  streamsMap.observeDeep(onStreams)
  draftsMap.observeDeep(onDraftText)

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

  const onStateless = ({ payload }: { payload: string }) => {
    try {
      const message = JSON.parse(payload) as { type?: string; role?: string; typing?: boolean }
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
  const takeIfUnassigned = () => {
    const m = current()
    if (!m.assignee && m.status !== 'resolved') patch({ assignee: me.id, status: 'open', waitingSince: null })
  }
  const write = (kind: 'message' | 'note', text: string) => {
    const message: Message = { id: createId('m'), author: { role: 'agent', id: me.id, name: me.name }, kind, text, attachments: [], createdAt: Date.now() }
    if (kind === 'note') act(() => appendNote(internal.doc, message), message.id, 'internal')
    else act(() => { appendMessage(doc, message); takeIfUnassigned() }, message.id)
    return message
  }

  return {
    id, name, loaded, synced, peers, customerTyping, unsent, messageCount,
    meta: metaValue,
    classification,
    messages,
    streams,
    /** The AI's suggested reply (text), live as it is written; '' when there is none. */
    aiDraft,
    /** Puts the AI's suggestion into the shared reply draft, where the agent edits it. */
    useAiDraft: () => {
      const reply = ensureDraft(internal.doc, REPLY_DRAFT_KEY)
      internal.doc.transact(() => { reply.delete(0, reply.length); reply.insert(0, aiText()?.toString() ?? '') })
    },
    dismissAiDraft: () => { const t = aiText(); if (t) clearDraft(t) },
    /**
     * True once the shared reply draft can be bound without racing another copy of it: the local
     * copy is loaded and, when online, the server's state is in too.
     */
    draftReady: () => internalLoaded() && (internalSynced() || hub.state !== 'connected'),
    /**
     * The shared reply draft. Two agents opening a conversation at once may each create it; the
     * map keeps one, and this signal then switches to it (the reply box rebinds).
     */
    replyDraft,
    ensureReplyDraft: () => ensureDraft(internal.doc, REPLY_DRAFT_KEY),
    clearDraft: (text: Y.Text) => clearDraft(text),
    setTyping: (typing: boolean, toCustomer: boolean) => {
      setPresence(typing)
      if (toCustomer) provider.sendStateless(JSON.stringify({ type: 'typing', typing }))
    },
    reply: (text: string) => write('message', text),
    note: (text: string) => write('note', text),
    take: () => act(() => patch({ assignee: me.id, status: 'open', waitingSince: null })),
    assign: (agentId: string | null) => act(() => {
      const m = current()
      if (agentId && (m.status === 'waiting' || m.status === 'bot')) patch({ assignee: agentId, status: 'open', waitingSince: null })
      else if (!agentId && m.status === 'open') patch({ assignee: null, status: 'waiting', waitingSince: Date.now() })
      else patch({ assignee: agentId })
    }),
    setPriority: (priority: Priority) => act(() => patch({ priority })),
    addLabel: (label: string) => act(() => patch({ labels: [...new Set([...(current().labels ?? []), label])] })),
    removeLabel: (label: string) => act(() => patch({ labels: (current().labels ?? []).filter((l) => l !== label) })),
    snooze: (until: number) => act(() => patch({ status: 'snoozed', snoozedUntil: until })),
    resolve: () => act(() => patch({ status: 'resolved', snoozedUntil: null })),
    reopen: () => act(() => {
      const m = current()
      patch(m.assignee ? { status: 'open', snoozedUntil: null } : { status: 'waiting', waitingSince: Date.now(), snoozedUntil: null })
    }),
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
