/**
 * The contacts API (issue 13): list and search, create, read with history, edit, merge, and the
 * workspace's attribute definitions. Every route reads the caller's workspace from their token;
 * viewers read, agents write contacts and merge, admins define attributes.
 */
import {
  AttributeDefinitionBody, AttributeDefinitionPatchBody, ContactConversationsQuery, ContactCreateBody, ContactListQuery, ContactPatchBody, MergeContactsBody, MergePreviewQuery,
  ParleyError, createId, parseInput,
} from '../../protocol/index.ts'
import {
  createAttributeDefinition, deleteAttributeDefinition, listAttributeDefinitions, updateAttributeDefinition,
} from '../../db/contact-attribute.repository.ts'
import { listMergesInto, mergeContacts } from '../../db/contact-merge.repository.ts'
import { searchContacts } from '../../db/contact-search.repository.ts'
import { createContact, findContactByExternalId, getContact, resolveContact, updateContact } from '../../db/contact.repository.ts'
import { listConversations } from '../../db/conversation.repository.ts'
import { publicConversation } from '../http/conversations.routes.ts'
import { agentOf } from '../http/principal.ts'
import { Reply, type RequestContext, type Router } from '../http/router.ts'
import type { Services } from '../services.ts'
import { recordContactEvent } from '../webhooks/contact-events.ts'
import { decideMerge, mergeConflicts, profileChanges, syncConversationSummaries, toContactRecord, toContactRecords } from './contact-service.ts'

