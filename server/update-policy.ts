/**
 * Who may change what in a document, decided on the inspected update before it is applied.
 * Customers and viewers never get here: their connections are read-only.
 */
import * as v from 'valibot'
import * as Y from 'yjs'
import {
  AGENT_ROOT, AI_DRAFT_KEY, ClassificationSchema, INTERNAL_ROOT, ParleyError, ROOT, TRIAGE_CLASSIFICATION, SERVER_ONLY_META, checkMessage, checkMetaValue, findMessage, isMetaKey, metaField,
  isDraftShared, type DocumentName, type MetaKey,
} from '../protocol/index.ts'
import type { Principal } from './auth/principal.ts'
import type { Inspection } from './update-inspector.ts'

/** What the bot may set in meta: its classification and an escalation, never an assignment. */
const BOT_META: ReadonlySet<MetaKey> = new Set(['status', 'priority', 'escalationReason', 'waitingSince', 'labels', 'subject', 'updatedAt'])

const violation = (message: string, field?: string) => new ParleyError('schema-violation', message, field)

/**
 * What an erase deletes (issue 13): sent messages and notes (deleted by nothing else), and the
 * server-only contact summary and rating. Content of those sent again (an old copy of the
 * document) is refused before it is logged: the client syncs again from the server's state.
 * Other deleted values (a meta field overwritten) are left to Yjs, which skips them.
 */
export function checkResent(name: DocumentName, inspection: Inspection): void {
  for (const place of inspection.resentDeleted) {
    const erased = place.root === ROOT.messages || place.root === INTERNAL_ROOT.notes || (place.root === ROOT.meta && (place.key === 'contact' || place.key === 'csat'))
    if (erased && (name.kind === 'conversation' || name.kind === 'internal')) {
      throw new ParleyError('history-rewrite', 'the update carries content this server has erased; sync again from the server\'s state')
    }
  }
}

export function checkUpdate(principal: Principal, name: DocumentName, doc: Y.Doc, inspection: Inspection): void {
  if (principal.kind === 'visitor') throw new ParleyError('read-only', 'customers send messages through the server, not by editing the document')
  if (name.kind === 'inbox') throw new ParleyError('read-only', 'the inbox is written by the server only')
  if (name.kind === 'agent') return checkAgentDoc(inspection)
  if (name.kind === 'internal') return checkInternal(principal, doc, inspection)
  return checkConversation(principal, doc, inspection)
}

/** What a Y.Text holds: characters, formatting marks, or characters already deleted. */
const isTextContent = (content: unknown): boolean =>
  content instanceof Y.ContentString || content instanceof Y.ContentFormat || content instanceof Y.ContentDeleted

function checkAgentDoc(inspection: Inspection): void {
  const roots = new Set<string>(Object.values(AGENT_ROOT))
  for (const change of [...inspection.inserts, ...inspection.deletes]) {
    if (!roots.has(change.root)) throw violation(`unknown part "${change.root}" of an agent document`)
    if (change.nested) throw violation(`${change.root} holds plain values`, change.root)
  }
  for (const insert of inspection.inserts) {
    if (!(insert.content instanceof Y.ContentAny || insert.content instanceof Y.ContentDeleted)) throw violation(`${insert.root} holds plain values`, insert.root)
  }
}

