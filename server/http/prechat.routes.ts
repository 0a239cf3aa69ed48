/**
 * The widget's pre-chat form, checked here against the widget's own fields (the widget checks
 * the same way before sending: protocol/prechat.ts). `name` and `email` fields fill the contact's
 * name and email; the others go into the contact's fields.
 */
import { ParleyError, PrechatBody, parseInput } from '../../protocol/index.ts'
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
    const { name, email, ...rest } = values
    const contact = await getContact(services.db, visitor.workspaceId, visitor.contactId)
    if (!contact) throw new ParleyError('not-found', 'no such contact')
    const updated = await updateContact(services.db, visitor.workspaceId, contact.id, {
      ...(name ? { name } : {}), ...(email ? { email: email.toLowerCase() } : {}),
      fields: JSON.stringify({ ...JSON.parse(contact.fields), ...rest }), last_seen_at: Date.now(),
    })
    await recordContactEvent(services, 'contact.updated', updated!, contact)
    return { contact: { id: updated!.id, name: updated!.name, email: updated!.email } }
  }, { summary: 'Submit the pre-chat form', tag: 'Widget', auth: 'visitor', body: PrechatBody })
}
