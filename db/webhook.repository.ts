import { CompiledQuery, sql } from 'kysely'
import type { Db } from './database.ts'
import type { Insertable } from 'kysely'
import type { IntegrationAlert, WebhookAttempt, WebhookDelivery, WebhookDeliveryTable, WebhookSubscription } from './tables.ts'

export async function insertSubscription(db: Db, row: Omit<WebhookSubscription, 'consecutive_failures' | 'disabled_reason' | 'failing_since' | 'previous_secret' | 'previous_secret_until'>): Promise<void> {
  await db.kysely.insertInto('webhook_subscriptions').values({ ...row, consecutive_failures: 0, disabled_reason: null, failing_since: null, previous_secret: null, previous_secret_until: null }).execute()
}

export const getSubscription = (db: Db, id: string): Promise<WebhookSubscription | undefined> =>
  db.kysely.selectFrom('webhook_subscriptions').selectAll().where('id', '=', id).executeTakeFirst()

export const listSubscriptions = (db: Db, workspaceId: string): Promise<WebhookSubscription[]> =>
  db.kysely.selectFrom('webhook_subscriptions').selectAll().where('workspace_id', '=', workspaceId).orderBy('created_at').execute()

export const listActiveSubscriptions = (db: Db, workspaceId: string): Promise<WebhookSubscription[]> =>
  db.kysely.selectFrom('webhook_subscriptions').selectAll().where('workspace_id', '=', workspaceId).where('active', '=', 1).execute()

export async function updateSubscription(db: Db, id: string, patch: Partial<Pick<WebhookSubscription, 'name' | 'url' | 'events' | 'active' | 'disabled_reason' | 'consecutive_failures' | 'failing_since' | 'secret' | 'previous_secret' | 'previous_secret_until'>>): Promise<void> {
  await db.kysely.updateTable('webhook_subscriptions').set({ ...patch, updated_at: Date.now() }).where('id', '=', id).execute()
}

export async function deleteSubscription(db: Db, id: string): Promise<void> {
  await db.kysely.deleteFrom('webhook_deliveries').where('subscription_id', '=', id).where('status', '=', 'pending').execute()
  await db.kysely.deleteFrom('webhook_subscriptions').where('id', '=', id).execute()
}

/** Inserts deliveries; one already there for the (subscription, event) is kept as it is. Returns how many are new. */
export async function insertDeliveries(db: Db, rows: Insertable<WebhookDeliveryTable>[]): Promise<number> {
  let inserted = 0
  for (let i = 0; i < rows.length; i += 200) {
    const result = await db.kysely.insertInto('webhook_deliveries').values(rows.slice(i, i + 200))
      .onConflict((oc) => oc.columns(['subscription_id', 'event_id']).doNothing()).executeTakeFirst()
    inserted += Number(result.numInsertedOrUpdatedRows ?? 0)
  }
  return inserted
}

/** Streams with a pending delivery that is due and not being sent, of active subscriptions. */
export async function listDueStreams(db: Db, now: number, limit = 500): Promise<{ subscription_id: string; stream_key: string }[]> {
  return db.kysely.selectFrom('webhook_deliveries as d').innerJoin('webhook_subscriptions as s', 's.id', 'd.subscription_id')
    .select(['d.subscription_id', 'd.stream_key']).distinct()
    .where('d.status', '=', 'pending').where('d.next_attempt_at', '<=', now).where('s.active', '=', 1)
    .where((eb) => eb.or([eb('d.lease_until', 'is', null), eb('d.lease_until', '<', now)]))
    .limit(limit).execute()
}

/**
 * The sender's statements run once or twice per delivery, so they are plain SQL: building them
 * with Kysely's query builder was 40 % of the dispatcher's CPU at 200 deliveries a second (its
 * nodes are built, frozen and compiled anew every time; bench/webhooks.ts). `?` placeholders,
 * numbered for PostgreSQL.
 */
const pgText = new Map<string, string>()
function run<R>(db: Db, text: string, parameters: unknown[]) {
  let query = text
  if (db.dialect === 'postgres') {
    query = pgText.get(text) ?? (() => { let n = 0; const t = text.replace(/\?/g, () => `$${++n}`); pgText.set(text, t); return t })()
  }
  return db.kysely.executeQuery<R>(CompiledQuery.raw(query, parameters))
}

