/**
 * onAuthenticate: resolves the token to a principal and decides, per document, whether it may
 * read and whether it may write. Refusals carry a named close reason (protocol/errors.ts).
 * The socket is registered with its session, so the session's end closes it
 * (server/revocation/); beforeHandleMessage refuses what a closing socket still sends.
 */
import type { Extension, beforeHandleMessagePayload, onAuthenticatePayload } from '@hocuspocus/server'
import { CloseCode, ParleyError, formatCloseReason, isParleyError, parseDocumentName, revocationDetail, type CloseReason, type DocumentName } from '../../protocol/index.ts'
import type { Db } from '../../db/database.ts'
import { getConversation } from '../../db/conversation.repository.ts'
import { authenticateSession, type Principal } from '../auth/principal.ts'
import type { SessionSocket, SessionSockets } from '../revocation/session-sockets.ts'

export interface ConnectionContext {
  principal: Principal
  name: DocumentName
  /** The WebSocket the document was opened on (app.ts passes it in; direct connections have none). */
  socket?: SessionSocket
}

const refuse = (close: CloseReason, message: string) => Object.assign(new Error(message), { code: close.code, reason: formatCloseReason(close, message) })

function closeFor(error: ParleyError): CloseReason {
  switch (error.code) {
    case 'token-expired': return CloseCode.tokenExpired
    case 'token-revoked': return CloseCode.tokenRevoked
    case 'not-found': return CloseCode.unknownDocument
    default: return CloseCode.unauthenticated
  }
}

export class AuthExtension implements Extension {
  priority = 1000
  extensionName = 'parley-auth'

  constructor(private readonly db: Db, private readonly serviceTokenHash: string, private readonly sockets: SessionSockets) {}

  async onAuthenticate({ token, documentName, connectionConfig, context }: onAuthenticatePayload<Partial<ConnectionContext>>): Promise<ConnectionContext> {
    const startedAt = Date.now()
    let principal: Principal
    let expiresAt: number
    let name: DocumentName
    try {
      ({ principal, expiresAt } = await authenticateSession(this.db, this.serviceTokenHash, token))
      name = parseDocumentName(documentName)
    } catch (error) {
      if (isParleyError(error)) throw refuse(closeFor(error), error.message)
      throw error
    }
    // From here on, the end of this session closes the socket (the service token never ends).
    if (principal.kind !== 'service' && context.socket) {
      const late = this.sockets.track(context.socket, { tokenHash: principal.tokenHash, agentId: principal.kind === 'agent' ? principal.agentId : null, expiresAt }, startedAt)
      if (late) throw refuse(CloseCode.tokenRevoked, revocationDetail[late.why])
    }
    connectionConfig.readOnly = await this.decide(principal, name)
    return { principal, name }
  }

  /** A socket whose session ended is closing; whatever it sent meanwhile is refused, not applied. */
  async beforeHandleMessage({ context }: beforeHandleMessagePayload<ConnectionContext>): Promise<void> {
    const ended = context.socket?.ended
    if (ended) throw { code: ended.code, reason: formatCloseReason(ended, 'this session has ended') }
  }

  /** Returns whether the connection is read-only; throws when it may not open the document at all. */
  private async decide(principal: Principal, name: DocumentName): Promise<boolean> {
    if (name.kind === 'inbox') {
      if (principal.kind === 'service') return true
      if (principal.kind !== 'agent') throw refuse(CloseCode.forbiddenConversation, 'only agents read the inbox')
      if (principal.workspaceId !== name.id) throw refuse(CloseCode.forbiddenWorkspace, 'that inbox belongs to another workspace')
      return true
    }
    if (name.kind === 'agent') {
      if (principal.kind !== 'agent' || principal.agentId !== name.id) throw refuse(CloseCode.forbiddenWorkspace, 'an agent document is its agent\'s only')
      return false
    }
    const conversation = await getConversation(this.db, name.id)
    if (!conversation) throw refuse(CloseCode.unknownDocument, 'no such conversation')
    if (name.kind === 'internal' && principal.kind === 'visitor') throw refuse(CloseCode.forbiddenConversation, 'notes and drafts are for the team only')
    switch (principal.kind) {
      case 'service':
        return false
      case 'agent':
        if (principal.workspaceId !== conversation.workspace_id) throw refuse(CloseCode.forbiddenWorkspace, 'that conversation belongs to another workspace')
        return principal.role === 'viewer'
      case 'visitor':
        if (principal.workspaceId !== conversation.workspace_id || principal.contactId !== conversation.contact_id) {
          throw refuse(CloseCode.forbiddenConversation, 'that conversation belongs to someone else')
        }
        return true
    }
  }
}
