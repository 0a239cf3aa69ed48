/**
 * Replies with files written offline (issue 17): a file cannot be uploaded without a connection
 * and a message may only name files the server holds, so the reply waits here, in IndexedDB with
 * its files as Blobs, and is sent (files uploaded, then the message appended) once online. It is
 * under the account's prefix, so signing out wipes it with the rest (local-data.ts).
 */
import type { Attachment } from '../../protocol/index.ts'

export interface QueuedFile { name: string; type: string; blob: Blob }
export interface QueuedReply {
  /** The message id the reply will have: appending is idempotent by it, so a retry never doubles it. */
  id: string
  conversationId: string
  text: string
  /** Files already on the server when the reply was queued. */
  uploaded: Attachment[]
  files: QueuedFile[]
  createdAt: number
}

const STORE = 'replies'

export class FileOutbox {
  private db: Promise<IDBDatabase>

  constructor(name: string) {
    this.db = new Promise((resolve, reject) => {
      const request = indexedDB.open(name, 1)
      request.onupgradeneeded = () => request.result.createObjectStore(STORE, { keyPath: 'id' })
      request.onsuccess = () => resolve(request.result)
      request.onerror = () => reject(request.error)
    })
  }

  private async run<T>(mode: IDBTransactionMode, use: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
    const db = await this.db
    return new Promise((resolve, reject) => {
      const request = use(db.transaction(STORE, mode).objectStore(STORE))
      request.onsuccess = () => resolve(request.result)
      request.onerror = () => reject(request.error)
    })
  }

  put = (reply: QueuedReply): Promise<IDBValidKey> => this.run('readwrite', (s) => s.put(reply))
  remove = (id: string): Promise<undefined> => this.run('readwrite', (s) => s.delete(id))
  list = (): Promise<QueuedReply[]> => this.run('readonly', (s) => s.getAll() as IDBRequest<QueuedReply[]>)
  close = async (): Promise<void> => (await this.db).close()
}