const HEAD = "select * from webhook_deliveries where subscription_id = ? and stream_key = ? and status = 'pending' order by seq limit 1"
const LEASE = "update webhook_deliveries set lease_until = ? where id = ? and status = 'pending' and (lease_until is null or lease_until < ?)"
const ATTEMPT = 'insert into webhook_attempts (delivery_id, subscription_id, at, ok, response_status, duration_ms, error, request_headers, response_body) values (?, ?, ?, ?, ?, ?, ?, ?, ?)'
const FINISH = 'update webhook_deliveries set status = ?, attempts = attempts + 1, lease_until = null, last_error = ?, response_status = ?, duration_ms = ?, '
  + 'next_attempt_at = coalesce(?, next_attempt_at), delivered_at = coalesce(?, delivered_at) where id = ?'

/** The oldest pending delivery of a stream: the only one that may be sent. */
export async function streamHead(db: Db, subscriptionId: string, streamKey: string): Promise<WebhookDelivery | undefined> {
  return (await run<WebhookDelivery>(db, HEAD, [subscriptionId, streamKey])).rows[0]
}

/** Takes the delivery for sending until `leaseUntil`, if nobody holds it (a conditional write: one sender across instances). */
export async function leaseDelivery(db: Db, id: string, now: number, leaseUntil: number): Promise<boolean> {
  return Number((await run(db, LEASE, [leaseUntil, id, now])).numAffectedRows ?? 0) > 0
}

export async function finishAttempt(db: Db, delivery: Pick<WebhookDelivery, 'id' | 'subscription_id'>, outcome: {
  at: number; ok: boolean; status: number | null; durationMs: number; error: string | null; requestHeaders: string; responseBody: string | null
  /** What the delivery becomes: sent, given up, or pending again from this time. */
  next: { status: 'succeeded' | 'failed' } | { status: 'pending'; at: number }
  /** Also leases the stream's next delivery, if it is due and free, in the same commit (a sender's next step, one write fewer each). */
  leaseNext?: { streamKey: string; now: number; until: number }
}): Promise<WebhookDelivery | null> {
  return db.kysely.transaction().execute(async (trx) => {
    const tx: Db = { ...db, kysely: trx }
    await run(tx, ATTEMPT, [delivery.id, delivery.subscription_id, outcome.at, outcome.ok ? 1 : 0, outcome.status, outcome.durationMs, outcome.error, outcome.requestHeaders, outcome.responseBody])
    await run(tx, FINISH, [outcome.next.status, outcome.error, outcome.status, outcome.durationMs, outcome.next.status === 'pending' ? outcome.next.at : null, outcome.ok ? outcome.at : null, delivery.id])
    const lease = outcome.leaseNext
    if (!lease) return null
    const next = await streamHead(tx, delivery.subscription_id, lease.streamKey)
    if (!next || next.next_attempt_at > lease.now || !(await leaseDelivery(tx, next.id, lease.now, lease.until))) return null
    return next
  })
}

/** Counts a failed attempt of the endpoint (or a success, which ends the run); returns the run after, and the count before. */
export async function countEndpointOutcome(db: Db, subscriptionId: string, ok: boolean, now: number): Promise<{ failures: number; since: number | null; before: number }> {
  const before = (await db.kysely.selectFrom('webhook_subscriptions').select('consecutive_failures').where('id', '=', subscriptionId).executeTakeFirst())?.consecutive_failures ?? 0
  await db.kysely.updateTable('webhook_subscriptions')
    .set(ok ? { consecutive_failures: 0, failing_since: null } : { consecutive_failures: sql`consecutive_failures + 1`, failing_since: sql`coalesce(failing_since, ${now})` })
    .where('id', '=', subscriptionId).execute()
  const row = await db.kysely.selectFrom('webhook_subscriptions').select(['consecutive_failures', 'failing_since']).where('id', '=', subscriptionId).executeTakeFirst()
  return { failures: row?.consecutive_failures ?? 0, since: row?.failing_since ?? null, before }
}

