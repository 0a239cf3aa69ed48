/** Every error the system reports has one of these codes; the edge maps them to HTTP statuses or close codes. */
export type ErrorCode =
  | 'bad-request'
  | 'unauthenticated'
  | 'token-expired'
  | 'token-revoked'
  | 'forbidden'
  | 'forbidden-workspace'
  | 'forbidden-conversation'
  | 'read-only'
  | 'not-found'
  | 'conflict'
  | 'rate-limited'
  | 'payload-too-large'
  | 'malformed-update'
  | 'schema-violation'
  | 'history-rewrite'
  | 'storage-failed'
  | 'internal'

export class ParleyError extends Error {
  readonly code: ErrorCode
  /** Dotted path of the offending field, when the error is about one field of an input. */
  readonly field?: string

  constructor(code: ErrorCode, message: string, field?: string) {
    super(message)
    this.name = 'ParleyError'
    this.code = code
    if (field !== undefined) this.field = field
  }
}

export const isParleyError = (error: unknown): error is ParleyError => error instanceof ParleyError

/** A refusal for going over a rate limit; says when trying again will work (HTTP: `Retry-After`). */
export class RateLimitedError extends ParleyError {
  readonly retryAfterSeconds: number

  constructor(message: string, retryAfterSeconds: number) {
    super('rate-limited', message)
    this.name = 'RateLimitedError'
    this.retryAfterSeconds = retryAfterSeconds
  }
}

/** JSON body of every HTTP error. */
export interface ErrorBody {
  error: { code: ErrorCode; message: string; field?: string; retryAfterSeconds?: number }
}

/**
 * WebSocket close codes (4000–4999 are free for applications). Refusals at authentication
 * arrive at the provider as `authenticationFailed` with the `reason`; refusals of an update
 * close that document's connection with the code.
 */
export const CloseCode = {
  unauthenticated: { code: 4401, reason: 'unauthenticated' },
  tokenExpired: { code: 4402, reason: 'token-expired' },
  tokenRevoked: { code: 4405, reason: 'token-revoked' },
  forbiddenWorkspace: { code: 4403, reason: 'forbidden-workspace' },
  forbiddenConversation: { code: 4404, reason: 'forbidden-conversation' },
  readOnly: { code: 4406, reason: 'read-only' },
  unknownDocument: { code: 4410, reason: 'unknown-document' },
  malformedUpdate: { code: 4422, reason: 'malformed-update' },
  schemaViolation: { code: 4423, reason: 'schema-violation' },
  historyRewrite: { code: 4424, reason: 'history-rewrite' },
  rateLimited: { code: 4429, reason: 'rate-limited' },
  storageFailed: { code: 4500, reason: 'storage-failed' },
  messageTooBig: { code: 1009, reason: 'message-too-big' },
  /** 1012 "service restart": reconnect (and be authorised again); the provider does so by itself. */
  roleChanged: { code: 1012, reason: 'role-changed' },
} as const satisfies Record<string, { code: number; reason: ErrorCode | 'unknown-document' | 'message-too-big' | 'role-changed' }>

export type CloseReason = (typeof CloseCode)[keyof typeof CloseCode]

/**
 * Hocuspocus carries only a reason string to the provider (its per-document close message and
 * its authentication refusal have no numeric code), so the reason spells both: "4424 history-rewrite: …".
 */
export const formatCloseReason = (close: CloseReason, detail?: string): string =>
  `${close.code} ${close.reason}${detail ? `: ${detail}` : ''}`.slice(0, 120)

export function parseCloseReason(reason: string): { code: number; name: string; detail: string } | null {
  const match = /^(\d{4}) ([a-z-]+)(?:: (.*))?$/s.exec(reason)
  return match ? { code: Number(match[1]), name: match[2] as string, detail: match[3] ?? '' } : null
}
