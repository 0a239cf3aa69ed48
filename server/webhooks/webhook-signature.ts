/**
 * Webhook signatures, as Stripe signs: `Parley-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256
 * of "<t>.<raw body>" with the webhook's secret>`. The timestamp is signed with the body, so a
 * receiver that refuses old timestamps refuses replays; README has the receiver's side.
 */
import { createHmac, timingSafeEqual } from 'node:crypto'

/** The header for `body`; while a rotated secret is still honoured, one v1 per secret (the new one first), as Stripe does when a secret is rolled. */
export function signWebhook(secret: string | readonly string[], body: string, timestampSeconds: number): string {
  const secrets = typeof secret === 'string' ? [secret] : secret
  return [`t=${timestampSeconds}`, ...secrets.map((s) => `v1=${createHmac('sha256', s).update(`${timestampSeconds}.${body}`).digest('hex')}`)].join(',')
}

/** The receiver's check (also used by the tests): true when one v1 signature matches and the timestamp is within `toleranceSeconds`. */
export function verifyWebhook(secret: string, body: string, header: string | null | undefined, nowSeconds = Math.floor(Date.now() / 1000), toleranceSeconds = 300): boolean {
  if (!header) return false
  const parts = header.split(',').map((p) => p.split('=', 2) as [string, string])
  const t = Number(parts.find(([k]) => k === 't')?.[1])
  if (!Number.isInteger(t) || Math.abs(nowSeconds - t) > toleranceSeconds) return false
  const expected = Buffer.from(createHmac('sha256', secret).update(`${t}.${body}`).digest('hex'))
  return parts.some(([k, v]) => k === 'v1' && v !== undefined && v.length === expected.length && timingSafeEqual(Buffer.from(v), expected))
}