/** Disables an active subscription; false when it was already disabled (so only one instance tells the admins). */
export async function disableSubscription(db: Db, id: string, reason: string): Promise<boolean> {
  const result = await db.kysely.updateTable('webhook_subscriptions').set({ active: 0, disabled_reason: reason, updated_at: Date.now() }).where('id', '=', id).where('active', '=', 1).executeTakeFirst()
  return Number(result.numUpdatedRows) > 0
}

export const getDelivery = (db: Db, workspaceId: string, id: string): Promise<WebhookDelivery | undefined> =>
  db.kysely.selectFrom('webhook_deliveries').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst()

export const listAttempts = (db: Db, deliveryId: string): Promise<WebhookAttempt[]> =>
  db.kysely.selectFrom('webhook_attempts').selectAll().where('delivery_id', '=', deliveryId).orderBy('seq').execute()

export interface DeliveryFilter { workspaceId: string; subscriptionId?: string; eventType?: string; status?: string; from?: number; to?: number; before?: number; limit: number }

/** The delivery log, newest first. */
export async function listDeliveries(db: Db, f: DeliveryFilter): Promise<WebhookDelivery[]> {
  let q = db.kysely.selectFrom('webhook_deliveries').selectAll().where('workspace_id', '=', f.workspaceId)
  if (f.subscriptionId) q = q.where('subscription_id', '=', f.subscriptionId)
  if (f.eventType) q = q.where('event_type', '=', f.eventType)
  if (f.status) q = q.where('status', '=', f.status as WebhookDelivery['status'])
  if (f.from !== undefined) q = q.where('created_at', '>=', f.from)
  if (f.to !== undefined) q = q.where('created_at', '<=', f.to)
  if (f.before !== undefined) q = q.where('seq', '<', f.before)
  return q.orderBy('seq', 'desc').limit(f.limit).execute()
}

export interface EndpointHealth { attempts: number; succeeded: number; p50Ms: number | null; p99Ms: number | null; lastError: string | null; lastErrorAt: number | null; lastDeliveryAt: number | null; pending: number }

/** An endpoint's attempts since `since`: success rate, latency percentiles, its last error and last success. */
export async function endpointHealth(db: Db, subscriptionId: string, since: number): Promise<EndpointHealth> {
  const attempts = await db.kysely.selectFrom('webhook_attempts').select(['ok', 'duration_ms', 'error', 'at']).where('subscription_id', '=', subscriptionId).where('at', '>=', since).orderBy('seq', 'desc').limit(20_000).execute()
  const durations = attempts.map((a) => a.duration_ms).sort((a, b) => a - b)
  const pct = (p: number) => (durations.length ? durations[Math.min(durations.length - 1, Math.ceil(p * durations.length) - 1)]! : null)
  const lastFailure = await db.kysely.selectFrom('webhook_attempts').select(['error', 'at']).where('subscription_id', '=', subscriptionId).where('ok', '=', 0).orderBy('seq', 'desc').limit(1).executeTakeFirst()
  const lastSuccess = await db.kysely.selectFrom('webhook_attempts').select('at').where('subscription_id', '=', subscriptionId).where('ok', '=', 1).orderBy('seq', 'desc').limit(1).executeTakeFirst()
  const pending = await db.kysely.selectFrom('webhook_deliveries').select((eb) => eb.fn.countAll<number>().as('n')).where('subscription_id', '=', subscriptionId).where('status', '=', 'pending').executeTakeFirst()
  return {
    attempts: attempts.length, succeeded: attempts.filter((a) => a.ok === 1).length, p50Ms: pct(0.5), p99Ms: pct(0.99),
    lastError: lastFailure?.error ?? null, lastErrorAt: lastFailure?.at ?? null, lastDeliveryAt: lastSuccess?.at ?? null, pending: Number(pending?.n ?? 0),
  }
}

export async function insertAlert(db: Db, row: Omit<IntegrationAlert, 'seq'>): Promise<void> {
  await db.kysely.insertInto('integration_alerts').values(row).execute()
}

export const listAlerts = (db: Db, workspaceId: string, limit = 50): Promise<IntegrationAlert[]> =>
  db.kysely.selectFrom('integration_alerts').selectAll().where('workspace_id', '=', workspaceId).orderBy('seq', 'desc').limit(limit).execute()
