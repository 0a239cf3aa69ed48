import { ParleyError, WidgetBody, WidgetPatchBody, createId, parseInput, type WidgetConfig } from '../../protocol/index.ts'
import { createWidget, deleteWidget, getWidget, getWidgetBySiteKey, listWidgets, updateWidget } from '../../db/widget.repository.ts'
import type { Widget } from '../../db/tables.ts'
import { DEFAULT_WIDGET_TITLE, DEFAULT_WIDGET_WELCOME } from '../../protocol/widget-defaults.ts'
import { createSecret } from '../auth/tokens.ts'
import type { Services } from '../services.ts'
import { agentOf } from './principal.ts'
import { Reply, type Router } from './router.ts'

export const DEFAULT_WIDGET: Omit<WidgetConfig, 'siteKey' | 'name'> = {
  title: DEFAULT_WIDGET_TITLE, welcomeMessage: DEFAULT_WIDGET_WELCOME, primaryColor: '#1f6feb', position: 'right',
  businessName: '', avatarUrl: '', prechat: { enabled: false, fields: [] }, maxAttachmentBytes: 10 * 1024 * 1024, language: 'auto',
}

/** What browsers may see of a widget: never its identity-verification secret. */
export function publicWidget(widget: Widget): WidgetConfig & { id: string } {
  const config = JSON.parse(widget.config) as Partial<WidgetConfig>
  return { ...DEFAULT_WIDGET, ...config, name: widget.name, siteKey: widget.site_key, id: widget.id }
}

/** A form's field names are the keys of its values: each one once. */
function checkPrechatFields(prechat: WidgetConfig['prechat'] | undefined): void {
  const seen = new Set<string>()
  for (const [i, field] of (prechat?.fields ?? []).entries()) {
    if (seen.has(field.name)) throw new ParleyError('bad-request', `prechat.fields.${i}.name: "${field.name}" is already a field of this form`, `prechat.fields.${i}.name`)
    seen.add(field.name)
  }
}

export function addWidgetRoutes(router: Router, services: Services): void {
  router.add('GET', '/api/widgets', async (ctx) => {
    const me = await agentOf(services, ctx)
    return { items: (await listWidgets(services.db, me.workspaceId)).map((w) => ({ ...publicWidget(w), ...(me.role === 'owner' || me.role === 'admin' ? { secret: w.secret } : {}) })) }
  }, { summary: 'List widgets', tag: 'Widgets', auth: 'viewer' })

  router.add('POST', '/api/widgets', async (ctx) => {
    const me = await agentOf(services, ctx, 'admin')
    const { name, ...config } = parseInput(WidgetBody, await ctx.body())
    checkPrechatFields(config.prechat)
    const widget = await createWidget(services.db, { id: createId('w'), workspace_id: me.workspaceId, site_key: createSecret(12), name, config: JSON.stringify(config), secret: createSecret() })
    return new Reply(201, { ...publicWidget(widget), secret: widget.secret })
  }, { summary: 'Add a widget', tag: 'Widgets', auth: 'admin', body: WidgetBody, status: 201 })

  router.add('GET', '/api/widgets/:id', async (ctx) => {
    const me = await agentOf(services, ctx)
    const widget = await getWidget(services.db, me.workspaceId, ctx.params.id as string)
    if (!widget) throw new ParleyError('not-found', 'no such widget')
    return publicWidget(widget)
  }, { summary: 'One widget', tag: 'Widgets', auth: 'viewer' })

  router.add('PATCH', '/api/widgets/:id', async (ctx) => {
    const me = await agentOf(services, ctx, 'admin')
    const { name, ...patch } = parseInput(WidgetPatchBody, await ctx.body())
    checkPrechatFields(patch.prechat)
    const widget = await getWidget(services.db, me.workspaceId, ctx.params.id as string)
    if (!widget) throw new ParleyError('not-found', 'no such widget')
    const config = { ...JSON.parse(widget.config), ...patch }
    return publicWidget((await updateWidget(services.db, me.workspaceId, widget.id, { config: JSON.stringify(config), ...(name ? { name } : {}) }))!)
  }, { summary: 'Change a widget', tag: 'Widgets', auth: 'admin', body: WidgetPatchBody })

  router.add('DELETE', '/api/widgets/:id', async (ctx) => {
    const me = await agentOf(services, ctx, 'admin')
    if (!(await deleteWidget(services.db, me.workspaceId, ctx.params.id as string))) throw new ParleyError('not-found', 'no such widget')
    return { ok: true }
  }, { summary: 'Delete a widget', tag: 'Widgets', auth: 'admin' })

  router.add('GET', '/api/public/widgets/:siteKey', async (ctx) => {
    const widget = await getWidgetBySiteKey(services.db, ctx.params.siteKey as string)
    if (!widget) throw new ParleyError('not-found', 'no widget has this site key')
    const { id: _id, ...config } = publicWidget(widget)
    // Whether "leave your email" can promise a reply by email: only when this server sends email.
    return { ...config, email: services.email.configured }
    }, { summary: 'A widget\'s public look and behaviour, by site key', tag: 'Widget', auth: 'public' })
}
