/**
 * @hocuspocus/extension-redis, made to survive Redis outages. The extension shares a document's
 * changes by publishing its state vector (SyncStep1) on the document's channel after each change;
 * peers answer with what it lacks. Pub/sub keeps nothing for a subscriber that is away, so what
 * was published while Redis (or one instance's connection) was down never arrives, and a quiet
 * document stayed split until someone wrote again. Here:
 * - the clients retry for ever (no command is dropped after N retries), and no publish can
 *   reject into nobody's hands (stateless broadcasts are published unawaited by Hocuspocus);
 * - when every connection is back, each loaded document publishes its SyncStep1 again: a peer
 *   answers with what we miss and, by the extension's protocol, with its own SyncStep1, which we
 *   answer with what it misses, so both converge without anyone writing;
 * - a document loading while Redis is down loads from the database at once instead of waiting
 *   for Redis, and is caught up by that re-sync;
 * - no store lock: Parley stores every update in its log as it arrives (durability extension),
 *   so the lock guarded nothing, cost a round trip per store, and logged "Another instance is
 *   already storing this document" on every save.
 */
import { Redis, type Configuration } from '@hocuspocus/extension-redis'
import type { afterLoadDocumentPayload, Document } from '@hocuspocus/server'
import type { RedisOptions } from 'ioredis'
import type { Logger } from '../log.ts'
import type { RedisHealth } from './redis-health.ts'

const CLIENT_NAMES = ['documents-publish', 'documents-subscribe'] as const

/** Reconnect delay: 100 ms, growing to 2 s, for ever. */
export const retryForever = (attempt: number): number => Math.min(100 * attempt, 2000)

/** The extension's internals used here (private in its types, stable in 4.x; see its source). */
interface Internals {
  documents: Map<string, Document>
  publishFirstSyncStep(documentName: string, document: Document): Promise<unknown>
}

export class RedisDocuments extends Redis {
  /** Document announcements made by re-syncs since start. */
  resynced = 0
  private readonly health: RedisHealth
  private readonly log: Logger
  private stopped = false

  constructor(configuration: Partial<Configuration> & { options?: RedisOptions }, health: RedisHealth, log: Logger) {
    super({ ...configuration, options: { ...configuration.options, maxRetriesPerRequest: null, retryStrategy: retryForever } })
    this.health = health
    this.log = log
    for (const [name, client] of [[CLIENT_NAMES[0], this.pub], [CLIENT_NAMES[1], this.sub]] as const) {
      health.watch(name, client as unknown as Parameters<RedisHealth['watch']>[1])
      // Publishes are what goes unawaited (Hocuspocus fires stateless broadcasts and forgets them;
      // the extension's coalesced flush runs from setImmediate): none may reject unobserved.
      const publish = client.publish.bind(client) as (...args: unknown[]) => Promise<number>
      ;(client as unknown as { publish: (...args: unknown[]) => Promise<number> }).publish = (...args) =>
        publish(...args).catch((error: unknown) => { health.note(name, error); return 0 })
    }
    health.onRecovered(() => { void this.resync() })
  }

  override async afterLoadDocument(payload: afterLoadDocumentPayload): Promise<void> {
    const loading = super.afterLoadDocument(payload)
    if (!this.health.isDown()) {
      // Redis can go away mid-load: then stop waiting (the subscription is queued and the re-sync catches up).
      let stopWaiting!: () => void
      const lost = new Promise<void>((resolve) => { stopWaiting = resolve })
      const off = this.health.onLost(stopWaiting)
      try { await Promise.race([loading, lost]) } finally { off() }
      if (!this.health.isDown()) return
    }
    loading.catch((error: unknown) => this.health.note('documents-subscribe', error))
  }

  /** Nothing is stored under this hook (see above); the lock it took is not taken. */
  override async onStoreDocument(): Promise<void> {}

  /** Every loaded document announces its state again; answers come back on our reply channel. */
  async resync(): Promise<void> {
    if (this.stopped) return
    try {
      // Commands on one connection run in order: once this ping returns, the channels ioredis
      // re-subscribed on reconnect (before it) are live again, so no answer is missed.
      await (this.sub as unknown as { ping(): Promise<string> }).ping()
    } catch (error) {
      this.health.note('documents-subscribe', error)
      return
    }
    const internals = this as unknown as Internals
    if (!this.instance) return
    const documents = new Map([...this.instance.documents, ...internals.documents])
    if (documents.size === 0) return
    for (const [name, document] of documents) {
      await internals.publishFirstSyncStep(name, document)
      this.resynced += 1
    }
    this.log.info('documents re-synced with other instances', { documents: documents.size })
  }

  override async onDestroy(): Promise<void> {
    this.stopped = true
    const down = this.health.isDown()
    // Closing on purpose is no outage.
    for (const name of CLIENT_NAMES) this.health.unwatch(name)
    // QUIT would wait for a Redis that is away (commands queue for ever), and the extension's own
    // onDestroy starts with redlock's QUIT: during an outage, drop the sockets and skip it.
    if (down || this.pub.status !== 'ready' || this.sub.status !== 'ready') {
      const internals = this as unknown as { pendingPublishes: Map<string, unknown>; cancelPendingPublish(name: string): void }
      for (const name of [...internals.pendingPublishes.keys()]) internals.cancelPendingPublish(name)
      this.pub.disconnect(false)
      this.sub.disconnect(false)
      return
    }
    try {
      await super.onDestroy()
    } catch (error) {
      this.log.debug('redis connections closed while Redis was away', { error })
    }
  }
}

/** The extension for a REDIS_URL (redis:// or rediss://, with user, password and database). */
export function redisDocumentsFor(redisUrl: string, prefix: string, health: RedisHealth, log: Logger): RedisDocuments {
  const url = new URL(redisUrl)
  return new RedisDocuments({
    host: url.hostname, port: Number(url.port || 6379), prefix,
    options: {
      ...(url.username ? { username: decodeURIComponent(url.username) } : {}),
      ...(url.password ? { password: decodeURIComponent(url.password) } : {}),
      ...(url.pathname.length > 1 ? { db: Number(url.pathname.slice(1)) } : {}),
      ...(url.protocol === 'rediss:' ? { tls: {} } : {}),
    },
  }, health, log)
}
