/**
 * What a webhook receives, made from what the projection writes (issue 16): the event log's
 * rows (issue 14) and the new message rows of each conversation, plus contacts created and
 * updated. They are written as deliveries, one per subscription that wants them, in the same
 * transaction as the event log, so a logged event is never lost to a crash before it is sent.
 */
import { WEBHOOK_PAYLOAD_VERSION, createId, type InboxEntry, type WebhookEventType, type WebhookPayload } from '../../protocol/index.ts'
import type { Db } from '../../db/database.ts'
import type { ConversationEvent, ConversationEventKind, MessageRow } from '../../db/tables.ts'
import { insertDeliveries, listActiveSubscriptions } from '../../db/webhook.repository.ts'

export interface WebhookEvent { id: string; type: WebhookEventType; workspaceId: string; streamKey: string; occurredAt: number; data: Record<string, unknown> }

const TYPE_OF: Partial<Record<ConversationEventKind, WebhookEventType>> = {
  created: 'conversation.created', escalated: 'conversation.escalated', assigned: 'conversation.assigned', unassigned: 'conversation.unassigned',
  snoozed: 'conversation.snoozed', resolved: 'conversation.resolved', reopened: 'conversation.reopened', csat: 'conversation.csat',
}

/**
 * Re-projecting old history (a restart, a rebuild) derives its events again; the unique
 * (subscription, event) key drops those already delivered, and events older than this are not
 * sent at all, so a rebuild never replays months of history to receivers.
 */
export const MAX_EVENT_AGE_MS = 24 * 3600_000

const conversationSummary = (entry: InboxEntry) => ({
  id: entry.id, status: entry.status, priority: entry.priority, assignee: entry.assignee, subject: entry.subject, labels: entry.labels, contactName: entry.contactName,
})

/** The events of one projected conversation, in the order they happened: its creation first. */
export function eventsOfProjection(p: { workspaceId: string; entry: InboxEntry; rows: MessageRow[]; events: ConversationEvent[] }, now = Date.now()): WebhookEvent[] {
  const conversation = conversationSummary(p.entry)
  const streamKey = `conversation:${p.entry.id}`
  const out: WebhookEvent[] = []
  // Messages first: at the same millisecond, a reply comes before the assignment it made (the app writes both in one change).
  for (const row of p.rows) {
    if (row.kind !== 'message') continue
    out.push({
      id: `${p.entry.id}:message:${row.id}`, type: 'message.created', workspaceId: p.workspaceId, streamKey, occurredAt: row.created_at,
      data: { conversation, message: { id: row.id, author: { role: row.author_role, id: row.author_id, name: row.author_name }, text: row.text, attachments: JSON.parse(row.attachments), createdAt: row.created_at } },
    })
  }
  for (const e of p.events) {
    const type = TYPE_OF[e.kind]
    if (!type) continue
    const detail: Record<string, unknown> = {}
    if (e.kind === 'escalated') Object.assign(detail, { reason: e.reason, priority: e.priority })
    if (e.kind === 'assigned' || e.kind === 'unassigned') Object.assign(detail, { assignee: e.assignee_id, previousAssignee: e.from_assignee_id })
    if (e.kind === 'snoozed') detail.until = e.until_at
    if (e.kind === 'csat') Object.assign(detail, { rating: e.rating, comment: e.comment })
    out.push({ id: e.id, type, workspaceId: e.workspace_id, streamKey, occurredAt: e.at, data: { conversation, ...detail } })
  }
  const rank = (e: WebhookEvent) => (e.type === 'conversation.created' ? 0 : 1)
  return out.filter((e) => e.occurredAt >= now - MAX_EVENT_AGE_MS).sort((a, b) => rank(a) - rank(b) || a.occurredAt - b.occurredAt)
}

/** The exact body sent for an event. */
export const payloadOf = (e: WebhookEvent): WebhookPayload => ({ version: WEBHOOK_PAYLOAD_VERSION, id: e.id, type: e.type, workspaceId: e.workspaceId, occurredAt: e.occurredAt, data: e.data })

/**
 * Told, after the commit, which streams got deliveries, so a dispatcher of this process enqueues
 * them at once (no poll: a poll reads every pending delivery). None named: look at all of them.
 */
export type DeliveryStream = { subscriptionId: string; streamKey: string }
const listeners = new Set<(streams: DeliveryStream[]) => void>()
export const onDeliveriesWritten = (listener: (streams: DeliveryStream[]) => void): (() => void) => { listeners.add(listener); return () => listeners.delete(listener) }
export const announceDeliveries = (streams: DeliveryStream[] = []): void => { for (const listener of listeners) listener(streams) }

/** Writes a delivery of each event for each active subscription of its workspace that wants it; returns the streams written to. */
export async function recordWebhookEvents(db: Db, events: WebhookEvent[], now = Date.now()): Promise<DeliveryStream[]> {
  if (events.length === 0) return []
  const streams = new Map<string, DeliveryStream>()
  const byWorkspace = new Map<string, WebhookEvent[]>()
  for (const e of events) byWorkspace.set(e.workspaceId, [...(byWorkspace.get(e.workspaceId) ?? []), e])
  for (const [workspaceId, list] of byWorkspace) {
    const subscriptions = await listActiveSubscriptions(db, workspaceId)
    const rows = subscriptions.flatMap((s) => {
      const wanted = new Set(JSON.parse(s.events) as string[])
      return list.filter((e) => wanted.has(e.type)).map((e) => ({
        id: createId('dlv_'), subscription_id: s.id, workspace_id: workspaceId, event_id: e.id, event_type: e.type, stream_key: e.streamKey,
        payload: JSON.stringify(payloadOf(e)), status: 'pending' as const, attempts: 0, next_attempt_at: now, created_at: now,
      }))
    })
    if ((await insertDeliveries(db, rows)) === 0) continue
    for (const r of rows) streams.set(`${r.subscription_id}|${r.stream_key}`, { subscriptionId: r.subscription_id, streamKey: r.stream_key })
  }
  return [...streams.values()]
}
