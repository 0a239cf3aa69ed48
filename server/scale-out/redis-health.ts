/**
 * Whether this process reaches Redis, from the connections' own events. An outage is logged
 * once when it starts and once when it ends, not once per failed command or retry; every error
 * and rejection is counted, for /metrics. /health reads `status()`.
 */
import type { EventEmitter } from 'node:events'
import type { Logger } from '../log.ts'

/** The part of an ioredis client watched here. */
export interface WatchedClient extends EventEmitter { status: string }

const STATE_EVENTS = ['ready', 'close', 'end', 'reconnecting']

export class RedisHealth {
  /** Errors and rejected commands from any Redis client since start. */
  errors = 0
  /** Outages since start (a connection lost after it had been ready). */
  outages = 0
  private readonly clients = new Map<string, { client: WatchedClient; stop: () => void }>()
  private downSince: number | null = null
  private everReady = false
  private loggedThisOutage = false
  private readonly recovered = new Set<() => void>()
  private readonly lost = new Set<() => void>()

  constructor(private readonly log: Logger) {}

  /** Follows one client; its 'error' events are counted here (so ioredis never reports them as unhandled). */
  watch(name: string, client: WatchedClient): void {
    const onError = (error: Error) => this.note(name, error)
    const onChange = () => this.update()
    client.on('error', onError)
    for (const event of STATE_EVENTS) client.on(event, onChange)
    this.clients.set(name, { client, stop: () => { for (const event of STATE_EVENTS) client.off(event, onChange) } })
    this.update()
  }

  /** Stops following a client (one being closed on purpose: that is no outage). Its errors are still swallowed. */
  unwatch(name: string): void {
    this.clients.get(name)?.stop()
    this.clients.delete(name)
  }

  /** One failure from a Redis client (a rejected command, an error event): counted, logged once per outage. */
  note(source: string, error: unknown): void {
    this.errors += 1
    if (this.loggedThisOutage) return
    this.loggedThisOutage = true
    this.log.warn('redis unavailable', { source, error: error instanceof Error ? error.message : String(error) })
  }

  isDown(): boolean {
    for (const { client } of this.clients.values()) if (client.status !== 'ready') return true
    return false
  }

  status(): 'ok' | 'down' { return this.isDown() ? 'down' : 'ok' }

  /** Milliseconds since the current outage began (0 when connected). */
  downForMs(now = Date.now()): number { return this.downSince === null ? 0 : now - this.downSince }

  /** Called each time every client is ready, after an outage or for the first time. */
  onRecovered(listener: () => void): () => void { this.recovered.add(listener); return () => this.recovered.delete(listener) }

  /** Called when an outage begins. */
  onLost(listener: () => void): () => void { this.lost.add(listener); return () => this.lost.delete(listener) }

  private update(): void {
    const down = this.isDown()
    if (down && this.downSince === null) {
      this.downSince = Date.now()
      // Before the first connection there is nothing to recover; the start-up wait is not an outage.
      if (this.everReady) {
        this.outages += 1
        this.log.warn('redis connection lost; documents are not shared with other instances until it returns', { outage: this.outages })
        this.loggedThisOutage = true
        for (const listener of this.lost) listener()
      }
    } else if (!down && this.downSince !== null) {
      const wasOutage = this.everReady
      const downMs = Date.now() - this.downSince
      this.downSince = null
      this.everReady = true
      this.loggedThisOutage = false
      if (wasOutage) this.log.info('redis connection restored', { downMs })
      // Also on the first connection: documents loaded before it have not met their peers yet.
      for (const listener of this.recovered) listener()
    }
  }
}

/** A rejection that came out of ioredis or BullMQ (by class name, or by where it was thrown). */
export function isRedisError(error: unknown): boolean {
  if (!(error instanceof Error)) return false
  if (['MaxRetriesPerRequestError', 'ReplyError', 'ClusterAllFailedError'].includes(error.name)) return true
  if (/^Connection is closed\.?$/.test(error.message)) return true
  return /[/\\]node_modules[/\\](ioredis|bullmq|@hocuspocus[/\\]extension-redis|@sesamecare-oss[/\\]redlock)[/\\]/.test(error.stack ?? '')
}

/**
 * The last line of defence of a process using Redis: a rejection from a Redis client that no
 * code awaited is counted and logged once per outage instead of ending the process. Any other
 * unhandled rejection still ends it, as Node does by default (exit code 1).
 */
export function surviveRedisRejections(health: RedisHealth, log: Logger): void {
  process.on('unhandledRejection', (reason) => {
    if (isRedisError(reason)) { health.note('unhandled', reason); return }
    log.error('unhandled rejection', { error: reason })
    process.exit(1)
  })
}
