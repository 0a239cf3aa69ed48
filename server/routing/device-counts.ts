/**
 * How many devices each agent has connected, counted across every instance. Without Redis this
 * process's memory is all there is. With REDIS_URL each instance keeps its own counts in a Redis
 * hash and a heartbeat key that expires: the union of the live instances' hashes is who is
 * connected, and an instance that dies (kill -9) drops out when its heartbeat lapses, so its
 * agents do not stay "online" for ever.
 */
import type { Redis } from 'ioredis'
import { createId } from '../../protocol/index.ts'

export interface DeviceCounts {
  change(workspaceId: string, agentId: string, delta: 1 | -1): Promise<void>
  /** Agents of the workspace with at least one connected device, on any instance. */
  connected(workspaceId: string): Promise<Set<string>>
  close(): Promise<void>
}

const key = (workspaceId: string, agentId: string) => `${workspaceId}|${agentId}`

export class LocalDeviceCounts implements DeviceCounts {
  protected counts = new Map<string, number>()
  async change(workspaceId: string, agentId: string, delta: 1 | -1): Promise<void> {
    const k = key(workspaceId, agentId)
    const n = (this.counts.get(k) ?? 0) + delta
    if (n > 0) this.counts.set(k, n); else this.counts.delete(k)
  }
  async connected(workspaceId: string): Promise<Set<string>> {
    const out = new Set<string>()
    for (const k of this.counts.keys()) if (k.startsWith(`${workspaceId}|`)) out.add(k.slice(workspaceId.length + 1))
    return out
  }
  async close(): Promise<void> {}
}

const HEARTBEAT_MS = 5000
const ALIVE_TTL_S = 15

export class RedisDeviceCounts extends LocalDeviceCounts {
  private readonly instance = createId('i')
  private readonly timer: NodeJS.Timeout
  constructor(private readonly redis: Redis, private readonly prefix: string) {
    super()
    this.timer = setInterval(() => void this.beat().catch(() => {}), HEARTBEAT_MS)
    this.timer.unref()
    void this.beat().catch(() => {})
  }

  private hash = (instance: string) => `${this.prefix}:devices:${instance}`
  private alive = (instance: string) => `${this.prefix}:alive:${instance}`

  private async beat(): Promise<void> {
    await this.redis.multi().set(this.alive(this.instance), '1', 'EX', ALIVE_TTL_S).sadd(`${this.prefix}:instances`, this.instance).exec()
  }

  override async change(workspaceId: string, agentId: string, delta: 1 | -1): Promise<void> {
    await super.change(workspaceId, agentId, delta)
    const n = this.counts.get(key(workspaceId, agentId)) ?? 0
    // The instance's own count is written as a whole, not incremented: a retried command cannot skew it.
    if (n > 0) await this.redis.hset(this.hash(this.instance), key(workspaceId, agentId), String(n)).catch(() => {})
    else await this.redis.hdel(this.hash(this.instance), key(workspaceId, agentId)).catch(() => {})
  }

  override async connected(workspaceId: string): Promise<Set<string>> {
    try {
      const instances = await this.redis.smembers(`${this.prefix}:instances`)
      const out = new Set<string>()
      const alive = instances.length ? await this.redis.mget(...instances.map(this.alive)) : []
      const dead: string[] = []
      for (let i = 0; i < instances.length; i++) {
        const instance = instances[i] as string
        if (!alive[i] && instance !== this.instance) { dead.push(instance); continue }
        const fields = await this.redis.hkeys(this.hash(instance))
        for (const field of fields) if (field.startsWith(`${workspaceId}|`)) out.add(field.slice(workspaceId.length + 1))
      }
      if (dead.length) await this.redis.multi().srem(`${this.prefix}:instances`, ...dead).del(...dead.map(this.hash)).exec().catch(() => {})
      return out
    } catch {
      // Redis away: this instance's own devices are what it can still see.
      return super.connected(workspaceId)
    }
  }

  override async close(): Promise<void> {
    clearInterval(this.timer)
    await this.redis.multi().del(this.hash(this.instance), this.alive(this.instance)).srem(`${this.prefix}:instances`, this.instance).exec().catch(() => {})
    if (this.redis.status === 'ready') await this.redis.quit().catch(() => this.redis.disconnect()); else this.redis.disconnect()
  }
}

export async function connectDeviceCounts(redisUrl: string | undefined, prefix: string): Promise<DeviceCounts> {
  if (!redisUrl) return new LocalDeviceCounts()
  const { Redis } = await import('ioredis')
  const redis = new Redis(redisUrl, { enableOfflineQueue: false, commandTimeout: 1000, maxRetriesPerRequest: 1, connectionName: 'parley-presence' })
  redis.on('error', () => {})
  await new Promise<void>((resolve) => { if (redis.status === 'ready') resolve(); else { redis.once('ready', () => resolve()); setTimeout(resolve, 2000).unref() } })
  return new RedisDeviceCounts(redis, prefix)
}
