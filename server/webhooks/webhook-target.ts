/**
 * Where a webhook may be sent, and the sending itself (issue 16: server-side request forgery).
 *
 * A webhook makes this server send requests to a URL an admin of any workspace chose. On an
 * install with open sign-up that admin is a stranger, and the server's own network (its Redis,
 * PostgreSQL, a cloud metadata endpoint, the operator's intranet) must stay out of reach. So, as
 * GitLab and Stripe do, a target must resolve to public addresses only, unless the operator opens
 * private ranges for everyone (`WEBHOOK_ALLOW_PRIVATE_NETWORKS=1`, for a desk whose webhooks go to
 * its own backend) or names hosts and ranges (`WEBHOOK_ALLOWED_HOSTS=crm.internal,10.1.0.0/16`).
 * Link-local addresses (169.254.0.0/16, fe80::/10: the metadata endpoints answer there with the
 * host's credentials) are refused even then, unless listed by address.
 *
 * The check is made twice: when the URL is saved (a clear 400 for the admin), and at every
 * connection, on the address the socket really connects to: a name that resolved to a public
 * address when saved and to 127.0.0.1 later (DNS rebinding) is refused at send time. Redirects
 * are never followed, so a public endpoint cannot bounce a delivery inward.
 *
 * Node's http/https with keep-alive agents send (one TLS handshake per endpoint, not per
 * delivery), with their `lookup` hook doing the check; the fetch API has no such hook.
 */
import dns from 'node:dns'
import http from 'node:http'
import https from 'node:https'
import net, { BlockList } from 'node:net'
import { ParleyError } from '../../protocol/index.ts'

export interface TargetPolicy {
  /** Private, loopback and other non-public ranges are allowed (link-local still is not). */
  allowPrivateNetworks: boolean
  /** Host names (exact, case-insensitive), addresses and CIDR ranges allowed whatever they resolve to. */
  allowedHosts: string[]
}

