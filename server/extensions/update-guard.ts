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
import { checkUpdate } from '../update-policy.ts'
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

export class UpdateGuardExtension implements Extension {
  priority = 900
  extensionName = 'parley-update-guard'
  refused = 0

  constructor(private readonly maxUpdateBytes: number, private readonly log: Logger, private readonly metrics?: Metrics) {}

  async beforeSync({ type, payload, connection, document, context }: beforeSyncPayload<ConnectionContext>): Promise<void> {
    if ((type !== SYNC_STEP_2 && type !== SYNC_UPDATE) || connection.readOnly) return
    try {
      if (payload.length > this.maxUpdateBytes) throw Object.assign(new Error(`update of ${payload.length} bytes is over the ${this.maxUpdateBytes}-byte limit`), { code: 'payload-too-large' })
      const inspection = inspectUpdate(document, payload)
      if (!inspection.empty) checkUpdate(context.principal, context.name, document, inspection)
      inspections.set(payload, inspection)
    } catch (error) {
      const code = isParleyError(error) || (error as { code?: string }).code ? String((error as { code: string }).code) : 'malformed-update'
      const close = CLOSE_FOR[code] ?? CloseCode.malformedUpdate
      this.refused += 1
      this.metrics?.refusedUpdates.inc({ close_code: close.code })
      this.log.warn('update refused', { document: document.name, code, reason: (error as Error).message, principal: context.principal.kind })
      throw { code: close.code, reason: formatCloseReason(close, (error as Error).message) }
    }
  }
}
