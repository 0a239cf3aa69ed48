/**
 * beforeSync: every update a client sends is decoded and checked against the document's
 * rules before it is logged or applied; a refused update changes nothing and closes that
 * document's connection with a named code. Other clients are unaffected.
 */
import type { Extension, beforeSyncPayload } from '@hocuspocus/server'
import { CloseCode, formatCloseReason, isParleyError, type CloseReason } from '../../protocol/index.ts'
import type { Logger } from '../log.ts'
import type { Metrics } from '../metrics.ts'
import { inspectUpdate, type Inspection } from '../update-inspector.ts'
import { checkResent, checkUpdate } from '../update-policy.ts'
import type { ConnectionContext } from './auth.ts'

/** y-protocols sync message types that carry an update. */
export const SYNC_STEP_2 = 1
export const SYNC_UPDATE = 2

/** The inspection of each accepted payload, read by the durability extension. */
export const inspections = new WeakMap<Uint8Array, Inspection>()

const CLOSE_FOR: Record<string, CloseReason> = {
  'malformed-update': CloseCode.malformedUpdate,
  'payload-too-large': CloseCode.messageTooBig,
  'history-rewrite': CloseCode.historyRewrite,
  'read-only': CloseCode.readOnly,
  forbidden: CloseCode.schemaViolation,
  conflict: CloseCode.schemaViolation,
  'schema-violation': CloseCode.schemaViolation,
}

/** The window of REFUSED_UPDATES_PER_SOCKET and REFUSED_UPDATES_PER_ACCOUNT. */
const STRIKE_WINDOW_MS = 60_000

const principalKeyOf = ({ principal }: ConnectionContext): string =>
  `${principal.kind}:${'agentId' in principal ? principal.agentId : 'contactId' in principal ? principal.contactId : ''}`

export class UpdateGuardExtension implements Extension {
  priority = 900
  extensionName = 'parley-update-guard'
  refused = 0

  /** Per principal: when its last refusal was logged, and how many went unlogged since. */
  private readonly lastLogged = new Map<string, { at: number; suppressed: number }>()

  constructor(
    private readonly maxUpdateBytes: number,
    private readonly log: Logger,
    private readonly limits: { perSocket: number; perPrincipal: number } = { perSocket: 5, perPrincipal: 50 },
    private readonly metrics?: Metrics,
  ) {}

  /**
   * One line per principal per 10 s, with the count of refusals not logged: an attacker sending
   * thousands of bad frames must not turn them into as many log writes (the hostile bench).
   */
  private logRefusal(key: string, fields: Record<string, unknown>): void {
    const now = Date.now()
    const last = this.lastLogged.get(key)
    if (last && now - last.at < 10_000) { last.suppressed += 1; return }
    if (this.lastLogged.size > 10_000) this.lastLogged.clear()
    this.lastLogged.set(key, { at: now, suppressed: 0 })
    this.log.warn('update refused', { ...fields, ...(last?.suppressed ? { refusedSinceLastLog: last.suppressed } : {}) })
  }

  /** Refusals in the current window, per principal. */
  private readonly strikes = new Map<string, { count: number; since: number }>()

  /**
   * Counts a refusal; true when the socket must go: a client that keeps sending what is refused
   * is not one that lost its way, and each retry on a fresh document connection costs an
   * authentication and a sync. Past the principal's limit, its updates are refused unread.
   */
  private strike(key: string, limit: number, now: number): boolean {
    let entry = this.strikes.get(key)
    if (!entry || now - entry.since > STRIKE_WINDOW_MS) {
      if (this.strikes.size > 50_000) this.strikes.clear()
      entry = { count: 0, since: now }
      this.strikes.set(key, entry)
    }
    entry.count += 1
    return entry.count >= limit
  }

  /** Refusals per socket, held by the socket itself: an entry goes when its socket does (an attack opens thousands). */
  private readonly socketStrikes = new WeakMap<object, { count: number; since: number }>()

  private strikeSocket(socket: object, now: number): boolean {
    let entry = this.socketStrikes.get(socket)
    if (!entry || now - entry.since > STRIKE_WINDOW_MS) {
      entry = { count: 0, since: now }
      this.socketStrikes.set(socket, entry)
    }
    entry.count += 1
    return entry.count >= this.limits.perSocket
  }

  private benched(key: string, now: number): boolean {
    const entry = this.strikes.get(key)
    return entry !== undefined && now - entry.since <= STRIKE_WINDOW_MS && entry.count >= this.limits.perPrincipal
  }

  async beforeSync({ type, payload, connection, document, context }: beforeSyncPayload<ConnectionContext>): Promise<void> {
    if ((type !== SYNC_STEP_2 && type !== SYNC_UPDATE) || connection.readOnly) return
    const principalKey = principalKeyOf(context)
    const now = Date.now()
    if (this.benched(principalKey, now)) {
      this.refused += 1
      this.metrics?.refusedUpdates.inc({ close_code: CloseCode.rateLimited.code })
      connection.webSocket.close(CloseCode.rateLimited.code, formatCloseReason(CloseCode.rateLimited, 'too many refused updates'))
      throw { code: CloseCode.rateLimited.code, reason: formatCloseReason(CloseCode.rateLimited, 'too many refused updates: try again in a minute') }
    }
    try {
      if (payload.length > this.maxUpdateBytes) throw Object.assign(new Error(`update of ${payload.length} bytes is over the ${this.maxUpdateBytes}-byte limit`), { code: 'payload-too-large' })
      const inspection = inspectUpdate(document, payload)
      checkResent(context.name, inspection)
      if (!inspection.empty) checkUpdate(context.principal, context.name, document, inspection)
      inspections.set(payload, inspection)
    } catch (error) {
      const code = isParleyError(error) || (error as { code?: string }).code ? String((error as { code: string }).code) : 'malformed-update'
      const close = CLOSE_FOR[code] ?? CloseCode.malformedUpdate
      this.refused += 1
      this.metrics?.refusedUpdates.inc({ close_code: close.code })
      this.logRefusal(principalKey, { document: document.name, code, reason: (error as Error).message, principal: context.principal.kind })
      const socketFull = this.strikeSocket(connection.webSocket, now)
      const principalFull = this.strike(principalKey, this.limits.perPrincipal, now)
      if (socketFull || principalFull) connection.webSocket.close(CloseCode.rateLimited.code, formatCloseReason(CloseCode.rateLimited, 'too many refused updates'))
      throw { code: close.code, reason: formatCloseReason(close, (error as Error).message) }
    }
  }
}
