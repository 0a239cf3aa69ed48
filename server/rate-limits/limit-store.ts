/**
 * Where the counts live: this process's memory, or with REDIS_URL a Redis every instance shares
 * (its own ioredis connection). Commands fail fast while Redis is away (no offline queue, a
 * short command timeout), so a Redis outage falls back to the in-memory insurance limiters
 * (limiter-factory.ts) instead of holding up the widget's requests.
 */
import type { Redis } from 'ioredis'
import type { Config } from '../config.ts'
import type { Logger } from '../log.ts'

export interface LimitStore { redis?: Redis; close(): Promise<void> }

export async function connectLimitStore(config: Pick<Config, 'redisUrl'>, log: Logger): Promise<LimitStore> {
  if (!config.redisUrl) return { close: async () => {} }
  const { Redis } = await import('ioredis')
  const redis = new Redis(config.redisUrl, { enableOfflineQueue: false, commandTimeout: 500, maxRetriesPerRequest: 1, connectionName: 'parley-limits' })
  let warned = 0
  redis.on('error', (error: Error) => {
    // Once a minute at most: during an outage ioredis reports every reconnect attempt.
    if (Date.now() - warned < 60_000) return
    warned = Date.now()
    log.warn('rate-limit store unreachable; each instance limits on its own until it is back', { error: error.message })
  })
  // QUIT needs a connection: during an outage, drop the client instead of waiting.
  return { redis, close: async () => { if (redis.status === 'ready') await redis.quit().catch(() => redis.disconnect()); else redis.disconnect() } }
}
