/**
 * Webhook subscriptions, the delivery log and redelivery (issue 16). Owners and admins only
 * (a session, or an API key of scope admin): a webhook's secret and its deliveries' bodies are the
 * workspace's whole history.
 */
import * as v from 'valibot'
import { CreateWebhookBody, DeliveryLogQuery, ParleyError, RotateWebhookSecretBody, UpdateWebhookBody, WEBHOOK_EVENTS, WEBHOOK_PAYLOAD_VERSION, WEBHOOK_PING_EVENT, createId, parseInput } from '../../protocol/index.ts'
import {
  deleteSubscription, endpointHealth, getDelivery, getSubscription, insertDeliveries, insertSubscription, listAlerts, listAttempts, listDeliveries, listSubscriptions, updateSubscription,
} from '../../db/webhook.repository.ts'
import type { WebhookDelivery, WebhookSubscription } from '../../db/tables.ts'
import { createSecret } from '../auth/tokens.ts'
import { agentOf } from '../http/principal.ts'
import { Reply, type RequestContext, type Router } from '../http/router.ts'
import type { Services } from '../services.ts'
import { announceDeliveries } from './webhook-events.ts'
import type { WebhookTargets } from './webhook-target.ts'

const HEALTH_WINDOW_MS = 24 * 3600_000

const WebhookSchema = v.object({
  id: v.string(), name: v.string(), url: v.string(), events: v.array(v.picklist(WEBHOOK_EVENTS)), active: v.boolean(), disabledReason: v.nullable(v.string()),
  consecutiveFailures: v.number(), createdAt: v.number(), updatedAt: v.number(), secret: v.optional(v.string()),
  /** While a rotated secret still signs beside the new one: until when (ms). */
  previousSecretUntil: v.nullable(v.number()),
})

const publicWebhook = (s: WebhookSubscription, withSecret = false) => ({
  id: s.id, name: s.name, url: s.url, events: JSON.parse(s.events) as string[], active: s.active === 1, disabledReason: s.disabled_reason,
  consecutiveFailures: s.consecutive_failures, createdAt: s.created_at, updatedAt: s.updated_at, ...(withSecret ? { secret: s.secret } : {}),
  previousSecretUntil: s.previous_secret && (s.previous_secret_until ?? 0) > Date.now() ? s.previous_secret_until : null,
})

const publicDelivery = (d: WebhookDelivery) => ({
  id: d.id, seq: d.seq, webhookId: d.subscription_id, eventId: d.event_id, event: d.event_type, status: d.status, attempts: d.attempts,
  nextAttemptAt: d.status === 'pending' ? d.next_attempt_at : null, lastError: d.last_error, responseStatus: d.response_status, durationMs: d.duration_ms,
  redeliveryOf: d.redelivery_of, createdAt: d.created_at, deliveredAt: d.delivered_at,
})