export function addContactRoutes(router: Router, services: Services): void {
  const live = async (workspaceId: string, id: string) => {
    const contact = await resolveContact(services.db, workspaceId, id)
    if (!contact) throw new ParleyError('not-found', 'no such contact')
    return contact
  }

  router.add('GET', '/api/contacts', async (ctx) => {
    const me = await agentOf(services, ctx)
    const { fixed, attributes } = splitQuery(ctx.query)
    const query = parseInput(ContactListQuery, fixed)
    const definitions = Object.keys(attributes).length > 0 ? await listAttributeDefinitions(services.db, me.workspaceId) : []
    const page = await searchContacts(services.db, me.workspaceId, { ...query, attributes }, definitions)
    return { items: await toContactRecords(services, me.workspaceId, page.items), nextCursor: page.nextCursor }
  }, { summary: 'List and search contacts (`q` full text; `attr.<key>=<value>` filters on an attribute, up to 10)', tag: 'Contacts', auth: 'viewer', query: ContactListQuery })

  /**
   * The one create of a contact, for the app and for other systems: idempotent by the `id` a
   * caller gives (asked again, the contact as it is now, 200), `externalId` unique in the workspace.
   */
  router.add('POST', '/api/contacts', async (ctx) => {
    const me = await agentOf(services, ctx, 'agent')
    const body = parseInput(ContactCreateBody, await ctx.body())
    const { id: givenId, externalId, ...profile } = body
    const again = async () => {
      const existing = givenId ? await getContact(services.db, me.workspaceId, givenId) : undefined
      return existing ? toContactRecords(services, me.workspaceId, [existing]).then(([record]) => record) : undefined
    }
    const repeated = await again()
    if (repeated) return repeated
    if (externalId && (await findContactByExternalId(services.db, me.workspaceId, externalId))) throw new ParleyError('conflict', 'externalId: another contact has this external id', 'externalId')
    const changes = await profileChanges(services, me.workspaceId, null, profile)
    const { last_seen_at: _seen, ...input } = changes
    const contact = await createContact(services.db, { id: givenId ?? createId('v'), workspace_id: me.workspaceId, ...input, ...(externalId ? { external_id: externalId } : {}) })
      .catch(async (error: unknown) => {
        if (!givenId) throw error
        // The same create racing itself: the other one won, and this is its repeat. Any other owner of the id: a conflict.
        const raced = await again()
        if (raced) return null
        throw new ParleyError('conflict', 'id: this contact id is taken', 'id')
      })
    if (!contact) return (await again())!
    await recordContactEvent(services, 'contact.created', contact)
    return new Reply(201, toContactRecord(contact))
  }, { summary: 'Create a contact (idempotent by the `id` you give; `externalId` unique in the workspace)', tag: 'Contacts', auth: 'agent', body: ContactCreateBody, status: 201 })

  /** The contact (the live one, when this id was merged into another) with its latest conversations. */
  router.add('GET', '/api/contacts/:id', async (ctx) => {
    const me = await agentOf(services, ctx)
    const contact = await live(me.workspaceId, ctx.params.id as string)
    const [record] = await toContactRecords(services, me.workspaceId, [contact])
    const conversations = await listConversations(services.db, { workspaceId: me.workspaceId, contactId: contact.id, limit: 50 })
    return { ...record, conversations: conversations.items.map(publicConversation), conversationsCursor: conversations.nextCursor }
  }, { summary: 'A contact (the live one when this id was merged into another) with its latest conversations', tag: 'Contacts', auth: 'viewer' })

  /** History: every conversation of the contact, newest first, paged. */
  router.add('GET', '/api/contacts/:id/conversations', async (ctx) => {
    const me = await agentOf(services, ctx)
    const contact = await live(me.workspaceId, ctx.params.id as string)
    const query = parseInput(ContactConversationsQuery, ctx.query)
    const page = await listConversations(services.db, { workspaceId: me.workspaceId, contactId: contact.id, limit: query.limit ?? 50, ...(query.cursor ? { cursor: query.cursor } : {}) })
      .catch((error: Error & { field?: string }) => { throw error.field === 'cursor' ? new ParleyError('bad-request', error.message, 'cursor') : error })
    return { items: page.items.map(publicConversation), nextCursor: page.nextCursor }
  }, { summary: 'Every conversation of the contact, newest first, paged', tag: 'Contacts', auth: 'viewer', query: ContactConversationsQuery })

  router.add('PATCH', '/api/contacts/:id', async (ctx) => {
    const me = await agentOf(services, ctx, 'agent')
    const body = parseInput(ContactPatchBody, await ctx.body())
    const current = await live(me.workspaceId, ctx.params.id as string)
    const updated = (await updateContact(services.db, me.workspaceId, current.id, await profileChanges(services, me.workspaceId, current, body)))!
    if (updated.name !== current.name || updated.email !== current.email) await syncConversationSummaries(services, updated)
    await recordContactEvent(services, 'contact.updated', updated, current)
    const [record] = await toContactRecords(services, me.workspaceId, [updated])
    return record
  }, { summary: 'Edit a contact (a null attribute value removes it)', tag: 'Contacts', auth: 'agent', body: ContactPatchBody })

  /** What a merge of `sourceId` into this contact would have to decide: the fields the two disagree on. */
  router.add('GET', '/api/contacts/:id/merge-preview', async (ctx) => {
    const me = await agentOf(services, ctx, 'agent')
    const { sourceId } = parseInput(MergePreviewQuery, ctx.query)
    const target = await live(me.workspaceId, ctx.params.id as string)
    const source = await getContact(services.db, me.workspaceId, sourceId)
    if (!source || source.merged_into) throw new ParleyError('not-found', source ? `sourceId: that contact was merged into ${source.merged_into} already` : 'sourceId: no such contact', 'sourceId')
    if (source.id === target.id) throw new ParleyError('bad-request', 'sourceId: a contact cannot be merged into itself', 'sourceId')
    const [t, s] = await toContactRecords(services, me.workspaceId, [target, source])
    return { target: t, source: s, conflicts: mergeConflicts(source, target) }
  }, { summary: 'What merging `sourceId` into this contact would have to decide: the fields the two disagree on', tag: 'Contacts', auth: 'agent', query: MergePreviewQuery })

  router.add('POST', '/api/contacts/:id/merge', async (ctx) => {
    const me = await agentOf(services, ctx, 'agent')
    const body = parseInput(MergeContactsBody, await ctx.body())
    const targetId = ctx.params.id as string
    const targetBefore = await getContact(services.db, me.workspaceId, targetId)
    const outcome = await mergeContacts(services.db, {
      workspaceId: me.workspaceId, sourceId: body.sourceId, targetId, actorId: me.agentId,
      decide: (source, target) => decideMerge(source, target, body.resolution ?? {}),
    })
    // After the commit: the moved conversations' summaries name the merged contact. Asked again,
    // the merge answers from its audit row and repeats this, which repairs a summary a crash missed.
    await syncConversationSummaries(services, outcome.target, outcome.movedConversationIds)
    // The survivor took the merged record's fields: an update for receivers (the merged record is gone from lists).
    if (!outcome.alreadyMerged && targetBefore) await recordContactEvent(services, 'contact.updated', outcome.target, targetBefore)
    if (!outcome.alreadyMerged) services.log.info('contacts merged', { workspaceId: me.workspaceId, sourceId: body.sourceId, targetId, actorId: me.agentId, conversations: outcome.merge.conversations })
    const [record] = await toContactRecords(services, me.workspaceId, [outcome.target])
    return { contact: record, merge: publicMerge(outcome.merge), alreadyMerged: outcome.alreadyMerged }
  }, { summary: 'Merge another contact into this one (its conversations and sessions move here; idempotent)', tag: 'Contacts', auth: 'agent', body: MergeContactsBody })

  /** The audit of merges into this contact. */
  router.add('GET', '/api/contacts/:id/merges', async (ctx) => {
    const me = await agentOf(services, ctx)
    const contact = await live(me.workspaceId, ctx.params.id as string)
    return { items: (await listMergesInto(services.db, me.workspaceId, contact.id)).map(publicMerge) }
  }, { summary: 'The audit of merges into this contact', tag: 'Contacts', auth: 'viewer' })

  router.add('GET', '/api/contact-attributes', async (ctx) => {
    const me = await agentOf(services, ctx)
    return { items: await listAttributeDefinitions(services.db, me.workspaceId) }
  }, { summary: 'The workspace\'s contact attribute definitions', tag: 'Contacts', auth: 'viewer' })

  router.add('POST', '/api/contact-attributes', async (ctx) => {
    const me = await agentOf(services, ctx, 'admin')
    const body = parseInput(AttributeDefinitionBody, await ctx.body())
    const options = [...new Set(body.options ?? [])]
    if (body.type === 'list' && options.length === 0) throw new ParleyError('bad-request', 'options: a list attribute needs at least one option', 'options')
    if (body.type !== 'list' && options.length > 0) throw new ParleyError('bad-request', 'options: only a list attribute has options', 'options')
    return new Reply(201, await createAttributeDefinition(services.db, me.workspaceId, { key: body.key, label: body.label, type: body.type, options }))
  }, { summary: 'Define a contact attribute', tag: 'Contacts', auth: 'admin', body: AttributeDefinitionBody, status: 201 })

  router.add('PATCH', '/api/contact-attributes/:key', async (ctx) => {
    const me = await agentOf(services, ctx, 'admin')
    const body = parseInput(AttributeDefinitionPatchBody, await ctx.body())
    const key = ctx.params.key as string
    const current = (await listAttributeDefinitions(services.db, me.workspaceId)).find((d) => d.key === key)
    if (!current) throw new ParleyError('not-found', 'no such attribute')
    if (body.options !== undefined && current.type !== 'list') throw new ParleyError('bad-request', 'options: only a list attribute has options', 'options')
    if (body.options !== undefined && body.options.length === 0) throw new ParleyError('bad-request', 'options: a list attribute needs at least one option', 'options')
    return updateAttributeDefinition(services.db, me.workspaceId, key, { ...body, ...(body.options ? { options: [...new Set(body.options)] } : {}) })
  }, { summary: 'Rename an attribute or change a list attribute\'s options (its key and type stay)', tag: 'Contacts', auth: 'admin', body: AttributeDefinitionPatchBody })

  router.add('DELETE', '/api/contact-attributes/:key', async (ctx) => {
    const me = await agentOf(services, ctx, 'admin')
    const removedFrom = await deleteAttributeDefinition(services.db, me.workspaceId, ctx.params.key as string)
    if (removedFrom === undefined) throw new ParleyError('not-found', 'no such attribute')
    return { deleted: true, removedFromContacts: removedFrom }
  }, { summary: 'Delete an attribute definition and its values on every contact', tag: 'Contacts', auth: 'admin' })
}

