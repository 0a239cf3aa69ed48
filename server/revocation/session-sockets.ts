/**
 * Which open sockets carry which session, so a session that ends (signed out, its agent
 * deactivated, a password change, its expiry) closes its sockets at once instead of living on
 * until they happen to reconnect. The token is checked only when a document is opened; this is
 * what holds the check for the socket's whole life.
 */
import { CloseCode, formatCloseReason, revocationDetail, type CloseReason, type Revocation } from '../../protocol/index.ts'

/** Longest delay a Node timer keeps (a longer one fires at once). */
const MAX_TIMER_MS = 2 ** 31 - 1
/**
 * Expiries are checked with one timer for the whole registry (a timer per socket cost about
 * 1 KB each), at most once a second: a socket closes within a second of its session's end.
 */
const EXPIRY_CHECK_MS = 1000
/**
 * How long a revocation is remembered, for an authentication that read its session just before
 * the revocation was written and registers its socket just after (a few milliseconds apart).
 */
const REMEMBER_MS = 60_000

export interface SessionOf { tokenHash: string; agentId: string | null; expiresAt: number }

/** One WebSocket, the sessions that opened documents on it, and whether it has been ended. */
export class SessionSocket {
  /** Set once the socket is ended: nothing it sends afterwards is handled. */
  ended: CloseReason | null = null
  /** Set once the socket has closed and left the registry. */
  released = false
  readonly sessions = new Map<string, string | null>()
  /** The earliest end of the sessions it carries. */
  expiresAt = Infinity

  constructor(private readonly socket: { close(code: number, reason: string): void }) {}

  end(close: CloseReason, detail: string): void {
    if (this.ended) return
    this.ended = close
    this.socket.close(close.code, formatCloseReason(close, detail))
  }
}

/** A role change ends no session: its sockets reconnect and are authorised for the new role. */
const closeFor = (revocation: Revocation): CloseReason => revocation.why === 'role-changed' ? CloseCode.roleChanged : CloseCode.tokenRevoked

const covers = (revocation: Revocation, tokenHash: string, agentId: string | null): boolean =>
  revocation.kind === 'session'
    ? revocation.tokenHash === tokenHash
    : revocation.agentId === agentId && revocation.exceptTokenHash !== tokenHash

export class SessionSockets {
  private readonly byToken = new Map<string, Set<SessionSocket>>()
  private readonly byAgent = new Map<string, Set<SessionSocket>>()
  private readonly tracked = new Set<SessionSocket>()
  private expiryTimer: NodeJS.Timeout | null = null
  private expiryAt = Infinity
  private recent: { revocation: Revocation; at: number }[] = []
  /** Sockets ended by a revocation or an expiry since start. */
  ended = 0

  /**
   * Records that `session` opened a document on `socket`. Returns the revocation that ended the
   * session while its authentication (started at `authStartedAt`) was under way, if one did:
   * the caller refuses the document then.
   */
  track(socket: SessionSocket, session: SessionOf, authStartedAt: number, now = Date.now()): Revocation | null {
    this.forget(now)
    const late = this.recent.find((r) => r.at >= authStartedAt && covers(r.revocation, session.tokenHash, session.agentId))
    if (late && late.revocation.why !== 'role-changed') return late.revocation
    if (late) { socket.end(closeFor(late.revocation), revocationDetail[late.revocation.why]); return null }
    if (socket.released || socket.ended) return null
    if (!socket.sessions.has(session.tokenHash)) {
      this.tracked.add(socket)
      socket.sessions.set(session.tokenHash, session.agentId)
      add(this.byToken, session.tokenHash, socket)
      if (session.agentId) add(this.byAgent, session.agentId, socket)
    }
    if (session.expiresAt < socket.expiresAt) {
      socket.expiresAt = session.expiresAt
      this.checkExpiriesAt(session.expiresAt)
    }
    return null
  }

  /** The socket closed: forget it. */
  release(socket: SessionSocket): void {
    socket.released = true
    this.tracked.delete(socket)
    for (const [tokenHash, agentId] of socket.sessions) {
      remove(this.byToken, tokenHash, socket)
      if (agentId) remove(this.byAgent, agentId, socket)
    }
    socket.sessions.clear()
  }

  /** Ends every socket on this instance that carries a session `revocation` covers; returns how many. */
  revoke(revocation: Revocation, now = Date.now()): number {
    this.recent.push({ revocation, at: now })
    this.forget(now)
    const candidates = revocation.kind === 'session' ? this.byToken.get(revocation.tokenHash) : this.byAgent.get(revocation.agentId)
    const hit = [...(candidates ?? [])].filter((socket) => [...socket.sessions].some(([tokenHash, agentId]) => covers(revocation, tokenHash, agentId)))
    for (const socket of hit) {
      socket.end(closeFor(revocation), revocationDetail[revocation.why])
      this.release(socket)
    }
    this.ended += hit.length
    return hit.length
  }

  /** Sockets carrying at least one session, for metrics. */
  size(): number {
    return this.tracked.size
  }

  /** Stops the expiry timer (the server is closing). */
  close(): void {
    if (this.expiryTimer) clearTimeout(this.expiryTimer)
    this.expiryTimer = null
    this.expiryAt = Infinity
  }

  private checkExpiriesAt(at: number): void {
    if (at >= this.expiryAt) return
    if (this.expiryTimer) clearTimeout(this.expiryTimer)
    this.expiryAt = at
    // A far expiry is checked early (the timer cannot wait that long) and rescheduled then.
    this.expiryTimer = setTimeout(() => this.closeExpired(), Math.max(0, Math.min(at - Date.now(), MAX_TIMER_MS)))
    this.expiryTimer.unref()
  }

  private closeExpired(now = Date.now()): void {
    this.expiryTimer = null
    this.expiryAt = Infinity
    let next = Infinity
    for (const socket of [...this.tracked]) {
      if (socket.expiresAt > now) { next = Math.min(next, socket.expiresAt); continue }
      socket.end(CloseCode.tokenExpired, 'this token has expired; sign in again')
      this.release(socket)
      this.ended += 1
    }
    if (next < Infinity) this.checkExpiriesAt(Math.max(next, now + EXPIRY_CHECK_MS))
  }

  private forget(now: number): void {
    let drop = 0
    while (drop < this.recent.length && this.recent[drop]!.at < now - REMEMBER_MS) drop += 1
    if (drop > 0) this.recent = this.recent.slice(drop)
  }
}

function add(map: Map<string, Set<SessionSocket>>, key: string, socket: SessionSocket): void {
  const set = map.get(key)
  if (set) set.add(socket)
  else map.set(key, new Set([socket]))
}

function remove(map: Map<string, Set<SessionSocket>>, key: string, socket: SessionSocket): void {
  const set = map.get(key)
  if (!set) return
  set.delete(socket)
  if (set.size === 0) map.delete(key)
}
