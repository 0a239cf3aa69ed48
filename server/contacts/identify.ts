/**
 * A visitor session for the widget (`POST /api/widget/session`), with `Parley.identify`: the host
 * page proves a user id with an HMAC of the widget's secret, and may send the user's name, email and
 * custom attributes. An anonymous visitor who identifies keeps their conversations: their record
 * becomes the user's, or, when the user already has one, is merged into it (the identified record
 * wins where the two disagree), and their session moves with it, so the widget keeps its history.
 */
import { ParleyError, checkAttributes, createId, type VisitorSessionBody } from '../../protocol/index.ts'
import type * as v from 'valibot'
import { listAttributeDefinitions } from '../../db/contact-attribute.repository.ts'
import { mergeContacts } from '../../db/contact-merge.repository.ts'
import { createContact, findContactByExternalId, resolveContact, updateContact, type ContactChanges } from '../../db/contact.repository.ts'
import { createSession } from '../../db/session.repository.ts'
import type { Contact, Widget } from '../../db/tables.ts'
import { authenticate } from '../auth/principal.ts'
import { createToken, hashToken, safeEqual, signUserId } from '../auth/tokens.ts'
import type { Services } from '../services.ts'
import { recordContactEvent } from '../webhooks/contact-events.ts'
import { decideMerge, syncConversationSummaries } from './contact-service.ts'

type Body = v.InferOutput<typeof VisitorSessionBody>
export interface VisitorSession { token: string; contact: Contact; verified: boolean; mergedFrom: string | null }

export async function openVisitorSession(services: Services, widget: Widget, body: Body): Promise<VisitorSession> {
  const workspaceId = widget.workspace_id
  if (body.userId !== undefined && (!body.userHash || !safeEqual(body.userHash, signUserId(widget.secret, body.userId)))) {
    throw new ParleyError('forbidden', 'identity verification failed: userHash does not match userId', 'userHash')
  }
  // Checked before anything is written: a bad attribute changes nothing.
  const definitions = body.attributes ? await listAttributeDefinitions(services.db, workspaceId) : []
  if (body.attributes) checkAttributes(definitions, {}, body.attributes)

  let resumed: Contact | undefined
  if (body.resumeToken) {
    const principal = await authenticate(services.db, services.serviceTokenHash, body.resumeToken).catch(() => null)
    if (principal?.kind === 'visitor' && principal.workspaceId === workspaceId) resumed = await resolveContact(services.db, workspaceId, principal.contactId)
  }
  let found: Found
  try {
    found = await findOrCreate(services, workspaceId, body.userId, resumed)
  } catch (error) {
    // Two first visits of one user at once: the unique user-id index let one record in; use it.
    if (body.userId === undefined || !isUniqueViolation(error)) throw error
    found = await findOrCreate(services, workspaceId, body.userId, resumed)
  }
  const before = found.contact
  const changes: ContactChanges = { last_seen_at: Date.now() }
  if (body.name) changes.name = body.name
  if (body.email) changes.email = body.email
  if (body.fields) changes.fields = JSON.stringify({ ...JSON.parse(before.fields), ...body.fields })
  if (body.attributes) changes.attributes = JSON.stringify(checkAttributes(definitions, JSON.parse(before.attributes), body.attributes))
  const contact = (await updateContact(services.db, workspaceId, before.id, changes))!
  if (contact.name !== before.name || contact.email !== before.email) await syncConversationSummaries(services, contact)
  // Once per session: a new record is created (with what this visit told us); a known one is
  // updated when identify, a merge or the visit changed what a receiver sees (a bare visit does not).
  if (found.created) await recordContactEvent(services, 'contact.created', contact)
  else await recordContactEvent(services, 'contact.updated', contact, found.original)

  let token = found.keepToken ? body.resumeToken! : null
  if (!token) {
    token = createToken('pv')
    await createSession(services.db, { token_hash: hashToken(token), kind: 'visitor', workspace_id: workspaceId, agent_id: null, contact_id: contact.id, expires_at: Date.now() + services.config.visitorTtlMs })
  }
  return { token, contact, verified: body.userId !== undefined, mergedFrom: found.mergedFrom }
}

/** `original`: the record this session continues, as it was before this request changed it. */
interface Found { contact: Contact; keepToken: boolean; mergedFrom: string | null; created: boolean; original: Contact }

async function findOrCreate(services: Services, workspaceId: string, userId: string | undefined, resumed: Contact | undefined): Promise<Found> {
  const created = (contact: Contact): Found => ({ contact, keepToken: false, mergedFrom: null, created: true, original: contact })
  if (userId === undefined) {
    if (resumed) return { contact: resumed, keepToken: true, mergedFrom: null, created: false, original: resumed }
    return created(await createContact(services.db, { id: createId('v'), workspace_id: workspaceId }))
  }
  const known = await findContactByExternalId(services.db, workspaceId, userId)
  // Only an anonymous record is folded into a user: one verified as another user is another person.
  const anonymous = resumed && resumed.external_id === null ? resumed : undefined
  if (known && resumed?.id === known.id) return { contact: known, keepToken: true, mergedFrom: null, created: false, original: known }
  if (known && anonymous) {
    const outcome = await mergeContacts(services.db, {
      workspaceId, sourceId: anonymous.id, targetId: known.id, actorId: null,
      decide: (source, target) => decideMerge(source, target, {}, 'target'),
    })
    await syncConversationSummaries(services, outcome.target, outcome.movedConversationIds)
    return { contact: outcome.target, keepToken: true, mergedFrom: anonymous.id, created: false, original: known }
  }
  if (known) return { contact: known, keepToken: false, mergedFrom: null, created: false, original: known }
  if (anonymous) return { contact: (await updateContact(services.db, workspaceId, anonymous.id, { external_id: userId }))!, keepToken: true, mergedFrom: null, created: false, original: anonymous }
  return created(await createContact(services.db, { id: createId('v'), workspace_id: workspaceId, external_id: userId }))
}

const isUniqueViolation = (error: unknown): boolean => {
  const e = error as { code?: string; message?: string }
  return e?.code === '23505' || e?.code === 'SQLITE_CONSTRAINT_UNIQUE' || /UNIQUE constraint/i.test(e?.message ?? '')
}
