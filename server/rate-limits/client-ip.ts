/**
 * The address a limit counts. The socket's peer, unless `TRUST_PROXY` says how many proxies in
 * front of the server append to X-Forwarded-For: then the address the outermost trusted proxy saw
 * (counting from the right, since a client can write anything on the left of the header).
 */
import { isIPv6 } from 'node:net'
import type { IncomingMessage } from 'node:http'

export function clientIp(req: IncomingMessage, trustProxy: number): string {
  let address = req.socket.remoteAddress ?? 'unknown'
  if (trustProxy > 0) {
    const header = req.headers['x-forwarded-for']
    const hops = (Array.isArray(header) ? header.join(',') : header ?? '').split(',').map((s) => s.trim()).filter(Boolean)
    const seen = hops[hops.length - trustProxy] ?? hops[0]
    if (seen) address = seen
  }
  return limitKeyOf(address)
}

/**
 * One key per client: an IPv4 address (also when written IPv4-mapped, `::ffff:1.2.3.4`), or an
 * IPv6 /64, since one subscriber gets a whole /64 and could otherwise rotate through it.
 */
export function limitKeyOf(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)
  if (mapped) return mapped[1] as string
  if (!isIPv6(address)) return address
  const [head = '', tail = ''] = address.toLowerCase().split('::')
  const left = head ? head.split(':') : []
  const right = address.includes('::') ? (tail ? tail.split(':') : []) : []
  const groups = address.includes('::') ? [...left, ...Array(8 - left.length - right.length).fill('0'), ...right] : left
  return `${groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, '')).join(':')}::/64`
}

/** What a WebSocket connection keeps of its upgrade request (app.ts): the URL, no headers, and the client's address. */
export type ClientRequest = Request & { clientIp?: string }
