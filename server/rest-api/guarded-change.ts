/**
 * A server-side write held to the same rules as a client's: the change is made on a copy of the
 * document, encoded as the update a client would send, inspected and checked by the update guard's
 * policy for the principal it is made for (server/update-policy.ts), and only then applied to the
 * live document, which delivers it to every connected peer. An API write therefore can do nothing
 * the agent could not do from the app, and looks the same to every reader.
 */
import type { Hocuspocus } from '@hocuspocus/server'
import * as Y from 'yjs'
import { parseDocumentName } from '../../protocol/index.ts'
import type { Principal } from '../auth/principal.ts'
import { SERVER_ORIGIN } from '../conversation-service.ts'
import type { DurabilityExtension } from '../extensions/durability.ts'
import { inspectUpdate } from '../update-inspector.ts'
import { checkUpdate } from '../update-policy.ts'

export interface GuardedChange<T> {
  /** Reads the live document and decides; returns what to answer, and the change to make (none: nothing to write). */
  (doc: Y.Doc): { result?: T; mutate?: (copy: Y.Doc) => void; after?: (doc: Y.Doc) => T }
}

export async function changeAs<T>(hocuspocus: Hocuspocus, durability: DurabilityExtension, principal: Exclude<Principal, { kind: 'visitor' }>, documentName: string, change: GuardedChange<T>): Promise<T> {
  const connection = await hocuspocus.openDirectConnection(documentName, { internal: 'server' })
  try {
    let result!: T
    await connection.transact((doc) => {
      const planned = change(doc)
      result = planned.result as T
      if (!planned.mutate) { if (planned.after) result = planned.after(doc); return }
      const copy = new Y.Doc()
      Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc))
      const before = Y.encodeStateVector(copy)
      planned.mutate(copy)
      const update = Y.encodeStateAsUpdate(copy, before)
      const inspection = inspectUpdate(doc, update)
      if (!inspection.empty) checkUpdate(principal, parseDocumentName(documentName), doc, inspection)
      Y.applyUpdate(doc, update, SERVER_ORIGIN)
      copy.destroy()
      if (planned.after) result = planned.after(doc)
    })
    // Answered only once the change is in the update log, as a client's update is acknowledged.
    await durability.flush(documentName)
    return result
  } finally {
    await connection.disconnect({ unloadImmediately: false })
  }
}
