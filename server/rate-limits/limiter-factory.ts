/**
 * Builds every rate limiter of the server through rate-limiter-flexible, so memory and Redis
 * share one interface (RateLimiterAbstract). In memory by default; with Redis (REDIS_URL) the
 * counts are shared by every instance, and each Redis limiter carries an in-memory insurance
 * limiter with the same rule: when Redis is down or slow, each instance keeps limiting on its own
 * instead of refusing everyone or letting everything through.
 */
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible'
import { RateLimitedError } from '../../protocol/index.ts'
import type { LimitRule } from './limit-rule.ts'

/** The little of an ioredis client the factory relies on (status: 'ready' when connected). */
export interface RedisClientLike { status: string }

export class LimiterFactory {
  constructor(private readonly options: { redis?: RedisClientLike; prefix: string }) {}

  get shared(): boolean { return this.options.redis !== undefined }

  /**
   * Always this process's memory: for counts of something that lives in one process (a socket),
   * where a Redis round trip per frame would cost more than it protects.
   */
  local(name: string, rule: LimitRule): RateLimiterAbstract {
    return new RateLimiterMemory({ points: rule.points, duration: rule.seconds, keyPrefix: `${this.options.prefix}:${name}` })
  }

  /** A limiter of `rule` under `name` (its key prefix), shared through Redis when there is one; null when the rule is off. */
  create(name: string, rule: LimitRule | null): RateLimiterAbstract | null {
    if (!rule) return null
    const base = { points: rule.points, duration: rule.seconds, keyPrefix: `${this.options.prefix}:${name}` }
    if (!this.options.redis) return new RateLimiterMemory(base)
    return new RateLimiterRedis({
      ...base,
      storeClient: this.options.redis,
      // Without this ioredis queues commands while disconnected and every request would wait.
      rejectIfRedisNotReady: true,
      insuranceLimiter: new RateLimiterMemory(base),
    })
  }
}

export const retryAfterSeconds = (res: RateLimiterRes): number => Math.max(1, Math.ceil(res.msBeforeNext / 1000))

/**
 * Takes `points` for `key`; throws RateLimitedError (HTTP 429 with Retry-After) when over, with
 * `message` and the wait. A store failure with no insurance is rethrown, never read as "allowed".
 */
export async function consumeOrRefuse(limiter: RateLimiterAbstract | null, key: string, message: string, points = 1): Promise<RateLimiterRes | null> {
  if (!limiter) return null
  try {
    return await limiter.consume(key, points)
  } catch (error) {
    if (error instanceof RateLimiterRes) {
      const wait = retryAfterSeconds(error)
      throw new RateLimitedError(`${message}; try again in ${wait} s`, wait)
    }
    throw error
  }
}
