/**
 * Sign-in limits (issue 10, item 6), three counts of wrong passwords:
 * - per address and account: 10 wrong tries at one account from one address, and that address
 *   waits; the right password starts the count again;
 * - per address, whatever the account: one password sprayed over many emails is stopped;
 * - per account, from anywhere: past a generous count the account is "under attack", and each
 *   address may then make only a few tries at it (HOT_ACCOUNT_TRIES_PER_IP) before it waits.
 *   An address that has not failed at the account keeps those few tries, so the owner signing in
 *   from a new address with the right password always gets in: a slow-down, never a lock-out.
 * A try is counted before the password is checked (parallel tries cannot all slip past the
 * count) and given back when it succeeds. Unknown emails count exactly like known ones, so the
 * answers say nothing about which accounts exist.
 */
import { createHash } from 'node:crypto'
import { RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible'
import { RateLimitedError } from '../../protocol/index.ts'
import type { SignInLimitConfig } from './limit-config.ts'
import { consumeOrRefuse, retryAfterSeconds, type LimiterFactory } from './limiter-factory.ts'

export const HOT_ACCOUNT_TRIES_PER_IP = 3

export interface SignInAttempt {
  /** The password was right: the address's count for this account starts again, and the try is given back. */
  succeeded(): Promise<void>
}

/** Emails are kept out of the store's keys. */
const accountKey = (email: string): string => createHash('sha256').update(email.trim().toLowerCase()).digest('base64url').slice(0, 22)

export class SignInGuard {
  private perIpEmail: RateLimiterAbstract | null
  private perIp: RateLimiterAbstract | null
  private perAccount: RateLimiterAbstract | null
  /** Sign-ins refused since start (a metric). */
  refused = 0
  /** Told of each refusal: the rate-limited counter of /metrics. */
  onRefused?: (limit: string) => void

  constructor(factory: LimiterFactory, config: SignInLimitConfig) {
    this.perIpEmail = factory.create('sign-in:ip-email', config.perIpEmail)
    this.perIp = factory.create('sign-in:ip', config.perIp)
    this.perAccount = factory.create('sign-in:account', config.perAccount)
  }

  /** Counts a try at `email` from `ip`, before the password is checked; throws RateLimitedError (429) when that address must wait. */
  async begin(ip: string, email: string): Promise<SignInAttempt> {
    const account = accountKey(email)
    const pair = `${ip}|${account}`
    const taken: [RateLimiterAbstract, string][] = []
    const giveBack = () => Promise.all(taken.map(([limiter, key]) => limiter.reward(key, 1)))
    try {
      await consumeOrRefuse(this.perIp, ip, 'too many wrong sign-ins from this address')
      if (this.perIp) taken.push([this.perIp, ip])
      const mine = await consumeOrRefuse(this.perIpEmail, pair, 'too many wrong sign-ins to this account from this address')
      if (this.perIpEmail) taken.push([this.perIpEmail, pair])
      if (this.perAccount) {
        const hot = await this.perAccount.consume(account).then(() => null, (error: unknown) => {
          if (error instanceof RateLimiterRes) return error
          throw error
        })
        taken.push([this.perAccount, account])
        // Under attack from many addresses: an address that already failed here waits; others still get their few tries.
        if (hot && mine && mine.consumedPoints > HOT_ACCOUNT_TRIES_PER_IP) {
          const wait = Math.min(retryAfterSeconds(hot), retryAfterSeconds(mine))
          throw new RateLimitedError(`too many wrong sign-ins to this account; try again in ${wait} s`, wait)
        }
      }
    } catch (error) {
      if (error instanceof RateLimitedError) {
        this.refused += 1
        this.onRefused?.('sign-in')
        await giveBack()
      }
      throw error
    }
    return {
      succeeded: async () => {
        await Promise.all([this.perIpEmail?.delete(pair), this.perIp?.reward(ip, 1), this.perAccount?.reward(account, 1)])
      },
    }
  }
}