function checkConversation(principal: Exclude<Principal, { kind: 'visitor' }>, doc: Y.Doc, inspection: Inspection): void {
  const bot = principal.kind === 'service'
  const metaKeysSet = new Set(inspection.inserts.filter((i) => i.root === ROOT.meta).map((i) => i.key))

  for (const removed of inspection.deletes) {
    switch (removed.root) {
      case ROOT.messages:
        throw new ParleyError('history-rewrite', 'a sent message cannot be deleted or rewritten; add an edit or a redaction that refers to it')
      case ROOT.meta:
        if (!metaKeysSet.has(removed.key)) throw violation(`meta.${removed.key} cannot be removed`, `meta.${removed.key}`)
        break
      case ROOT.streams:
        if (!bot) throw violation('only the bot writes streams', 'streams')
        break
      default:
        throw violation(`unknown part "${removed.root}" of a conversation`)
    }
  }

  const newIds = new Set<string>()
  const status = metaField(doc, 'status')
  for (const insert of inspection.inserts) {
    const content = insert.content
    // A value that lost a concurrent overwrite can arrive already deleted: it carries no content.
    if (content instanceof Y.ContentDeleted && insert.root !== ROOT.messages) continue
    switch (insert.root) {
      case ROOT.messages: {
        if (insert.key !== null || insert.nested || !(content instanceof Y.ContentAny)) throw violation('messages holds plain message objects only', 'messages')
        for (const value of content.arr) {
          const message = checkMessage(value)
          if (message.kind === 'note') throw violation('notes go to the internal document, which the customer never receives', 'message.kind')
          if (newIds.has(message.id) || findMessage(doc, message.id)) throw new ParleyError('conflict', `a message with id ${message.id} already exists`, 'message.id')
          newIds.add(message.id)
          if (bot) {
            if (message.author.role !== 'bot' && message.author.role !== 'system') throw violation('the bot writes as bot or system', 'message.author.role')
            if (message.author.role === 'bot' && message.kind === 'message' && status !== 'bot') throw new ParleyError('forbidden', 'a human has this conversation: the bot no longer replies', 'message')
          } else {
            if (message.author.role !== 'agent' || message.author.id !== principal.agentId) throw violation('an agent writes as themselves', 'message.author')
            if (message.kind === 'event') throw violation('events are written by the server', 'message.kind')
          }
        }
        break
      }
      case ROOT.meta: {
        const key = insert.key ?? ''
        if (insert.nested || !isMetaKey(key)) throw violation(`unknown meta field "${key}"`, `meta.${key}`)
        if (!(content instanceof Y.ContentAny) || content.arr.length !== 1) throw violation(`meta.${key} holds one plain value`, `meta.${key}`)
        const value = checkMetaValue(key, content.arr[0])
        if (SERVER_ONLY_META.has(key)) throw new ParleyError('forbidden', `meta.${key} is set by the server only`, `meta.${key}`)
        if (bot) {
          if (!BOT_META.has(key)) throw new ParleyError('forbidden', `the bot may not set meta.${key}`, `meta.${key}`)
          if (key === 'status' && (value !== 'waiting' || status !== 'bot')) throw new ParleyError('forbidden', 'the bot can only hand a bot conversation over to humans', 'meta.status')
        }
        break
      }
      case ROOT.streams:
        if (!bot) throw violation('only the bot writes streams', 'streams')
        if (!insert.nested && !(content instanceof Y.ContentType && content.type instanceof Y.Text)) throw violation('a stream is a Y.Text', 'streams')
        if (insert.nested && !isTextContent(content)) throw violation('a stream holds text', 'streams')
        break
      default:
        throw violation(`unknown part "${insert.root}" of a conversation`)
    }
  }
}