export function addWebhookRoutes(router: Router, services: Services, targets: WebhookTargets): void {
  const admin = (ctx: RequestContext) => agentOf(services, ctx, 'admin')
  const own = async (workspaceId: string, id: string) => {
    const s = await getSubscription(services.db, id)
    if (!s || s.workspace_id !== workspaceId) throw new ParleyError('not-found', 'no such webhook')
    return s
  }

  router.add('GET', '/api/webhooks', async (ctx) => {
    const me = await admin(ctx)
    const since = Date.now() - HEALTH_WINDOW_MS
    const items = await Promise.all((await listSubscriptions(services.db, me.workspaceId)).map(async (s) => ({ ...publicWebhook(s), health: await endpointHealth(services.db, s.id, since) })))
    return { items }
  }, { summary: 'List webhooks with their health over the last day', tag: 'Webhooks', auth: 'admin' })

  router.add('POST', '/api/webhooks', async (ctx) => {
    const me = await admin(ctx)
    const body = parseInput(CreateWebhookBody, await ctx.body())
    await targets.check(body.url)
    const now = Date.now()
    const row = { id: createId('wh_'), workspace_id: me.workspaceId, name: body.name, url: body.url, events: JSON.stringify([...new Set(body.events)]), secret: `whsec_${createSecret(24)}`, active: 1, created_by: me.agentId, created_at: now, updated_at: now }
    await insertSubscription(services.db, row)
    return new Reply(201, publicWebhook((await getSubscription(services.db, row.id))!, true))
  }, { summary: 'Subscribe a URL to events; the answer holds the signing secret', tag: 'Webhooks', auth: 'admin', body: CreateWebhookBody, response: WebhookSchema, status: 201 })

  router.add('GET', '/api/webhooks/:id', async (ctx) => {
    const me = await admin(ctx)
    return publicWebhook(await own(me.workspaceId, ctx.params.id as string), true)
  }, { summary: 'One webhook, with its signing secret', tag: 'Webhooks', auth: 'admin', response: WebhookSchema })

  router.add('PATCH', '/api/webhooks/:id', async (ctx) => {
    const me = await admin(ctx)
    const s = await own(me.workspaceId, ctx.params.id as string)
    const body = parseInput(UpdateWebhookBody, await ctx.body())
    if (body.url) await targets.check(body.url)
    await updateSubscription(services.db, s.id, {
      ...(body.name !== undefined ? { name: body.name } : {}), ...(body.url !== undefined ? { url: body.url } : {}),
      ...(body.events !== undefined ? { events: JSON.stringify([...new Set(body.events)]) } : {}),
      // Enabled again: a fresh start, and the deliveries that waited go out now.
      ...(body.active === true ? { active: 1, disabled_reason: null, consecutive_failures: 0, failing_since: null } : body.active === false ? { active: 0, disabled_reason: 'disabled by an admin' } : {}),
    })
    if (body.active === true) announceDeliveries()
    return publicWebhook((await getSubscription(services.db, s.id))!)
  }, { summary: 'Change a webhook, or disable / enable it', tag: 'Webhooks', auth: 'admin', body: UpdateWebhookBody, response: WebhookSchema })

  router.add('POST', '/api/webhooks/:id/rotate-secret', async (ctx) => {
    const me = await admin(ctx)
    const s = await own(me.workspaceId, ctx.params.id as string)
    const body = parseInput(RotateWebhookSecretBody, await ctx.body())
    const keepMs = (body.keepPreviousHours ?? 24) * 3600_000
    // The secret being replaced keeps signing beside the new one, so a receiver updated late still verifies; a second rotation within the window drops the oldest.
    await updateSubscription(services.db, s.id, { secret: `whsec_${createSecret(24)}`, previous_secret: keepMs > 0 ? s.secret : null, previous_secret_until: keepMs > 0 ? Date.now() + keepMs : null })
    return publicWebhook((await getSubscription(services.db, s.id))!, true)
  }, { summary: 'Roll the signing secret: the answer holds the new one; the old one also signs for keepPreviousHours (24)', tag: 'Webhooks', auth: 'admin', body: RotateWebhookSecretBody, response: WebhookSchema })

  router.add('POST', '/api/webhooks/:id/ping', async (ctx) => {
    const me = await admin(ctx)
    const s = await own(me.workspaceId, ctx.params.id as string)
    if (s.active !== 1) throw new ParleyError('conflict', 'the webhook is disabled: enable it first', 'webhookId')
    const id = createId('dlv_')
    const now = Date.now()
    const eventId = createId('evt_')
    const payload = { version: WEBHOOK_PAYLOAD_VERSION, id: eventId, type: WEBHOOK_PING_EVENT, workspaceId: me.workspaceId, occurredAt: now, data: { webhookId: s.id, name: s.name, requestedBy: me.agentId } }
    // Its own stream, like a redelivery: sent at once, logged and signed like every delivery, counted in the endpoint's health.
    await insertDeliveries(services.db, [{
      id, subscription_id: s.id, workspace_id: me.workspaceId, event_id: eventId, event_type: WEBHOOK_PING_EVENT, stream_key: `ping:${id}`,
      payload: JSON.stringify(payload), status: 'pending', attempts: 0, next_attempt_at: now, redelivery_of: null, created_at: now,
    }])
    announceDeliveries([{ subscriptionId: s.id, streamKey: `ping:${id}` }])
    return new Reply(201, publicDelivery((await getDelivery(services.db, me.workspaceId, id))!))
  }, { summary: 'Send a signed test event (webhook.ping) now; it shows in the delivery log', tag: 'Webhooks', auth: 'admin', status: 201 })

  router.add('DELETE', '/api/webhooks/:id', async (ctx) => {
    const me = await admin(ctx)
    const s = await own(me.workspaceId, ctx.params.id as string)
    await deleteSubscription(services.db, s.id)
    return { ok: true }
  }, { summary: 'Delete a webhook (its waiting deliveries are dropped)', tag: 'Webhooks', auth: 'admin' })

  router.add('GET', '/api/webhook-deliveries', async (ctx) => {
    const me = await admin(ctx)
    const q = parseInput(DeliveryLogQuery, ctx.query)
    const limit = q.limit ?? 50
    const items = await listDeliveries(services.db, {
      workspaceId: me.workspaceId, limit, ...(q.webhookId ? { subscriptionId: q.webhookId } : {}), ...(q.event ? { eventType: q.event } : {}),
      ...(q.status ? { status: q.status } : {}), ...(q.from !== undefined ? { from: q.from } : {}), ...(q.to !== undefined ? { to: q.to } : {}), ...(q.before !== undefined ? { before: q.before } : {}),
    })
    return { items: items.map(publicDelivery), nextBefore: items.length === limit ? items[items.length - 1]!.seq : null }
  }, { summary: 'The delivery log, newest first, filtered by webhook, event, status and date', tag: 'Webhooks', auth: 'admin', query: DeliveryLogQuery })

  router.add('GET', '/api/webhook-deliveries/:id', async (ctx) => {
    const me = await admin(ctx)
    const d = await getDelivery(services.db, me.workspaceId, ctx.params.id as string)
    if (!d) throw new ParleyError('not-found', 'no such delivery')
    const attempts = (await listAttempts(services.db, d.id)).map((a) => ({
      at: a.at, ok: a.ok === 1, responseStatus: a.response_status, durationMs: a.duration_ms, error: a.error, requestHeaders: JSON.parse(a.request_headers) as Record<string, string>, responseBody: a.response_body,
    }))
    return { ...publicDelivery(d), request: { body: JSON.parse(d.payload) as unknown }, attemptLog: attempts }
  }, { summary: 'One delivery: the body sent, and each attempt\'s headers and answer', tag: 'Webhooks', auth: 'admin' })

  router.add('POST', '/api/webhook-deliveries/:id/redeliver', async (ctx) => {
    const me = await admin(ctx)
    const d = await getDelivery(services.db, me.workspaceId, ctx.params.id as string)
    if (!d) throw new ParleyError('not-found', 'no such delivery')
    const s = await own(me.workspaceId, d.subscription_id)
    if (s.active !== 1) throw new ParleyError('conflict', 'the webhook is disabled: enable it first', 'webhookId')
    const id = createId('dlv_')
    const now = Date.now()
    // Its own stream: a redelivery goes out now, not behind the conversation's waiting events. The body is the same event (same id: a receiver that saw it may ignore it).
    await insertDeliveries(services.db, [{
      id, subscription_id: d.subscription_id, workspace_id: d.workspace_id, event_id: `${d.event_id}#${id}`, event_type: d.event_type, stream_key: `redelivery:${id}`,
      payload: d.payload, status: 'pending', attempts: 0, next_attempt_at: now, redelivery_of: d.id, created_at: now,
    }])
    announceDeliveries([{ subscriptionId: d.subscription_id, streamKey: `redelivery:${id}` }])
    return new Reply(201, publicDelivery((await getDelivery(services.db, me.workspaceId, id))!))
  }, { summary: 'Send a logged delivery again, at once', tag: 'Webhooks', auth: 'admin', status: 201 })

  router.add('GET', '/api/integrations/alerts', async (ctx) => {
    const me = await admin(ctx)
    return { items: (await listAlerts(services.db, me.workspaceId)).map((a) => ({ seq: a.seq, subjectKind: a.subject_kind, subjectId: a.subject_id, level: a.level, message: a.message, createdAt: a.created_at })) }
  }, { summary: 'Integration alerts: endpoints that started failing, recovered or were disabled', tag: 'Webhooks', auth: 'admin' })
}
