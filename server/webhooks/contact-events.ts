/** contact.created and contact.updated, recorded where contacts are written (the widget's session, the API, an agent's edit). */
import type { Contact } from '../../db/tables.ts'
import type { Services } from '../services.ts'
import { announceDeliveries, recordWebhookEvents } from './webhook-events.ts'

/** `before`: the contact as it was; an update that changed none of what a receiver sees (a visit's last-seen time) is no event. */
export async function recordContactEvent(services: Pick<Services, 'db' | 'log'>, type: 'contact.created' | 'contact.updated', contact: Contact, before?: Contact): Promise<void> {
  const seen = (c: Contact) => JSON.stringify(described(c))
  if (before && seen(before) === seen(contact)) return
  const at = Date.now()
  const data = { contact: described(contact) }
  // The contact's state is part of the id: the same update reported twice is one event, another update another.
  const id = `contact:${contact.id}:${type === 'contact.created' ? 'created' : `updated:${at}`}`
  const streams = await recordWebhookEvents(services.db, [{ id, type, workspaceId: contact.workspace_id, streamKey: `contact:${contact.id}`, occurredAt: at, data }])
  if (streams.length > 0) announceDeliveries(streams)
}

/** The contact as receivers see it: its profile, free-form fields and custom attributes (never an agent's notes). */
function described(c: Contact) {
  return {
    id: c.id, name: c.name, email: c.email, externalId: c.external_id, phone: c.phone, company: c.company, avatarUrl: c.avatar_url,
    tags: JSON.parse(c.tags) as string[], attributes: JSON.parse(c.attributes) as Record<string, string | number | boolean>, fields: JSON.parse(c.fields) as Record<string, string>,
  }
}