/** `attr.<key>=…` filters apart from the fixed parameters the schema checks. */
function splitQuery(query: Record<string, string>): { fixed: Record<string, string>; attributes: Record<string, string> } {
  const fixed: Record<string, string> = {}, attributes: Record<string, string> = {}
  for (const [key, value] of Object.entries(query)) {
    if (!key.startsWith('attr.')) { fixed[key] = value; continue }
    const name = key.slice(5)
    if (!/^[a-z][a-z0-9_]{0,39}$/.test(name)) throw new ParleyError('bad-request', `${key}: not an attribute key`, key)
    if (value.length > 200) throw new ParleyError('bad-request', `${key}: must be at most 200 characters`, key)
    attributes[name] = value
  }
  if (Object.keys(attributes).length > 10) throw new ParleyError('bad-request', 'attr: at most 10 attribute filters', 'attr')
  return { fixed, attributes }
}

const publicMerge = (m: { source_id: string; target_id: string; actor_id: string | null; resolution: string; conversations: number; sessions: number; at: number }) => ({
  sourceId: m.source_id, targetId: m.target_id, actorId: m.actor_id, resolution: JSON.parse(m.resolution) as Record<string, string>, conversations: m.conversations, sessions: m.sessions, at: m.at,
})

export type { RequestContext }
