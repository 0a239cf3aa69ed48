/**
 * Replies with files that wait for a connection (issue 17): queued on this device (io/file-outbox.ts)
 * and sent once the socket is up: the files are uploaded through the widget's path, then the
 * message is appended under the id it was given when queued (so a retry never sends it twice).
 */
import { createSignal } from 'solid-js'
// Named modules without schemas, not the protocol barrel: this is first-load code. The checked append
// (conversation.ts, with valibot) is loaded when a reply is sent, from the service worker's cache offline.
import { readMeta } from '../../protocol/conversation-shape.ts'
import type { Attachment, Message } from '../../protocol/conversation.ts'
import { formatConversationName } from '../../protocol/document-name.ts'
import { createId } from '../../protocol/ids.ts'
import { io } from '../io/index.ts'
import type { FileOutbox, QueuedReply } from '../io/file-outbox.ts'
import type { SyncHub } from '../io/sync.ts'
import type { Me } from './conversation.ts'

export type FileOutboxStore = ReturnType<typeof createFileOutboxStore>

export function createFileOutboxStore(hub: SyncHub, me: Me, outbox: FileOutbox) {
  const [queued, setQueued] = createSignal<QueuedReply[]>([])
  /** The server's reason the last send of a reply with files was refused (shown translated by the bubble); empty when none. */
  const [failure, setFailure] = createSignal('')
  let flushing: Promise<void> | null = null
  let retry: ReturnType<typeof setTimeout> | undefined

  const sendOne = async (reply: QueuedReply) => {
    const attachments: Attachment[] = [...reply.uploaded]
    for (const file of reply.files) attachments.push(await io.attachments.upload(reply.conversationId, new File([file.blob], file.name, { type: file.type })))
    const { appendMessage } = await import('../../protocol/conversation.ts')
    const handle = hub.open(formatConversationName(reply.conversationId))
    try {
      await handle.loaded
      const message: Message = { id: reply.id, author: { role: 'agent', id: me.id, name: me.name }, kind: 'message', text: reply.text, attachments, createdAt: reply.createdAt }
      handle.doc.transact(() => { appendMessage(handle.doc, message) })
      // As a reply typed online does: answering an unassigned conversation takes it (the server decides who).
      const meta = readMeta(handle.doc)
      if (!meta.assignee && meta.status !== 'resolved') await io.routing.take(reply.conversationId).catch(() => {})
      hub.notePending(handle.name, message.id)
    } finally { handle.release() }
    setQueued((list) => list.filter((r) => r.id !== reply.id))
    await outbox.remove(reply.id)
  }

  const flush = (): Promise<void> => {
    clearTimeout(retry)
    if (hub.state !== 'connected') return Promise.resolve()
    flushing ??= (async () => {
      try {
        for (const reply of await outbox.list()) await sendOne(reply)
        setFailure('')
      } catch (error) {
        // Offline again: the rest waits for the next connection. Refused (too big, no access): say so; it stays queued.
        const e = error as Error & { offline?: boolean }
        if (!e.offline) setFailure(e.message || String(e))
        // The socket can be up a moment before HTTP gets through (or the other way round): try again soon.
        else retry = setTimeout(() => void flush(), 3000)
      } finally { flushing = null }
    })()
    return flushing
  }

  void outbox.list().then((list) => { setQueued(list); void flush() })
  hub.on('socket', (state) => { if (state === 'connected') void flush() })
  window.addEventListener('online', () => void flush())

  return {
    /** Replies waiting on this device for their files to go up, oldest first. */
    queued: () => [...queued()].sort((a, b) => a.createdAt - b.createdAt),
    failure,
    async queue(conversationId: string, text: string, uploaded: Attachment[], files: File[]): Promise<void> {
      const reply: QueuedReply = { id: createId('m'), conversationId, text, uploaded, files: files.map((f) => ({ name: f.name || 'file', type: f.type, blob: f })), createdAt: Date.now() }
      await outbox.put(reply)
      setQueued((list) => [...list, reply])
      void flush()
    },
    async discard(id: string): Promise<void> {
      setQueued((list) => list.filter((r) => r.id !== id))
      await outbox.remove(id)
    },
  }
}
