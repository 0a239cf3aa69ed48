/**
 * The widget's pre-chat form, checked here against the widget's own fields (the widget checks
 * the same way before sending: protocol/prechat.ts). `name` and `email` fields fill the contact's
 * name and email (`phone` and `company` theirs too); a field named like a contact attribute fills
 * that attribute (issue 13); the others go into the contact's fields.
 */
import { ParleyError, PrechatBody, checkAttributes, parseInput } from '../../protocol/index.ts'
import { listAttributeDefinitions } from '../../db/contact-attribute.repository.ts'
import { syncConversationSummaries } from '../contacts/contact-service.ts'
import { checkPrechat } from '../../protocol/prechat.ts'
import { getContact, updateContact } from '../../db/contact.repository.ts'
import { recordContactEvent } from '../webhooks/contact-events.ts'
import { getWidgetBySiteKey } from '../../db/widget.repository.ts'
import type { Services } from '../services.ts'
import { visitorOf } from './principal.ts'
import type { Router } from './router.ts'
import { widgetCallerOf } from './widget-caller.ts'
import { publicWidget } from './widgets.routes.ts'

export function addPrechatRoutes(router: Router, services: Services): void {
  router.add('POST', '/api/widget/prechat', async (ctx) => {
    const visitor = await visitorOf(services, ctx)
    await services.widgetLimits.take('forms', widgetCallerOf(services, ctx, visitor))
    const body = parseInput(PrechatBody, await ctx.body())
    const widget = await getWidgetBySiteKey(services.db, body.siteKey)
    if (!widget || widget.workspace_id !== visitor.workspaceId) throw new ParleyError('not-found', 'no widget has this site key', 'siteKey')
    const { prechat } = publicWidget(widget)
    if (!prechat.enabled) throw new ParleyError('bad-request', 'values: this widget has no pre-chat form', 'values')
    const problems = Object.entries(checkPrechat(prechat.fields, body.values))
    if (problems.length > 0) {
      const [field, message] = problems[0] as [string, string]
      throw new ParleyError('bad-request', `values.${field}: ${message}`, `values.${field}`)
    }
    const values = Object.fromEntries(Object.entries(body.values).map(([k, value]) => [k, value.trim()]).filter(([, value]) => value !== ''))
    const { name, email, phone, company, ...rest } = values
    const contact = await getContact(services.db, visitor.workspaceId, visitor.contactId)
    if (!contact) throw new ParleyError('not-found', 'no such contact')
    // A field named like one of the workspace's contact attributes fills that attribute (checked
    // against its type); the others stay free-form fields of the contact.
    const definitions = await listAttributeDefinitions(services.db, visitor.workspaceId)
    const attributeKeys = new Set(definitions.map((d) => d.key))
    const asAttributes = Object.fromEntries(Object.entries(rest).filter(([k]) => attributeKeys.has(k)))
    const asFields = Object.fromEntries(Object.entries(rest).filter(([k]) => !attributeKeys.has(k)))
    const attributes = Object.keys(asAttributes).length > 0 ? checkAttributes(definitions, JSON.parse(contact.attributes), asAttributes, 'values') : null
    const updated = await updateContact(services.db, visitor.workspaceId, contact.id, {
      ...(name ? { name } : {}), ...(email ? { email: email.toLowerCase() } : {}), ...(phone ? { phone: phone.slice(0, 40) } : {}), ...(company ? { company: company.slice(0, 200) } : {}),
      ...(attributes ? { attributes: JSON.stringify(attributes) } : {}),
      fields: JSON.stringify({ ...JSON.parse(contact.fields), ...asFields }), last_seen_at: Date.now(),
    })
    if (updated!.name !== contact.name || updated!.email !== contact.email) await syncConversationSummaries(services, updated!)
    await recordContactEvent(services, 'contact.updated', updated!, contact)
    return { contact: { id: updated!.id, name: updated!.name, email: updated!.email } }
  }, { summary: 'Submit the pre-chat form', tag: 'Widget', auth: 'visitor', body: PrechatBody })
}
