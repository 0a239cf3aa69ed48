/**
 * Per-socket message rate limit. A crafted or runaway client is cut off with a named close code
 * instead of starving everyone else (see yjs#687 for why Yjs input is treated as hostile).
 */
import type { Extension, beforeHandleMessagePayload, onDisconnectPayload } from '@hocuspocus/server'
import { CloseCode, formatCloseReason } from '../../protocol/index.ts'
import { RateLimiter } from '../rate-limiter.ts'

export class RateLimitExtension implements Extension {
  priority = 1100
  extensionName = 'parley-rate-limit'
  private limiter: RateLimiter
  limited = 0

  constructor(perSecond: number) {
    this.limiter = new RateLimiter(perSecond, perSecond * 2)
  }

  async beforeHandleMessage({ socketId }: beforeHandleMessagePayload): Promise<void> {
    if (this.limiter.take(socketId)) return
    this.limited += 1
    throw { code: CloseCode.rateLimited.code, reason: formatCloseReason(CloseCode.rateLimited, 'slow down') }
  }

  async onDisconnect({ socketId }: onDisconnectPayload): Promise<void> {
    this.limiter.forget(socketId)
  }
}
