/**
 * Per-socket message rate limit. A crafted or runaway client is cut off with a named close code
 * instead of starving everyone else (see yjs#687 for why Yjs input is treated as hostile).
 * `perSecond` on average with bursts up to twice that: a window of 2 s holding 2 × perSecond.
 */
import type { Extension, beforeHandleMessagePayload, onDisconnectPayload } from '@hocuspocus/server'
import { RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible'
import { CloseCode, formatCloseReason } from '../../protocol/index.ts'
import type { LimiterFactory } from '../rate-limits/limiter-factory.ts'

export class RateLimitExtension implements Extension {
  priority = 1100
  extensionName = 'parley-rate-limit'
  private limiter: RateLimiterAbstract
  limited = 0
  /** Told of each refusal: the rate-limited counter of /metrics. */
  onRefused?: (limit: string) => void

  constructor(limiters: LimiterFactory, perSecond: number) {
    this.limiter = limiters.local('socket-messages', { points: perSecond * 2, seconds: 2 })
  }

  async beforeHandleMessage({ socketId }: beforeHandleMessagePayload): Promise<void> {
    try {
      await this.limiter.consume(socketId)
    } catch (error) {
      if (!(error instanceof RateLimiterRes)) throw error
      this.limited += 1
      this.onRefused?.('socket-frames')
      throw { code: CloseCode.rateLimited.code, reason: formatCloseReason(CloseCode.rateLimited, 'slow down') }
    }
  }

  async onDisconnect({ socketId }: onDisconnectPayload): Promise<void> {
    await this.limiter.delete(socketId)
  }
}
