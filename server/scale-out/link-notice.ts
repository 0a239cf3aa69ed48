/**
 * Tells the agents connected to this instance when its link to the other instances (Redis) is
 * down, and when it is back (issue 20: "while Redis is down, say so … the agent app's status line
 * if delivery to other instances is affected"). Their changes are still stored and acknowledged
 * here; teammates and customers on other instances get them once the link returns. Sent as a
 * stateless message on the inbox document, which every signed-in agent app keeps open.
 */
import type { Extension, Hocuspocus, connectedPayload } from '@hocuspocus/server'
import { parseDocumentName, type StatelessReply } from '../../protocol/index.ts'
import type { RedisHealth } from './redis-health.ts'

const notice = (state: 'ok' | 'degraded'): string => JSON.stringify({ type: 'server-link', state } satisfies StatelessReply)

const isInbox = (name: string): boolean => { try { return parseDocumentName(name).kind === 'inbox' } catch { return false } }

export class LinkNoticeExtension implements Extension {
  priority = 90
  extensionName = 'parley-link-notice'
  private readonly stops: (() => void)[] = []

  constructor(private readonly health: RedisHealth, getHocuspocus: () => Hocuspocus) {
    const broadcast = (state: 'ok' | 'degraded') => {
      for (const [name, document] of getHocuspocus().documents) if (isInbox(name)) document.broadcastStateless(notice(state))
    }
    this.stops.push(health.onLost(() => broadcast('degraded')), health.onRecovered(() => broadcast('ok')))
  }

  /** An agent connecting during an outage hears of it at once. */
  async connected({ connection, documentName }: connectedPayload): Promise<void> {
    if (this.health.isDown() && isInbox(documentName)) connection.sendStateless(notice('degraded'))
  }

  async onDestroy(): Promise<void> { for (const stop of this.stops) stop() }
}
