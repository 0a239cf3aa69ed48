/**
 * Every message the visitor sends goes through the outbox first: kept in localStorage until the
 * server has it, so a message typed offline, or while the server is down, or before a reload,
 * is sent when the connection returns. Exactly once: each entry carries the id the widget made,
 * and the server appends once per id (a retry of a stored message answers `duplicate: true`).
 * Entries are delivered in order; a transient failure stops the round and retries with backoff,
 * a refusal (4xx) marks only that entry failed, for the visitor to retry or discard; a rate
 * limit (429) is transient, and the next round waits as long as its Retry-After says.
 */
import type { Attachment } from '../protocol/conversation.ts'
import { ApiError } from './api-client.ts'
import type { LocalStore } from './local-store.ts'

export interface OutboxEntry {
  id: string
  text: string
  attachments: Attachment[]
  createdAt: number
  /** The conversation it was typed in; null when it is the first message (the conversation is made on delivery). */
  conversationId: string | null
  /** Why the server refused it; the visitor may retry or discard it. */
  failed?: string
  /** Files attached but not uploaded yet (their bytes in file-store.ts); uploaded on delivery, then moved to `attachments`. */
  files?: PendingFile[]
}

export interface PendingFile { key: string; name: string; type: string; size: number }

const KEY = 'outbox'

export class Outbox {
  private running: Promise<void> | null = null
  private again = false
  private attempt = 0
  private timer: ReturnType<typeof setTimeout> | undefined
  /** Ids delivered by this page (kept so the view can say "sent" until the document has them). */
  readonly delivered = new Set<string>()

  constructor(private readonly store: LocalStore, private readonly deliver: (entry: OutboxEntry) => Promise<void>, private readonly changed: () => void) {}

  entries(): OutboxEntry[] {
    return this.store.read<OutboxEntry[]>(KEY, [])
  }

  add(entry: OutboxEntry): Promise<void> {
    this.save([...this.entries().filter((e) => e.id !== entry.id), entry])
    return this.flush()
  }

  retry(id: string): Promise<void> {
    this.save(this.entries().map((e) => (e.id === id ? { ...e, failed: undefined } : e)))
    this.attempt = 0
    return this.flush()
  }

  discard(id: string): void {
    const entry = this.entries().find((e) => e.id === id)
    this.save(this.entries().filter((e) => e.id !== id))
    if (entry?.files?.length) this.discarded?.(entry.files)
  }

  /** Records progress on an entry being delivered (a file uploaded), so a retry does not redo it. */
  update(id: string, patch: Partial<Pick<OutboxEntry, 'attachments' | 'files'>>): void {
    this.save(this.entries().map((e) => (e.id === id ? { ...e, ...patch } : e)))
  }

  /** Told about the files of a discarded entry, so their bytes can go too. */
  discarded?: (files: PendingFile[]) => void

  /** Delivers what is pending, in order. Safe to call any time (online event, reconnect, timer). */
  flush(): Promise<void> {
    if (this.running) { this.again = true; return this.running }
    clearTimeout(this.timer)
    this.running = this.run().finally(() => { this.running = null })
    return this.running
  }

  stop(): void {
    clearTimeout(this.timer)
  }

  private async run(): Promise<void> {
    do {
      this.again = false
      for (const entry of this.entries()) {
        if (entry.failed) continue
        try {
          await this.deliver(entry)
        } catch (error) {
          if (error instanceof ApiError && !error.transient) {
            this.save(this.entries().map((e) => (e.id === entry.id ? { ...e, failed: error.message } : e)))
            continue
          }
          // Offline or the server is down: keep everything, try again later (an 'online' event is sooner).
          // Over a rate limit (a long backlog sent at once): wait as long as the server says, then go on.
          const wait = error instanceof ApiError && error.retryAfterSeconds ? error.retryAfterSeconds * 1000 : 0
          const delay = wait > 0 ? Math.min(60_000, wait) : Math.min(30_000, 1000 * 2 ** this.attempt++)
          this.timer = setTimeout(() => void this.flush(), delay)
          return
        }
        this.delivered.add(entry.id)
        this.save(this.entries().filter((e) => e.id !== entry.id))
      }
    } while (this.again)
    this.attempt = 0
  }

  private save(entries: OutboxEntry[]): void {
    if (entries.length === 0) this.store.remove(KEY)
    else this.store.write(KEY, entries)
    this.changed()
  }
}
