/**
 * Who may read /metrics. With METRICS_TOKEN set: whoever sends it as a Bearer token. Without it:
 * only a client connected directly from this machine. A request a proxy forwarded (it carries
 * Forwarded / X-Forwarded-For / X-Real-IP) is not direct, even when the proxy itself connects
 * from loopback: a reverse proxy on the same host would otherwise publish /metrics to everyone.
 */
import crypto from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import { ParleyError } from '../../protocol/index.ts'

const LOOPBACK = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|::1|::ffff:127\.\d{1,3}\.\d{1,3}\.\d{1,3})$/

export function isDirectLoopback(req: IncomingMessage): boolean {
  if (req.headers.forwarded || req.headers['x-forwarded-for'] || req.headers['x-real-ip']) return false
  return LOOPBACK.test(req.socket.remoteAddress ?? '')
}

const digest = (value: string) => crypto.createHash('sha256').update(value).digest()

/** Throws the refusal (401 for a missing or wrong token, 403 for a remote client without one configured). */
export function checkMetricsAccess(req: IncomingMessage, bearer: string | null, token: string | null): void {
  if (token) {
    // Compared as digests: equal lengths for timingSafeEqual, and no timing hint about the token.
    if (bearer && crypto.timingSafeEqual(digest(bearer), digest(token))) return
    throw new ParleyError('unauthenticated', 'metrics: send the METRICS_TOKEN as a Bearer token')
  }
  if (!isDirectLoopback(req)) throw new ParleyError('forbidden', 'metrics: set METRICS_TOKEN to read them from another machine or through a proxy')
}
