/** Revocations between server instances over one Redis pub/sub channel (ioredis). */
import { randomUUID } from 'node:crypto'
import { Redis } from 'ioredis'
import * as v from 'valibot'
import { RevocationNotice, type Revocation } from '../../protocol/index.ts'
import type { Logger } from '../log.ts'
import type { RevocationChannel } from './revocations.ts'

export class RedisRevocationChannel implements RevocationChannel {
  private readonly origin = randomUUID()
  private readonly publisher: Redis
  /** A subscribed connection can only subscribe, hence a second one. */
  private readonly subscriber: Redis

  constructor(redisUrl: string, private readonly channel: string, private readonly log: Logger) {
    // A publish gives up after a few reconnects (the caller logs it); the subscription waits for
    // Redis however long it is away, and ioredis subscribes again after every reconnect.
    this.publisher = new Redis(redisUrl, { maxRetriesPerRequest: 3 })
    this.subscriber = new Redis(redisUrl, { maxRetriesPerRequest: null })
    for (const connection of [this.publisher, this.subscriber]) {
      connection.on('error', (error: Error) => log.warn('revocation channel trouble', { error: error.message }))
    }
  }

  async subscribe(onRevocation: (revocation: Revocation) => void): Promise<void> {
    this.subscriber.on('message', (channel: string, message: string) => {
      if (channel !== this.channel) return
      let parsed: unknown
      try { parsed = JSON.parse(message) } catch { parsed = null }
      const notice = v.safeParse(RevocationNotice, parsed)
      if (!notice.success) { this.log.warn('ignored a malformed revocation notice', { channel }); return }
      if (notice.output.origin === this.origin) return
      onRevocation(notice.output.revocation)
    })
    await this.subscriber.subscribe(this.channel)
  }

  async publish(revocation: Revocation): Promise<void> {
    const notice: RevocationNotice = { origin: this.origin, revocation }
    await this.publisher.publish(this.channel, JSON.stringify(notice))
  }

  /** QUIT waits for a connection to send it on: during an outage (the subscriber retries for ever) it would never resolve. */
  async close(): Promise<void> {
    await Promise.allSettled([this.publisher, this.subscriber].map((c) => (c.status === 'ready' ? c.quit() : (c.disconnect(), Promise.resolve()))))
  }
}
