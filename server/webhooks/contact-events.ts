/** contact.created and contact.updated, recorded where contacts are written (the widget's session, the API, an agent's edit). */
import type { Contact } from '../../db/tables.ts'
import type { Services } from '../services.ts'
import { announceDeliveries, recordWebhookEvents } from './webhook-events.ts'

/** `before`: the contact as it was; an update that changed none of what a receiver sees (a visit's last-seen time) is no event. */
export async function recordContactEvent(services: Pick<Services, 'db' | 'log'>, type: 'contact.created' | 'contact.updated', contact: Contact, before?: Contact): Promise<void> {
  const seen = (c: Contact) => JSON.stringify([c.name, c.email, c.external_id, c.fields])
  if (before && seen(before) === seen(contact)) return
  const at = Date.now()
  const data = { contact: { id: contact.id, name: contact.name, email: contact.email, externalId: contact.external_id, fields: JSON.parse(contact.fields) as Record<string, string> } }
  // The contact's state is part of the id: the same update reported twice is one event, another update another.
  const id = `contact:${contact.id}:${type === 'contact.created' ? 'created' : `updated:${at}`}`
  const streams = await recordWebhookEvents(services.db, [{ id, type, workspaceId: contact.workspace_id, streamKey: `contact:${contact.id}`, occurredAt: at, data }])
  if (streams.length > 0) announceDeliveries(streams)
}
