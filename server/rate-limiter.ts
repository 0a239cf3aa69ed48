/** Token buckets keyed by anything (an IP, a socket): `rate` per second, bursts up to `burst`. */
export class RateLimiter {
  private buckets = new Map<string, { tokens: number; at: number }>()

  constructor(private readonly rate: number, private readonly burst: number) {}

  /** Takes one token; false when the key is over its rate. */
  take(key: string, now = Date.now()): boolean {
    const bucket = this.buckets.get(key) ?? { tokens: this.burst, at: now }
    bucket.tokens = Math.min(this.burst, bucket.tokens + ((now - bucket.at) / 1000) * this.rate)
    bucket.at = now
    this.buckets.set(key, bucket)
    if (this.buckets.size > 100_000) this.prune(now)
    if (bucket.tokens < 1) return false
    bucket.tokens -= 1
    return true
  }

  forget(key: string): void {
    this.buckets.delete(key)
  }

  private prune(now: number): void {
    for (const [key, bucket] of this.buckets) if (now - bucket.at > (this.burst / this.rate) * 1000) this.buckets.delete(key)
  }
}
