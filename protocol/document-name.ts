import { ParleyError } from './errors.ts'

/**
 * The kinds of synced document, named `<kind>:<id>`. A conversation has two: `conversation:<id>`,
 * which its customer reads, and `internal:<id>` (notes and drafts), which only the team and the
 * bot can open — Yjs sends a peer the whole document, so what a customer must not see cannot
 * live in the document they read.
 */
export type DocumentName =
  | { kind: 'conversation'; id: string }
  | { kind: 'internal'; id: string }
  | { kind: 'inbox'; id: string; generation: number }
  | { kind: 'agent'; id: string }

const ID = /^[A-Za-z0-9_-]{1,64}$/

export const formatConversationName = (id: string): string => `conversation:${id}`
export const formatInternalName = (conversationId: string): string => `internal:${conversationId}`
/**
 * A workspace's inbox, `inbox:<workspace>`, then `inbox:<workspace>.<generation>` once it has been
 * rotated: a fresh document holding only the working set, so the tombstones of every conversation
 * that ever left the inbox stop growing it (server/inbox-rotation/). Readers follow `movedTo`.
 */
export const formatInboxName = (workspaceId: string, generation = 0): string => (generation > 0 ? `inbox:${workspaceId}.${generation}` : `inbox:${workspaceId}`)
const INBOX_ID = /^([A-Za-z0-9_-]{1,64})(?:\.([1-9][0-9]{0,8}))?$/
export const formatAgentName = (agentId: string): string => `agent:${agentId}`

export function parseDocumentName(name: string): DocumentName {
  const colon = name.indexOf(':')
  const kind = name.slice(0, colon)
  const id = name.slice(colon + 1)
  if (kind === 'inbox' && colon > 0) {
    const match = INBOX_ID.exec(id)
    if (match) return { kind, id: match[1]!, generation: match[2] ? Number(match[2]) : 0 }
  }
  if (colon < 0 || !ID.test(id)) throw new ParleyError('not-found', `unknown document "${name}"`)
  if (kind === 'inbox') return { kind, id, generation: 0 }
  if (kind === 'conversation' || kind === 'internal' || kind === 'agent') return { kind, id }
  throw new ParleyError('not-found', `unknown document kind "${kind}"`)
}

/**
 * How deep types nest in any Parley document: a root (1), a Y.Text in a map (2: streams,
 * drafts), its text (3), with one level to spare. The update guard refuses anything deeper
 * (4423): our schemas never need it, and inspecting deep nesting was the costliest attack.
 */
export const MAX_NESTING_DEPTH = 4
