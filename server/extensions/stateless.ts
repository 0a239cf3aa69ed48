/**
 * Stateless messages on a conversation: the customer send path over the socket the widget
 * already has open, and typing indicators. Each is validated like an HTTP body.
 */
import type { Extension, onStatelessPayload } from '@hocuspocus/server'
import { RateLimitedError, StatelessMessage, formatContactName, isParleyError, parseInput, type StatelessReply } from '../../protocol/index.ts'
import type { Db } from '../../db/database.ts'
import { getContact } from '../../db/contact.repository.ts'
import type { ConversationService } from '../conversation-service.ts'
import type { ClientRequest } from '../rate-limits/client-ip.ts'
import type { WidgetLimits } from '../rate-limits/widget-limits.ts'
import type { Logger } from '../log.ts'
import type { ConnectionContext } from './auth.ts'

export class StatelessExtension implements Extension {
  priority = 400
  extensionName = 'parley-stateless'

  constructor(private readonly db: Db, private readonly conversations: ConversationService, private readonly limits: WidgetLimits, private readonly log: Logger) {}

  async onStateless({ connection, document, payload }: onStatelessPayload): Promise<void> {
    const context = connection.context as ConnectionContext
    const reply = (message: StatelessReply) => connection.sendStateless(JSON.stringify(message))
    let message: StatelessMessage
    try {
      message = parseInput(StatelessMessage, JSON.parse(payload))
    } catch (error) {
      reply({ type: 'customer-message-result', id: '', ok: false, error: { code: 'bad-request', message: isParleyError(error) ? error.message : 'not JSON' } })
      return
    }
    const principal = context.principal
    if (message.type === 'customer-message') {
      if (principal.kind !== 'visitor' || context.name.kind !== 'conversation') {
        reply({ type: 'customer-message-result', id: message.message.id, ok: false, error: { code: 'forbidden', message: 'customers only' } })
        return
      }
      try {
        // The same message limits as the HTTP send path: the socket is not a way around them.
        const ip = (connection.request as ClientRequest | undefined)?.clientIp
        await this.limits.take('messages', { visitor: principal.contactId, ...(ip ? { ip } : {}), site: principal.workspaceId })
        const contact = await getContact(this.db, principal.workspaceId, principal.contactId)
        const result = await this.conversations.sendCustomerMessage({ ...principal, name: formatContactName(contact ? { id: contact.id, name: contact.name ?? undefined, email: contact.email ?? undefined } : { id: principal.contactId }) }, context.name.id, message.message)
        reply({ type: 'customer-message-result', id: result.message.id, ok: true, duplicate: result.duplicate })
      } catch (error) {
        if (!isParleyError(error)) this.log.error('customer message over the socket failed', { error })
        const e = isParleyError(error)
          ? { code: error.code, message: error.message, ...(error.field ? { field: error.field } : {}), ...(error instanceof RateLimitedError ? { retryAfterSeconds: error.retryAfterSeconds } : {}) }
          : { code: 'internal', message: 'internal error' }
        reply({ type: 'customer-message-result', id: message.message.id, ok: false, error: e })
      }
      return
    }
    const role = principal.kind === 'visitor' ? 'customer' : principal.kind === 'service' ? 'bot' : 'agent'
    const name = principal.kind === 'agent' ? principal.name : principal.kind === 'service' ? 'Bot' : 'Customer'
    if (message.type === 'typing') {
      document.broadcastStateless(JSON.stringify({ type: 'typing', role, name, typing: message.typing } satisfies StatelessReply))
    }
    // "Seen": how many messages a peer has looked at, relayed to the others (the widget shows it).
    if (message.type === 'seen') {
      document.broadcastStateless(JSON.stringify({ type: 'seen', role, name, count: message.count } satisfies StatelessReply))
    }
  }
}