function checkInternal(principal: Exclude<Principal, { kind: 'visitor' }>, doc: Y.Doc, inspection: Inspection): void {
  const self = principal.kind === 'service' ? null : principal.agentId
  for (const removed of inspection.deletes) {
    if (removed.root === INTERNAL_ROOT.notes) throw new ParleyError('history-rewrite', 'a note cannot be deleted or rewritten; add a note that refers to it')
    if (removed.root === INTERNAL_ROOT.drafts) checkDraftWriter(self, doc, removed.key, removed.nested, true)
    else if (removed.root === INTERNAL_ROOT.draftSharing) checkSharingWriter(self, removed.key)
    else if (removed.root !== INTERNAL_ROOT.triage) throw violation(`unknown part "${removed.root}" of a conversation's internal document`)
  }
  const newIds = new Set<string>()
  const existing = new Set(doc.getArray<{ id: string }>(INTERNAL_ROOT.notes).toArray().map((n) => n.id))
  for (const insert of inspection.inserts) {
    const content = insert.content
    // Deleted content shows nothing to anyone: a co-editor's typed-then-erased text may arrive after
    // the author closed co-editing, and refusing it would only loop the reconnecting client.
    if (content instanceof Y.ContentDeleted && (insert.root === INTERNAL_ROOT.drafts || insert.root === INTERNAL_ROOT.triage || insert.root === INTERNAL_ROOT.draftSharing)) continue
    if (insert.root === INTERNAL_ROOT.triage) {
      if (insert.key !== TRIAGE_CLASSIFICATION || insert.nested || !(content instanceof Y.ContentAny) || content.arr.length !== 1) throw violation('triage holds one classification', 'triage')
      if (!v.is(ClassificationSchema, content.arr[0])) throw violation('triage.classification is not a classification', 'triage.classification')
      continue
    }
    if (insert.root === INTERNAL_ROOT.drafts) {
      if (!insert.nested && !(content instanceof Y.ContentType && content.type instanceof Y.Text)) throw violation('a draft is a Y.Text', 'drafts')
      if (insert.nested && !(content instanceof Y.ContentString || content instanceof Y.ContentFormat)) throw violation('a draft holds text', 'drafts')
      checkDraftWriter(self, doc, insert.key, insert.nested, false)
      continue
    }
    if (insert.root === INTERNAL_ROOT.draftSharing) {
      checkSharingWriter(self, insert.key)
      if (insert.nested || !(content instanceof Y.ContentAny) || content.arr.length !== 1 || content.arr[0] !== true) throw violation('draftSharing holds true for a shared draft', 'draftSharing')
      continue
    }
    if (insert.root !== INTERNAL_ROOT.notes) throw violation(`unknown part "${insert.root}" of a conversation's internal document`)
    if (insert.key !== null || insert.nested || !(content instanceof Y.ContentAny)) throw violation('notes holds plain note objects only', 'notes')
    for (const value of content.arr) {
      const note = checkMessage(value)
      if (note.kind !== 'note') throw violation('an internal note has kind "note"', 'message.kind')
      if (newIds.has(note.id) || existing.has(note.id)) throw new ParleyError('conflict', `a note with id ${note.id} already exists`, 'message.id')
      newIds.add(note.id)
      const own = principal.kind === 'service' ? note.author.role === 'bot' : note.author.role === 'agent' && note.author.id === principal.agentId
      if (!own) throw violation('a note is written as its author', 'message.author')
    }
  }
}

/**
 * Drafts are keyed by their author (issue 17): an agent writes their own draft, and another's only
 * as text inside it (never the draft itself) while its author has opened co-editing. The AI's
 * suggestion is written by the bot (the service principal) alone; an agent may only discard it.
 * `agentId` is null for the service principal.
 */
function checkDraftWriter(agentId: string | null, doc: Y.Doc, key: string | null, nested: boolean, deleting: boolean): void {
  if (key === null) throw violation('a draft lives under its author\'s key', 'drafts')
  if (agentId === null) {
    if (key !== AI_DRAFT_KEY) throw new ParleyError('forbidden', 'the bot writes only the AI suggestion', `drafts.${key}`)
    return
  }
  if (key === agentId) return
  if (key === AI_DRAFT_KEY) {
    if (deleting) return
    throw new ParleyError('forbidden', 'the AI suggestion is written by the bot; insert it into your own draft', `drafts.${key}`)
  }
  if (nested && isDraftShared(doc, key)) return
  throw new ParleyError('forbidden', 'a draft is written by its author, or by others once the author opens it for editing together', `drafts.${key}`)
}

function checkSharingWriter(agentId: string | null, key: string | null): void {
  if (agentId === null || key !== agentId) throw new ParleyError('forbidden', 'only its author opens a draft for editing together', `draftSharing.${key ?? ''}`)
}
