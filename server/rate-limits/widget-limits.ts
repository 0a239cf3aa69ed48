/**
 * Rate limits on what the widget asks of the server (issue 10, item 5): per visitor token, per
 * client address and per site, for each action. Counted in that order and stopping at the first
 * refusal, so one abusive visitor spends its own allowance, not its address's or its site's.
 */
import type { RateLimiterAbstract } from 'rate-limiter-flexible'
import { RateLimitedError } from '../../protocol/index.ts'
import type { WidgetAction, WidgetLimitConfig, WidgetScope } from './limit-config.ts'
import { consumeOrRefuse, type LimiterFactory } from './limiter-factory.ts'
import type { LimitRule } from './limit-rule.ts'

const NOUN: Record<WidgetAction, string> = {
  sessions: 'visitor sessions', conversations: 'new conversations', messages: 'messages', uploads: 'uploads', forms: 'form submissions',
}
const FROM: Record<WidgetScope, string> = { visitor: 'from this visitor', ip: 'from this address', site: 'for this site' }
const SCOPES: WidgetScope[] = ['visitor', 'ip', 'site']

/** Who is asking: the visitor's token hash (absent before a session exists), the client address, the workspace. */
export interface WidgetCaller { visitor?: string; ip?: string; site?: string }

export class WidgetLimits {
  private limiters = new Map<string, RateLimiterAbstract | null>()
  /** Requests refused since start (a metric). */
  refused = 0
  /** Told of each refusal, by limit (`messages:visitor` …): the rate-limited counter of /metrics. */
  onRefused?: (limit: string) => void

  constructor(factory: LimiterFactory, config: WidgetLimitConfig) {
    for (const [action, scopes] of Object.entries(config) as [WidgetAction, WidgetLimitConfig[WidgetAction]][]) {
      for (const [scope, rule] of Object.entries(scopes) as [WidgetScope, LimitRule | null | undefined][]) this.limiters.set(`${action}:${scope}`, factory.create(`widget:${action}:${scope}`, rule ?? null))
    }
  }

  /** Counts one `action` for each scope the caller names; throws RateLimitedError (429) at the first that is over. */
  async take(action: WidgetAction, caller: WidgetCaller): Promise<void> {
    for (const scope of SCOPES) {
      const key = caller[scope]
      if (key === undefined) continue
      await consumeOrRefuse(this.limiters.get(`${action}:${scope}`) ?? null, key, `too many ${NOUN[action]} ${FROM[scope]}`).catch((error: unknown) => {
        if (error instanceof RateLimitedError) { this.refused += 1; this.onRefused?.(`${action}:${scope}`) }
        throw error
      })
    }
  }
}
