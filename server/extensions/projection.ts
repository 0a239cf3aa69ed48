/**
 * Keeps SQL rows and the inbox document current as conversation documents change. Work is
 * batched per document (a short debounce) and only newly added messages are written.
 */
import type { Extension, afterLoadDocumentPayload, afterUnloadDocumentPayload, onChangePayload } from '@hocuspocus/server'
import * as Y from 'yjs'
import { getMessages, getNotes, parseDocumentName, type Message } from '../../protocol/index.ts'
import { insertMessages } from '../../db/message.repository.ts'
import type { Db } from '../../db/database.ts'
import { getConversation } from '../../db/conversation.repository.ts'
import type { InboxWriter } from '../inbox-writer.ts'
import type { Logger } from '../log.ts'
import type { Metrics } from '../metrics.ts'
import { projectConversation, toMessageRow } from '../projection.ts'

/** Notes sort after the messages of their conversation in SQL listings; the documents keep the true order. */
const NOTE_SEQ_BASE = 1_000_000

interface Tracked { id: string; doc: Y.Doc; added: Message[]; full: boolean; timer: NodeJS.Timeout | null; running: Promise<void> | null; unobserve: () => void }

export class ProjectionExtension implements Extension {
  priority = 500
  extensionName = 'parley-projection'
  private tracked = new Map<string, Tracked>()
  private noteObservers = new Map<string, () => void>()

  constructor(private readonly db: Db, private readonly inbox: InboxWriter, private readonly metrics: Metrics, private readonly log: Logger, private readonly delayMs = 25) {}

  async afterLoadDocument({ documentName, document }: afterLoadDocumentPayload): Promise<void> {
    if (documentName.startsWith('internal:')) return this.trackNotes(documentName, document)
    if (!documentName.startsWith('conversation:')) return
    const id = parseDocumentName(documentName).id
    const messages = getMessages(document)
    const observer = (event: Y.YArrayEvent<Message>) => {
      const entry = this.tracked.get(documentName)
      if (!entry) return
      for (const item of event.changes.added) for (const message of item.content.getContent() as Message[]) entry.added.push(message)
    }
    messages.observe(observer)
    const row = await getConversation(this.db, id)
    const tracked: Tracked = { id, doc: document, added: [], full: row?.message_count !== messages.length, timer: null, running: null, unobserve: () => messages.unobserve(observer) }
    this.tracked.set(documentName, tracked)
    if (tracked.full) this.schedule(tracked)
  }

  async onChange({ documentName }: onChangePayload): Promise<void> {
    const tracked = this.tracked.get(documentName)
    if (tracked) this.schedule(tracked)
  }

  /** Notes are searchable like messages: each is projected once, as a row of kind 'note'. */
  private async trackNotes(documentName: string, document: Y.Doc): Promise<void> {
    const id = parseDocumentName(documentName).id
    const row = await getConversation(this.db, id)
    if (!row) return
    const notes = getNotes(document)
    const write = (list: Message[]) => insertMessages(this.db, list.map((note) => toMessageRow(id, row.workspace_id, note, NOTE_SEQ_BASE + notes.toArray().indexOf(note))))
      .catch((error) => this.log.error('projecting notes failed', { conversation: id, error }))
    const observer = (event: Y.YArrayEvent<Message>) => {
      const added: Message[] = []
      for (const item of event.changes.added) added.push(...(item.content.getContent() as Message[]))
      void write(added)
    }
    notes.observe(observer)
    void write(notes.toArray())
    this.noteObservers.set(documentName, () => notes.unobserve(observer))
  }

  async afterUnloadDocument({ documentName }: afterUnloadDocumentPayload): Promise<void> {
    this.noteObservers.get(documentName)?.()
    this.noteObservers.delete(documentName)
    const tracked = this.tracked.get(documentName)
    if (!tracked) return
    tracked.unobserve()
    if (tracked.timer) { clearTimeout(tracked.timer); tracked.timer = null; await this.run(tracked) }
    if (tracked.running) await tracked.running
    this.tracked.delete(documentName)
  }

  /** Projects everything pending now; tests and the rebuild command use it. */
  async flush(): Promise<void> {
    await Promise.all([...this.tracked.values()].map(async (tracked) => {
      if (tracked.timer) { clearTimeout(tracked.timer); tracked.timer = null; await this.run(tracked) }
      if (tracked.running) await tracked.running
    }))
  }

  private schedule(tracked: Tracked): void {
    if (tracked.timer) return
    tracked.timer = setTimeout(() => { tracked.timer = null; void this.run(tracked) }, this.delayMs)
  }

  private async run(tracked: Tracked): Promise<void> {
    if (tracked.running) { await tracked.running; return this.run(tracked) }
    const added = tracked.added.splice(0)
    const full = tracked.full
    tracked.full = false
    tracked.running = (async () => {
      try {
        const entry = await projectConversation(this.db, tracked.id, tracked.doc, full ? undefined : added)
        for (let i = 0; i < added.length; i++) this.metrics.recordMessage()
        if (entry) await this.inbox.set(tracked.doc.getMap('meta').get('workspaceId') as string, entry)
      } catch (error) {
        // Keep what was not written and try again on the next change.
        tracked.added.unshift(...added)
        tracked.full ||= full
        this.log.error('projection failed; will retry', { conversation: tracked.id, error })
      } finally {
        tracked.running = null
      }
    })()
    await tracked.running
  }
}