const NON_PUBLIC_V4: Array<[string, number]> = [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['172.16.0.0', 12], ['192.0.0.0', 24], ['192.0.2.0', 24],
  ['192.88.99.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['198.51.100.0', 24], ['203.0.113.0', 24], ['224.0.0.0', 4], ['240.0.0.0', 4],
]
const NON_PUBLIC_V6: Array<[string, number]> = [['::', 128], ['::1', 128], ['fc00::', 7], ['ff00::', 8], ['2001:db8::', 32], ['100::', 64]]
const LINK_LOCAL = new BlockList()
LINK_LOCAL.addSubnet('169.254.0.0', 16, 'ipv4')
LINK_LOCAL.addSubnet('fe80::', 10, 'ipv6')
const NON_PUBLIC = new BlockList()
for (const [a, p] of NON_PUBLIC_V4) NON_PUBLIC.addSubnet(a, p, 'ipv4')
for (const [a, p] of NON_PUBLIC_V6) NON_PUBLIC.addSubnet(a, p, 'ipv6')

/** An IPv4 address carried inside an IPv6 one (mapped ::ffff:a.b.c.d, NAT64 64:ff9b::/96): judged as that IPv4 address. */
function embeddedV4(address: string): string | null {
  const lower = address.toLowerCase()
  const dotted = /^(?:::ffff:|64:ff9b::)(\d+\.\d+\.\d+\.\d+)$/.exec(lower)
  if (dotted) return dotted[1]!
  const hex = /^(?:::ffff:|64:ff9b::)([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(lower)
  if (!hex) return null
  const hi = parseInt(hex[1]!, 16)
  const lo = parseInt(hex[2]!, 16)
  return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`
}

export class WebhookTargets {
  private readonly allowedNames: Set<string>
  private readonly allowedRanges = new BlockList()
  private readonly httpAgent: http.Agent
  private readonly httpsAgent: https.Agent

  constructor(readonly policy: TargetPolicy) {
    this.allowedNames = new Set()
    for (const entry of policy.allowedHosts) {
      const [address, prefix] = entry.split('/')
      const family = net.isIP(address ?? '')
      if (family === 0) { this.allowedNames.add(entry.toLowerCase()); continue }
      const type = family === 4 ? 'ipv4' : 'ipv6'
      if (prefix === undefined) this.allowedRanges.addAddress(address!, type)
      else this.allowedRanges.addSubnet(address!, Number(prefix), type)
    }
    const lookup = this.lookup.bind(this) as unknown as net.LookupFunction
    this.httpAgent = new http.Agent({ keepAlive: true, maxSockets: 16, lookup } as http.AgentOptions)
    this.httpsAgent = new https.Agent({ keepAlive: true, maxSockets: 16, lookup } as https.AgentOptions)
  }

  /** Why this address may not be a target for `host`, or null when it may. */
  refusal(address: string, host: string): string | null {
    if (this.allowedNames.has(host.toLowerCase())) return null
    const family = net.isIP(address)
    if (family === 0) return `${address} is not an address`
    const v4 = family === 6 ? embeddedV4(address) : address
    const [a, type] = v4 ? [v4, 'ipv4' as const] : [address, 'ipv6' as const]
    if (this.allowedRanges.check(a, type) || (v4 !== address && this.allowedRanges.check(address, 'ipv6'))) return null
    if (LINK_LOCAL.check(a, type)) return `${address} is a link-local address (where cloud metadata answers); list it in WEBHOOK_ALLOWED_HOSTS to allow it`
    if (!this.policy.allowPrivateNetworks && NON_PUBLIC.check(a, type)) {
      return `${address} is a private or reserved address; set WEBHOOK_ALLOW_PRIVATE_NETWORKS=1 or list the host in WEBHOOK_ALLOWED_HOSTS to allow it`
    }
    return null
  }

  /** Checks a URL an admin is saving: every address its host resolves to must be allowed. A 400 naming `url` says why not. */
  async check(url: string): Promise<void> {
    const parsed = new URL(url)
    const host = parsed.hostname.replace(/^\[|\]$/g, '')
    let addresses: string[]
    if (net.isIP(host)) addresses = [host]
    else {
      try {
        addresses = (await dns.promises.lookup(host, { all: true, verbatim: true })).map((a) => a.address)
      } catch (e) {
        throw new ParleyError('bad-request', `url: the host ${host} could not be resolved (${(e as NodeJS.ErrnoException).code ?? 'DNS error'})`, 'url')
      }
    }
    for (const address of addresses) {
      const why = this.refusal(address, host)
      if (why) throw new ParleyError('bad-request', `url: ${host} is refused as a webhook target: ${why}`, 'url')
    }
  }

  /** The agents' DNS hook: resolves as usual, then refuses the connection when an address is not allowed. */
  private lookup(hostname: string, options: dns.LookupOptions, callback: (error: NodeJS.ErrnoException | null, address: string | dns.LookupAddress[], family?: number) => void): void {
    dns.lookup(hostname, { ...options, all: true }, (error, found) => {
      if (error) return callback(error, '', 0)
      const list = found as dns.LookupAddress[]
      for (const { address } of list) {
        const why = this.refusal(address, hostname)
        if (why) return callback(Object.assign(new Error(`refused: ${why}`), { code: 'ETARGETREFUSED' }), '', 0)
      }
      if (options.all) callback(null, list)
      else callback(null, list[0]!.address, list[0]!.family)
    })
  }

  /**
   * POSTs `body` to `url` and answers the status and the first `keep` characters of the answer.
   * A target refused by the policy, a network error or no answer within `timeoutMs` rejects with
   * an error whose message says which (as the delivery log shows it).
   */
  send(url: string, headers: Record<string, string>, body: string, timeoutMs: number, keep: number): Promise<{ status: number; body: string }> {
    const target = new URL(url)
    const host = target.hostname.replace(/^\[|\]$/g, '')
    // An address written in the URL is never looked up, so it is checked here.
    if (net.isIP(host)) {
      const why = this.refusal(host, host)
      if (why) return Promise.reject(new Error(`refused: ${why}`))
    }
    const secure = target.protocol === 'https:'
    return new Promise((resolve, reject) => {
      const request = (secure ? https : http).request(target, {
        method: 'POST', agent: secure ? this.httpsAgent : this.httpAgent,
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        signal: AbortSignal.timeout(timeoutMs),
      }, (response) => {
        const chunks: string[] = []
        let length = 0
        response.setEncoding('utf8')
        response.on('data', (chunk: string) => { if (length < keep) { chunks.push(chunk); length += chunk.length } })
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: chunks.join('').slice(0, keep) }))
        response.on('error', reject)
      })
      request.on('error', (error: NodeJS.ErrnoException) => {
        if (error.name === 'AbortError' || error.name === 'TimeoutError') reject(new Error(`no answer within ${timeoutMs} ms`))
        else if (error.code === 'ETARGETREFUSED') reject(error)
        else reject(new Error(error.code ?? error.message))
      })
      request.end(body)
    })
  }

  close(): void {
    this.httpAgent.destroy()
    this.httpsAgent.destroy()
  }
}

/** WEBHOOK_ALLOWED_HOSTS: comma-separated host names, addresses and CIDR ranges; a bad entry is a configuration problem. */
export function readAllowedHosts(raw: string | undefined, problems: string[]): string[] {
  const entries = (raw ?? '').split(',').map((s) => s.trim()).filter(Boolean)
  for (const entry of entries) {
    const [address, prefix, extra] = entry.split('/')
    const family = net.isIP(address ?? '')
    const badRange = prefix !== undefined && (family === 0 || extra !== undefined || !/^\d+$/.test(prefix) || Number(prefix) > (family === 4 ? 32 : 128))
    const badName = family === 0 && !/^[a-z0-9.-]+$/i.test(entry)
    if (badRange || badName) problems.push(`WEBHOOK_ALLOWED_HOSTS: ${JSON.stringify(entry)} is not a host name, an address or a CIDR range`)
  }
  return entries
}
