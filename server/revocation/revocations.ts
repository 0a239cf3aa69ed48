/**
 * Ending sessions: the routes that sign out, deactivate or change a password call `revoke`
 * after the database says so; it closes this instance's sockets of the session at once and,
 * when instances are linked, tells the others to close theirs.
 */
import type { Revocation } from '../../protocol/index.ts'
import type { Logger } from '../log.ts'
import type { SessionSockets } from './session-sockets.ts'

/** How instances tell each other about revocations (Redis pub/sub when REDIS_URL is set). */
export interface RevocationChannel {
  /** Starts delivering other instances' revocations to `onRevocation`; resolves once subscribed. */
  subscribe(onRevocation: (revocation: Revocation) => void): Promise<void>
  publish(revocation: Revocation): Promise<void>
  close(): Promise<void>
}

export class Revocations {
  constructor(private readonly sockets: SessionSockets, private readonly channel: RevocationChannel | null, private readonly log: Logger) {}

  async start(): Promise<void> {
    await this.channel?.subscribe((revocation) => {
      const ended = this.sockets.revoke(revocation)
      if (ended > 0) this.log.info('sockets of a revoked session closed', { why: revocation.why, sockets: ended, from: 'another instance' })
    })
  }

  /** Call after the revocation is committed, so a socket that reconnects is refused by the database. */
  async revoke(revocation: Revocation): Promise<void> {
    const ended = this.sockets.revoke(revocation)
    if (ended > 0) this.log.info('sockets of a revoked session closed', { why: revocation.why, sockets: ended })
    if (!this.channel) return
    try {
      await this.channel.publish(revocation)
    } catch (error) {
      // The session is revoked in the database whatever happens here: every request and every
      // new socket is refused. Only sockets already open on other instances live on.
      this.log.error('could not tell the other instances about a revocation', { why: revocation.why, error })
    }
  }

  async close(): Promise<void> {
    this.sockets.close()
    await this.channel?.close()
  }
}
