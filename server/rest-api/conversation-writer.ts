/**
 * The REST writes (issue 16), made the way the agent app makes them: the same meta patches
 * (protocol/conversation-actions.ts), the same messages, written into the documents and checked
 * by the update guard's policy for the agent they are made as (guarded-change.ts). Every write is
 * idempotent by the client's id: a message or note by its id in the document, a conversation or
 * contact by its row id, any other action by its id in api_actions.
 */
import * as Y from 'yjs'
import {
  ParleyError, appendMessage, appendNote, findMessage, formatConversationName, formatInternalName, getNotes, readMeta, replyPatch, updateMeta,
  type ConversationMeta, type Message,
} from '../../protocol/index.ts'
import { claimApiAction, completeApiAction, releaseApiAction } from '../../db/api-action.repository.ts'
import { getWorkspaceAgent } from '../../db/agent.repository.ts'
import type { Principal } from '../auth/principal.ts'
import type { Services } from '../services.ts'
import { changeAs } from './guarded-change.ts'

export type AgentPrincipal = Extract<Principal, { kind: 'agent' }>

export class ConversationWriter {
  constructor(private readonly services: Services, private readonly durability: Parameters<typeof changeAs>[1]) {}

  /** Whom a write is made as: the caller, or (for an API key) another working agent of the workspace it names. */
  async authorOf(me: AgentPrincipal, agentId: string | undefined): Promise<AgentPrincipal> {
    if (!agentId || agentId === me.agentId) return me
    if (!me.apiKeyId) throw new ParleyError('forbidden', 'agentId: a signed-in agent writes as themselves', 'agentId')
    const agent = await getWorkspaceAgent(this.services.db, me.workspaceId, agentId)
    if (!agent || agent.active !== 1 || agent.role === 'viewer') throw new ParleyError('bad-request', 'agentId: no working agent of this workspace has this id', 'agentId')
    return { ...me, agentId: agent.id, name: agent.name }
  }

  /** A reply (the customer sees it as any agent's) or a private note. A retry with the same id returns the first. */
  async postMessage(author: AgentPrincipal, conversationId: string, input: { id: string; text: string; kind?: 'message' | 'note' }): Promise<{ message: Message; duplicate: boolean }> {
    const now = Date.now()
    const message: Message = { id: input.id, author: { role: 'agent', id: author.agentId, name: author.name }, kind: input.kind ?? 'message', text: input.text, attachments: [], createdAt: now }
    const sameAuthor = (existing: Message) => {
      if (existing.author.role !== 'agent' || existing.author.id !== author.agentId || existing.kind !== message.kind) throw new ParleyError('conflict', 'id: a message with this id exists', 'id')
      return { message: existing, duplicate: true }
    }
    if (message.kind === 'note') {
      return changeAs(this.services.hocuspocus, this.durability, author, formatInternalName(conversationId), (doc) => {
        const existing = getNotes(doc).toArray().find((n) => n.id === message.id)
        if (existing) return { result: sameAuthor(existing) }
        return { result: { message, duplicate: false }, mutate: (copy) => { appendNote(copy, message) } }
      })
    }
    return changeAs(this.services.hocuspocus, this.durability, author, formatConversationName(conversationId), (doc) => {
      const existing = findMessage(doc, message.id)
      if (existing) return { result: sameAuthor(existing) }
      return { result: { message, duplicate: false }, mutate: (copy) => copy.transact(() => { appendMessage(copy, message); updateMeta(copy, { updatedAt: now }) }) }
    }).then(async (posted) => {
      // As in the app: a reply takes an unassigned conversation, through routing, which decides
      // who has it (issue 12: the assignee is the server's; a teammate who took it first keeps it).
      if (!posted.duplicate) await this.takeIfUnassigned(author, conversationId)
      return posted
    })
  }

  /** The author takes the conversation when nobody has it and it is not resolved (replyPatch says when). */
  private async takeIfUnassigned(author: AgentPrincipal, conversationId: string): Promise<void> {
    const meta = await this.services.conversations.change(conversationId, (doc) => readMeta(doc))
    if (replyPatch(meta, author.agentId, Date.now()).assignee) await this.services.routing.assignments.take(author, conversationId)
  }

  /** Assign (an agent gets it at once), transfer (to another) or unassign (back to its queue): routing decides, once per client id. */
  async route(me: AgentPrincipal, conversationId: string, action: string, clientId: string, request: unknown, assignee: string | null): Promise<Partial<ConversationMeta>> {
    return this.once(me, clientId, `${action}:${conversationId}`, request, async () => {
      const current = await this.services.routing.assignments.routingOf(me.workspaceId, conversationId)
      if (current.assignee_id !== assignee) {
        if (assignee === me.agentId && !current.assignee_id) {
          const took = await this.services.routing.assignments.take(me, conversationId)
          if (!took.taken) throw new ParleyError('conflict', `${took.assignee?.name ?? 'a teammate'} has this conversation`, 'assignee')
        } else {
          await this.services.routing.assignments.transfer(me, conversationId, { agentId: assignee })
        }
      }
      return this.services.conversations.change(conversationId, (doc) => readMeta(doc))
    })
  }

  /** A meta action (assign, priority, labels, status, snooze, resolve), once per client id. */
  async act(me: AgentPrincipal, conversationId: string, action: string, clientId: string, request: unknown, patchOf: (meta: Partial<ConversationMeta>, now: number) => Partial<ConversationMeta>): Promise<Partial<ConversationMeta>> {
    return this.once(me, clientId, `${action}:${conversationId}`, request, () => changeAs(this.services.hocuspocus, this.durability, me, formatConversationName(conversationId), (doc) => ({
      mutate: (copy: Y.Doc) => updateMeta(copy, patchOf(readMeta(copy), Date.now())),
      after: (live: Y.Doc) => readMeta(live),
    })))
  }

  async assign(me: AgentPrincipal, conversationId: string, clientId: string, assignee: string | null): Promise<Partial<ConversationMeta>> {
    if (assignee) {
      const agent = await getWorkspaceAgent(this.services.db, me.workspaceId, assignee)
      if (!agent || agent.active !== 1 || agent.role === 'viewer') throw new ParleyError('bad-request', 'assignee: no working agent of this workspace has this id', 'assignee')
    }
    return this.route(me, conversationId, 'assign', clientId, { assignee }, assignee)
  }

  /** Runs `run` once per (workspace, client id); a retry gets the stored answer, another action with the id a conflict. */
  private async once<T>(me: AgentPrincipal, clientId: string, action: string, request: unknown, run: () => Promise<T>): Promise<T> {
    const db = this.services.db
    const key = `${me.workspaceId}:${clientId}`
    const requestText = JSON.stringify(request)
    const claim = await claimApiAction(db, { key, workspace_id: me.workspaceId, action, request: requestText })
    if (!claim.first) {
      if (claim.action !== action || claim.request !== requestText) throw new ParleyError('conflict', 'id: this id was used for another action', 'id')
      if (claim.response === null) throw new ParleyError('conflict', 'id: the action with this id is still being made; retry in a moment', 'id')
      return JSON.parse(claim.response) as T
    }
    try {
      const result = await run()
      await completeApiAction(db, key, JSON.stringify(result))
      return result
    } catch (error) {
      await releaseApiAction(db, key)
      throw error
    }
  }
}
