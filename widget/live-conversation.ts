/**
 * One conversation as the widget holds it: the synced Y.Doc (read-only), the socket, what other
 * peers say over it (typing, seen, queue status, presence), and the message items to show.
 */
import * as Y from 'yjs'
import { formatConversationName } from '../protocol/document-name.ts'
import { getMessages, getMeta, getStreams, type ConversationMeta, type Message } from '../protocol/conversation.ts'
import { PRESENCE_FIELD, type Presence } from '../protocol/presence.ts'
import type { ConversationStatusReply, StatelessReply } from '../protocol/wire.ts'
import type { MessageItem } from './message-list.ts'
import { SyncClient, readAwarenessUpdate } from './sync-client.ts'

export interface LiveEvents {
  changed(): void
  /** A message that arrived after the first sync (not history). */
  message(message: Message): void
  connection(open: boolean): void
  refused(reason: string): void
}

export class LiveConversation {
  readonly doc = new Y.Doc()
  private sync: SyncClient
  synced = false
  status: ConversationStatusReply | null = null
  private known = new Set<string>()
  /** False until the first sync has been read: history does not fire 'message' events. */
  private knownReady = false
  private typing = new Map<string, { name: string; until: number }>()
  private presence = new Map<number, Presence>()
  private seenByAgents = 0
  private seenSent = 0

  constructor(readonly id: string, wsUrl: string, token: string, private readonly events: LiveEvents) {
    this.doc.on('update', () => this.onUpdate())
    this.sync = new SyncClient(wsUrl, formatConversationName(id), token, this.doc, {
      synced: () => { this.synced = true; this.onUpdate() },
      stateless: (payload) => this.onStateless(payload),
      awareness: (update) => this.onAwareness(update),
      connection: (open) => events.connection(open),
      refused: (reason) => events.refused(reason),
    })
  }

  get isOpen(): boolean { return this.sync.isOpen }
  meta(): Partial<ConversationMeta> { return getMeta(this.doc).toJSON() as Partial<ConversationMeta> }
  messages(): Message[] { return getMessages(this.doc).toArray() }
  has(id: string): boolean { return this.known.has(id) || this.messages().some((m) => m.id === id) }

  /** Items for the message list: messages (no internal notes), then bot replies still streaming. */
  items(assistant = 'Assistant'): MessageItem[] {
    const messages = this.messages()
    let lastAgent = -1
    messages.forEach((m, i) => { if (m.author.role === 'agent' && m.kind === 'message') lastAgent = i })
    const agentHere = [...this.presence.values()].some((p) => p.role === 'agent')
    const seen = Math.max(this.seenByAgents, lastAgent + 1, agentHere ? messages.length : 0)
    const items: MessageItem[] = []
    messages.forEach((m, i) => {
      if (m.kind === 'note') return
      items.push({
        id: m.id, role: m.author.role, name: m.author.name, text: m.text, attachments: m.attachments, createdAt: m.createdAt,
        ...(m.kind === 'event' ? { event: true } : {}),
        ...(m.author.role === 'customer' ? { state: i < seen ? 'seen' as const : 'sent' as const } : {}),
      })
    })
    for (const [key, text] of getStreams(this.doc)) {
      items.push({ id: `stream-${key}`, role: 'bot', name: assistant, text: text.toString(), attachments: [], createdAt: Date.now(), streaming: true })
    }
    return items
  }

  /** Names of the people (and the bot) typing now. */
  typers(): string[] {
    const now = Date.now()
    const names = new Set<string>()
    for (const [key, entry] of this.typing) if (entry.until > now) names.add(entry.name); else this.typing.delete(key)
    for (const p of this.presence.values()) if (p.typing && p.role !== 'customer') names.add(p.name)
    return [...names]
  }

  sendTyping(typing: boolean): void {
    this.sync.sendStateless(JSON.stringify({ type: 'typing', typing }))
  }

  /** Tells agents how many messages the visitor has looked at. */
  sendSeen(): void {
    const count = getMessages(this.doc).length
    if (!this.synced || count <= this.seenSent) return
    if (this.sync.sendStateless(JSON.stringify({ type: 'seen', count }))) this.seenSent = count
  }

  destroy(): void {
    this.sync.destroy()
    this.doc.destroy()
  }

  private onUpdate(): void {
    if (this.synced) {
      for (const m of this.messages()) {
        if (this.known.has(m.id)) continue
        this.known.add(m.id)
        if (this.knownReady && m.kind !== 'note') this.events.message(m)
      }
      this.knownReady = true
    }
    this.events.changed()
  }

  private onStateless(payload: string): void {
    let message: StatelessReply
    try { message = JSON.parse(payload) as StatelessReply } catch { return }
    if (message.type === 'status') this.status = message
    else if (message.type === 'typing' && message.role !== 'customer') {
      const key = `${message.role}:${message.name}`
      // A typing indicator whose "stopped" never arrives (a closed tab) expires on its own.
      if (message.typing) this.typing.set(key, { name: message.name, until: Date.now() + 8000 }); else this.typing.delete(key)
      if (message.typing) setTimeout(() => this.events.changed(), 8100)
    } else if (message.type === 'seen' && message.role === 'agent') this.seenByAgents = Math.max(this.seenByAgents, message.count)
    this.events.changed()
  }

  private onAwareness(update: Uint8Array): void {
    for (const [client, state] of readAwarenessUpdate(update)) {
      const presence = state?.[PRESENCE_FIELD] as Presence | undefined
      if (presence && typeof presence.name === 'string') this.presence.set(client, presence); else this.presence.delete(client)
    }
    this.events.changed()
  }
}
